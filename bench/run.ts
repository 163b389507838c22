/**
 * `npm run bench -- [--backend sqlite|sqljs|pglite|postgres|all] [--n 10000] [--dim 384]
 * [--queries 200] [--rooms 1|100] [--k 10]`: runs every contender in its own process on the same
 * seeded workload, saves bench/results/run-*.json and rewrites BENCHMARKS.md and the charts.
 */

import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { BACKEND_CHOICES, contendersFor } from "./contenders/registry.js";
import { ensureEliza, machineInfo } from "./environment.js";
import { benchTmp } from "./paths.js";
import { writeReport } from "./report.js";
import { type ContenderResult, type RunResult, saveRun } from "./results.js";
import type { Job } from "./worker.js";
import { generateWorkload, groundTruth, type WorkloadSpec } from "./workload.js";
import { BULK_PHASES, bulkPhaseMain, runBulk } from "./workload-bulk.js";

const positiveInt = (value: string) => {
	const n = Number(value);
	if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a positive integer");
	return n;
};
const intList = (value: string) => value.split(",").map(positiveInt);
const backendList = (value: string) => {
	for (const b of value.split(",")) {
		if (!(BACKEND_CHOICES as readonly string[]).includes(b))
			throw new InvalidArgumentError(`expected ${BACKEND_CHOICES.join(", ")}`);
	}
	return value;
};

const program = new Command("bench")
	.description("agentmem benchmarks: speed, recall and memory per backend, next to baselines")
	.addOption(
		new Option(
			"--backend <names>",
			`backends to measure, comma-separated: ${BACKEND_CHOICES.join(", ")}`,
		)
			.argParser(backendList)
			.default("all"),
	)
	.option("--n <rows>", "memories stored (comma-separated for several sizes)", intList, [10_000])
	.option("--dim <d>", "embedding dimension", positiveInt, 384)
	.option("--queries <q>", "search queries per run", positiveInt, 200)
	.addOption(
		new Option(
			"--rooms <r>",
			"rooms (100: a room filter selects ~1%; 4: ~25%, medium selectivity; 1: one big room)",
		)
			.choices(["1", "4", "100"])
			.default("100"),
	)
	.option("--k <k>", "results per search (recall@k)", positiveInt, 10)
	.option("--runs <r>", "measured search runs (median reported)", positiveInt, 5)
	.option("--batch <b>", "rows per createMemories batch", positiveInt, 1000)
	.option("--single <s>", "rows inserted one at a time (default: n)", positiveInt)
	.option("--seed <s>", "workload seed", positiveInt, 42)
	.option(
		"--eliza-max-n <n>",
		"skip the ElizaOS adapters above this many rows",
		positiveInt,
		20_000,
	)
	.option("--no-eliza", "skip the ElizaOS adapters")
	.option("--only <names>", "measure only these contenders (comma-separated names)")
	.option("--no-report", "save results without rewriting BENCHMARKS.md")
	.option("--report-only", "rewrite BENCHMARKS.md from the saved results, measuring nothing")
	.option("--bulk", "bulk loads instead (workload-bulk.ts): COPY, createMemories, import")
	.option("--bulk-phase <job>", "(internal) one bulk phase, in this process");

interface Opts {
	backend: string;
	n: number[];
	dim: number;
	queries: number;
	rooms: string;
	k: number;
	runs: number;
	batch: number;
	single?: number;
	seed: number;
	elizaMaxN: number;
	eliza: boolean;
	report: boolean;
	reportOnly?: boolean;
	only?: string;
	bulk?: boolean;
	bulkPhase?: string;
}

function runWorker(job: Job): ContenderResult {
	const worker = join(import.meta.dirname, "worker.js");
	const child = spawnSync(process.execPath, [worker, JSON.stringify(job)], {
		stdio: ["ignore", "ignore", "inherit"],
		env: process.env,
	});
	try {
		return JSON.parse(readFileSync(job.out, "utf8")) as ContenderResult;
	} catch {
		const why = child.error?.message ?? `exit code ${child.status}, signal ${child.signal}`;
		return {
			name: job.contender,
			kind: "raw",
			engine: "",
			status: "failed",
			reason: `worker died: ${why}`,
		};
	}
}

function runSize(
	opts: Opts,
	n: number,
	elizaInstall: string,
	machine: RunResult["machine"],
): RunResult {
	const spec: WorkloadSpec = {
		n,
		dim: opts.dim,
		queries: opts.queries,
		rooms: Number(opts.rooms),
		k: opts.k,
		seed: opts.seed,
	};
	const dir = join(benchTmp, `n${n}-d${spec.dim}-r${spec.rooms}`);
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	process.stderr.write(
		`\n== ${n} memories x ${spec.dim} dims, ${spec.rooms} room(s), ${spec.queries} queries\n`,
	);
	const truthFile = join(dir, "truth.json");
	writeFileSync(truthFile, JSON.stringify(groundTruth(generateWorkload(spec))));
	const options = {
		runs: opts.runs,
		batch: opts.batch,
		single: opts.single ?? n,
		efSearch: [10, 20, 40, 80, 160, 400],
	};
	const contenders: ContenderResult[] = [];
	const only = opts.only?.split(",");
	for (const name of contendersFor(opts.backend).filter((c) => !only || only.includes(c))) {
		const eliza = name.startsWith("eliza-");
		const skip = !eliza
			? null
			: !opts.eliza
				? "skipped (--no-eliza)"
				: n > opts.elizaMaxN
					? `skipped above --eliza-max-n ${opts.elizaMaxN}: its per-insert table scan would take hours`
					: null;
		if (skip) {
			contenders.push({
				name,
				kind: "eliza",
				engine: name.slice(6),
				status: "unavailable",
				reason: skip,
			});
			continue;
		}
		process.stderr.write(`-- ${name}\n`);
		const out = join(dir, `${name}.json`);
		const result = runWorker({
			contender: name,
			spec,
			truthFile,
			scratchDir: join(dir, "data"),
			out,
			options,
		});
		result.date = new Date().toISOString();
		if (result.status !== "ok") process.stderr.write(`   ${result.status}: ${result.reason}\n`);
		contenders.push(result);
	}
	const command = `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim();
	return {
		spec,
		options,
		command,
		date: new Date().toISOString(),
		machine,
		elizaInstall,
		contenders,
	};
}

const opts = program.parse().opts<Opts>();
if (opts.bulkPhase) {
	await bulkPhaseMain(opts.bulkPhase);
	process.exit(0);
}
if (opts.reportOnly) {
	process.stderr.write(`wrote ${writeReport()}\n`);
	process.exit(0);
}
const machine = await machineInfo();
if (opts.bulk) {
	for (const n of opts.n) {
		const spec = {
			n,
			dim: opts.dim,
			queries: 1,
			rooms: Number(opts.rooms),
			k: opts.k,
			seed: opts.seed,
		};
		process.stderr.write(`saved ${runBulk(spec, machine, BULK_PHASES)}\n`);
	}
	if (opts.report) process.stderr.write(`wrote ${writeReport()}\n`);
	process.exit(0);
}
const needsEliza = opts.eliza && contendersFor(opts.backend).some((c) => c.startsWith("eliza-"));
const elizaInstall = needsEliza ? ensureEliza() : "not requested";
for (const n of opts.n) {
	const file = saveRun(runSize(opts, n, elizaInstall, machine));
	process.stderr.write(`saved ${file}\n`);
}
if (opts.report) process.stderr.write(`wrote ${writeReport()}\n`);
