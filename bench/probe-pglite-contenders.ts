/**
 * The bench's two PGlite contenders (agentmem-pglite from dist/, raw-pglite) in one process,
 * loaded as the bench loads them, then searched in alternating blocks of 200 queries (median of
 * the blocks' p50s): tells a difference between the contenders from one between bench processes.
 *   npx esbuild bench/probe-pglite-contenders.ts --bundle --packages=external --platform=node \
 *     --format=esm --target=node20 --outfile=.bench-tmp/bench/probe-pglite-contenders.js
 *   flock /tmp/bench.lock node .bench-tmp/bench/probe-pglite-contenders.js
 * PROBE_ROOMS (100 or 4), PROBE_ROUNDS (default 7).
 */
import { join } from "node:path";
import { agentmemContender } from "./contenders/agentmem.js";
import { rawPgliteContender } from "./contenders/raw-pglite.js";
import { median } from "./measure.js";
import { benchTmp } from "./paths.js";
import { generateWorkload, queryVector } from "./workload.js";

const ROOMS = Number(process.env.PROBE_ROOMS ?? 100);
const ROUNDS = Number(process.env.PROBE_ROUNDS ?? 7);
const w = generateWorkload({ n: 10_000, dim: 384, queries: 200, rooms: ROOMS, k: 10, seed: 42 });
const dir = join(benchTmp, "probe-contenders");
const contenders = [await agentmemContender("pglite", w, dir), await rawPgliteContender(w, dir)];
for (const c of contenders) {
	await c.open();
	for (let i = 0; i < w.spec.n; i += 1000)
		await c.insertBatch?.(Array.from({ length: 1000 }, (_, j) => i + j));
}
for (const filtered of [false, true]) {
	const times = contenders.map(() => [] as number[]);
	for (let r = 0; r < ROUNDS; r++) {
		for (let i = 0; i < contenders.length; i++) {
			const c = contenders[(i + r) % contenders.length];
			if (!c) continue;
			const at = (i + r) % contenders.length;
			const room = (q: number) => (filtered ? w.queryRoom[q] : undefined);
			for (let q = 0; q < 20; q++) await c.search(queryVector(w, q), 10, room(q));
			const block: number[] = [];
			for (let q = 0; q < w.spec.queries; q++) {
				const t = performance.now();
				await c.search(queryVector(w, q), 10, room(q));
				block.push(performance.now() - t);
			}
			times[at]?.push(median(block));
		}
	}
	const [a, b] = times.map((t) => median(t)) as [number, number];
	console.log(
		`${ROOMS} rooms, ${filtered ? "room-filtered" : "unfiltered"}: agentmem ${a.toFixed(3)} ms, raw ${b.toFixed(3)} ms, ${(a / b).toFixed(2)}x; blocks ${times.map((t) => t.map((x) => x.toFixed(2)).join(" ")).join(" | ")}`,
	);
}
for (const c of contenders) await c.close();
