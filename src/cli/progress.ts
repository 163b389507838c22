/** A one-line progress bar on stderr, drawn only when stderr is a terminal (never in pipes or CI logs). */
export interface Progress {
	update(done: number): void;
	finish(): void;
}

/** `wanted`: the command wants one (not with --json); it is drawn only if stderr is a terminal too. */
export function progress(label: string, total: number, wanted = true): Progress {
	if (!wanted || process.stderr.isTTY !== true || total <= 0) return { update() {}, finish() {} };
	const width = 30;
	let last = -1;
	const draw = (done: number): void => {
		const shown = Math.min(done, total);
		const filled = Math.round((shown / total) * width);
		if (filled === last && shown !== total) return;
		last = filled;
		const bar = `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
		process.stderr.write(`\r${label} ${bar} ${shown}/${total}`);
	};
	draw(0);
	return {
		update: draw,
		finish() {
			if (last !== width) draw(total);
			process.stderr.write("\n");
		},
	};
}
