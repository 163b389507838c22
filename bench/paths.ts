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
export const distDir = join(repoRoot, "dist");
export const benchTmp = resolve(repoRoot, ".bench-tmp");
export const resultsDir = join(repoRoot, "bench", "results");
