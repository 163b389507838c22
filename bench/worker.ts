/**
 * One contender in its own process, so peak RSS is that contender's alone. Called by run.ts with
 * a JSON job; writes a ContenderResult as JSON to the job's `out` file.
 */

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { Unavailable } from "./contenders/contender.js";
import { buildContender } from "./contenders/registry.js";
import { type MeasureOptions, measureContender, type Truth } from "./measure.js";
import type { ContenderResult } from "./results.js";
import { generateWorkload, type WorkloadSpec } from "./workload.js";

export interface Job {
	contender: string;
	spec: WorkloadSpec;
	truthFile: string;
	scratchDir: string;
	out: string;
	options: Omit<MeasureOptions, "log">;
}

async function main(job: Job): Promise<ContenderResult> {
	const log = (line: string) => process.stderr.write(`  [${job.contender}] ${line}\n`);
	const w = generateWorkload(job.spec);
	const truth = JSON.parse(readFileSync(job.truthFile, "utf8")) as Truth;
	mkdirSync(job.scratchDir, { recursive: true });
	const base = { name: job.contender, kind: "raw", engine: "" } as const;
	const started = performance.now();
	let contender: Awaited<ReturnType<typeof buildContender>>;
	try {
		contender = await buildContender(job.contender, w, job.scratchDir);
	} catch (error) {
		if (!(error instanceof Unavailable)) throw error;
		return { ...base, status: "unavailable", reason: error.message };
	}
	const baseRssBytes = process.memoryUsage().rss;
	const meta = { name: contender.name, kind: contender.kind, engine: contender.engine };
	try {
		const measured = await measureContender(contender, w, truth, { ...job.options, log });
		return {
			...meta,
			status: "ok",
			exact: contender.exact,
			...(contender.searchKind ? { searchKind: contender.searchKind } : {}),
			...measured,
			baseRssBytes,
			peakRssBytes: process.resourceUsage().maxRSS * 1024,
			seconds: (performance.now() - started) / 1000,
		};
	} catch (error) {
		await contender.close().catch(() => {});
		const status = error instanceof Unavailable ? "unavailable" : "failed";
		const e = error as Error;
		// Driver errors can quote whole vectors: keep the reason readable.
		const reason = (status === "failed" ? (e.stack ?? e.message) : e.message).slice(0, 600);
		return { ...meta, status, reason };
	}
}

const job = JSON.parse(process.argv[2] ?? "{}") as Job;
const result = await main(job);
writeFileSync(job.out, JSON.stringify(result));
// Some drivers (ElizaOS's pool, PGlite) keep handles open; the result is written, so leave now.
process.exit(0);
