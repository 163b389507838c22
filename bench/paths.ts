/** Where things are, wherever the compiled bench runs from (it is bundled into .bench-tmp/bench/). */

import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

function findRepoRoot(): string {
	let dir = dirname(fileURLToPath(import.meta.url));
	while (!existsSync(join(dir, "bench", "run.ts"))) {
		const parent = dirname(dir);
		if (parent === dir) throw new Error("bench: cannot find the repository root");
		dir = parent;
	}
	return dir;
}

export const repoRoot = findRepoRoot();
/** Overridable so two people can bench different builds at once (AGENTMEM_BENCH_DIST, _TMP). */
export const distDir = resolve(repoRoot, process.env.AGENTMEM_BENCH_DIST ?? "dist");
export const benchTmp = resolve(repoRoot, process.env.AGENTMEM_BENCH_TMP ?? ".bench-tmp");
export const resultsDir = resolve(repoRoot, process.env.AGENTMEM_BENCH_RESULTS ?? "bench/results");
