/** How the explorer writes times, ids and memory texts. */
import type { Memory } from "./types.js";

export function time(ms: number | null | undefined): string {
	if (ms === null || ms === undefined) return "—";
	return new Date(ms).toISOString().replace("T", " ").slice(0, 16);
}

export const shortId = (id: string | undefined) => (id ? id.slice(0, 8) : "—");

/** The memory's text, or its content as JSON when it has none. */
export function textOf(m: Memory, max = 400): string {
	const text =
		typeof m.content?.text === "string" && m.content.text
			? m.content.text
			: JSON.stringify(m.content);
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Who said it: the content's `name` (chat logs carry the speaker there), else the user id. */
export function speakerOf(m: Memory, names?: Map<string, string>): string {
	const name = (m.content as { name?: unknown })?.name;
	if (typeof name === "string" && name) return name;
	return names?.get(m.userId) ?? shortId(m.userId);
}

export function count(n: number): string {
	return n.toLocaleString("en-US");
}

export function bytes(n: number): string {
	const units = ["B", "KB", "MB", "GB", "TB"];
	let i = 0;
	let v = n;
	while (v >= 1024 && i < units.length - 1) {
		v /= 1024;
		i++;
	}
	return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

/** `<input type="datetime-local">` value ↔ ms, in UTC like the rest of the explorer. */
export function fromLocalInput(value: string): number | undefined {
	if (!value) return undefined;
	const ms = Date.parse(`${value}Z`);
	return Number.isFinite(ms) ? ms : undefined;
}
