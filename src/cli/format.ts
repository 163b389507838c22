/** Plain-text tables and values for human output. */

/** `2024-05-01 14:03` in UTC: stable across machines. */
export function shortTime(ms: number | undefined): string {
	if (ms === undefined) return "";
	return new Date(ms).toISOString().slice(0, 16).replace("T", " ");
}

/** Collapses whitespace and cuts to `max` characters with an ellipsis. */
export function clip(text: string, max: number): string {
	const flat = text.replace(/\s+/g, " ").trim();
	return flat.length > max ? `${flat.slice(0, Math.max(1, max - 1))}…` : flat;
}

/** Columns padded to their widest cell; the last column is not padded. */
export function table(header: string[], rows: string[][]): string {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
	const line = (cells: string[]) =>
		cells
			.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
			.join("  ")
			.trimEnd();
	return [line(header), ...rows.map(line)].join("\n");
}

export function terminalWidth(): number {
	return process.stdout.columns && process.stdout.columns > 40 ? process.stdout.columns : 100;
}

/** `1 file`, `2 files`. */
export function plural(n: number, one: string, many = `${one}s`): string {
	return `${n} ${n === 1 ? one : many}`;
}
