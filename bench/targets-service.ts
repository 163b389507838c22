/**
 * Issue 14's service targets, from bench/results/service.json (written by bench/service.ts,
 * `npm run bench:service`): verdicts with how far off each miss is, for BENCHMARKS.md.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { resultsDir } from "./paths.js";

export interface ServiceRun {
	date: string;
	loadAverage?: number[];
	machine?: { cpu: string; cores: number; node: string };
	memories: number;
	dimension: number;
	searchP50InProcessMs: number;
	searchP50ServiceMs: number;
	addedP50Ms: number;
	throughput64InProcess: number;
	throughput64Service: number;
	ratio: number;
	serviceErrors: number;
	serverRssMb: { before: number; after: number };
	sse: {
		streams: number;
		events: number;
		delivered: number;
		expected: number;
		p50Ms: number | null;
		p95Ms: number | null;
	};
	seconds: number;
}

export function loadServiceRun(): ServiceRun | undefined {
	const file = join(resultsDir, "service.json");
	return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as ServiceRun) : undefined;
}

const n = (v: number) => v.toLocaleString("en-US");

/** The section's lines: the run, the three targets with verdicts, and why each miss misses. */
export function serviceSection(run = loadServiceRun()): string[] {
	const head = ["## Targets (issue 14: the memory service, `agentmem serve`)", ""];
	if (!run) return [...head, "Not measured yet: `npm run bench:service` writes it.", ""];
	const load = run.loadAverage ? `, load average ${run.loadAverage.join(" / ")}` : "";
	const cores = run.machine ? ` on ${run.machine.cores} cores` : "";
	const latencyOk = run.addedP50Ms <= 0.5;
	const ratioOk = run.ratio >= 0.8 && run.serviceErrors === 0;
	const rssGrowth = run.serverRssMb.after - run.serverRssMb.before;
	const { sse } = run;
	const sseOk = sse.delivered === sse.expected && sse.p95Ms !== null && sse.p95Ms <= 100;
	const rows = [
		[
			"search through the service, added p50 vs in process (loopback, keep-alive) ≤ 0.5 ms",
			`${run.searchP50InProcessMs} → ${run.searchP50ServiceMs} ms: +${run.addedP50Ms} ms`,
			latencyOk ? "met" : `missed by ${(run.addedP50Ms - 0.5).toFixed(1)} ms`,
		],
		[
			"searches/s with 64 concurrent keep-alive clients ≥ 80% of in process, zero errors, RSS flat",
			`${n(run.throughput64Service)} ÷ ${n(run.throughput64InProcess)} = ${run.ratio.toFixed(2)}, ${run.serviceErrors} errors; server RSS ${run.serverRssMb.before} → ${run.serverRssMb.after} MB over ${run.seconds} s`,
			`${ratioOk ? "met" : `missed: ${Math.round(run.ratio * 100)}% (${Math.round((0.8 - run.ratio) * 100)} points short)`}; RSS ${Math.abs(rssGrowth) <= 10 ? "flat" : `grew ${rssGrowth} MB`} (a ${run.seconds} s run, not the issue's 60 s)`,
		],
		[
			"1,000 SSE subscriptions: every event delivered within 100 ms p95",
			`${n(sse.delivered)} of ${n(sse.expected)} delivered; p50 ${sse.p50Ms ?? "—"} ms, p95 ${sse.p95Ms ?? "—"} ms`,
			sseOk
				? "met"
				: sse.p95Ms === null
					? "missed: nothing delivered"
					: `missed: p95 ${(sse.p95Ms / 100).toFixed(1)}× the target${sse.delivered < sse.expected ? `, ${n(sse.expected - sse.delivered)} not delivered` : ""}`,
		],
	];
	return [
		...head,
		`\`npm run bench:service\` — ${run.date.slice(0, 16).replace("T", " ")} UTC${cores}${load}; SQLite, ${n(run.memories)} memories × ${run.dimension} dims in one room, searches of count 10; the server is the real CLI (\`agentmem serve\`) in its own process; ${run.seconds} s per load phase. PostgreSQL is not measured by this bench yet.`,
		"",
		"| target | measured | verdict |",
		"| --- | --- | --- |",
		...rows.map((r) => `| ${r.join(" | ")} |`),
		"",
		...(latencyOk && ratioOk && sseOk ? [] : whyMissed()),
	];
}

/** What is known about the misses (docs/service.md "Performance" has the measurements). */
function whyMissed(): string[] {
	return [
		"Why the misses, as far as measured: the quiet-machine run of 2026-12-01 (load average ~1) added 1.4 ms per search of 10 results (3.1 ms through the service against 1.6 ms in process) and reached 0.76 of the in-process rate with 64 clients; the earlier runs at load averages of 15–23 added 8 ms, mostly two processes waiting for time slices. An in-process profile (`app.inject`, docs/service.md) finds no single hot spot: Fastify's request handling, body validation (ajv), the codec and serialisation of ten base64 embeddings (fast-json-stringify escapes every string), garbage collection; trimming that per-request work, each step measured, is what is left. The SSE target is met at idle (1,000 streams, p95 42.5 ms).",
		"",
	];
}
