/**
 * The "done when" for re-embedding, as a person would meet it: `agentmem reembed
 * --dimension 128` (the built binary) over a database of `n` memories at 384 dimensions, SIGKILLed
 * once past 30% and once past 60%, then run to the end. Meanwhile a reader in this process keeps
 * searching (old model until the switch, new after; EmbeddingDimensionError in between tells it
 * which): every answer must be the memory asked for. After: every memory is there, with its new
 * vector, and found first by it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { expect } from "vitest";
import type { DatabaseAdapter } from "../../src/core/adapter.js";
import { EmbeddingDimensionError } from "../../src/core/errors.js";
import type { Memory } from "../../src/core/types.js";
import { createHashingEmbedder } from "../../src/embed/hashing.js";
import { reembedStatus } from "../../src/reembed.js";
import {
	memoryId,
	memoryText,
	ROOM,
	setupRoom,
	storeMemories,
	TYPE,
} from "../support/reembed-fixture.js";
import { BIN } from "./run.js";

const OLD = createHashingEmbedder({ dimension: 384 });
const NEW = createHashingEmbedder({ dimension: 128 });

export interface KillRunReport {
	kills: { at: number; total: number }[];
	queries: { old: number; new: number };
	runs: number;
}

/**
 * `open()` gives an adapter on the database `url` names (created at 384 dimensions by the first
 * call). `batchSize` keeps the child slow enough to be killed midway.
 */
export async function reembedKilledTwice(
	url: string,
	open: (settings?: {
		embeddingDimension: number;
		embeddingModel: string;
	}) => Promise<DatabaseAdapter>,
	n: number,
	batchSize: number,
	cwd: string,
	/** Rows with a new vector, counted on a connection of its own (not queued behind the reader). */
	countDone: () => Promise<number>,
): Promise<KillRunReport> {
	const writer = await open({ embeddingDimension: OLD.dimension, embeddingModel: OLD.model });
	await setupRoom(writer);
	await storeMemories(writer, OLD, 0, n);
	await writer.close();

	const reader = await open();
	const report: KillRunReport = { kills: [], queries: { old: 0, new: 0 }, runs: 0 };
	const reading = readContinuously(reader, n, report);
	try {
		for (const fraction of [0.3, 0.6]) {
			const child = start(url, batchSize, cwd);
			report.runs++;
			const status = await killPast(child, countDone, fraction, n);
			report.kills.push(status);
			// Killed before the switch: the re-embed is still in progress, and search is on 384.
			const after = await reembedStatus(reader);
			expect(after.target).toEqual({ dimension: 128, model: NEW.model });
			expect(after.done).toBeGreaterThanOrEqual(status.at);
			expect(after.done).toBeLessThan(after.total);
		}
		const last = start(url, batchSize, cwd);
		report.runs++;
		const { code, stdout, stderr } = await finished(last);
		expect(code, stderr).toBe(0);
		const result = JSON.parse(stdout) as { switched: boolean; resumed: number; memories: number };
		expect(result).toMatchObject({ switched: true, memories: n });
		expect(result.resumed).toBeGreaterThanOrEqual(report.kills[1]?.at ?? 0);
		// The reader goes on until it has been answered under the new model too.
		while (report.queries.new < 3 && !reading.failed()) await new Promise((r) => setTimeout(r, 20));
	} finally {
		reading.stop();
		await reading.done;
	}
	expect(report.queries.old).toBeGreaterThan(0);
	expect(report.queries.new).toBeGreaterThan(0);

	// None lost, every one with its new vector, found first by it (a sample searched, all compared).
	const all = await reader.getMemories({ roomId: ROOM, tableName: TYPE, count: n + 10 });
	expect(all).toHaveLength(n);
	const byId = new Map(all.map((m) => [m.id, m]));
	for (let start = 0; start < n; start += 2000) {
		const ids = Array.from({ length: Math.min(2000, n - start) }, (_, k) => start + k);
		const vectors = await NEW.embed(ids.map(memoryText));
		ids.forEach((i, k) => {
			expect(sameVector(byId.get(memoryId(i)), vectors[k] as Float32Array), `memory ${i}`).toBe(
				true,
			);
		});
	}
	const step = Math.max(1, Math.floor(n / 300));
	for (let i = 0; i < n; i += step) await expectTopHit(reader, NEW, i);
	expect(reader.capabilities.embeddingDimension).toBe(128);
	await reader.close();
	return report;
}

/** The built binary; AGENTMEM_TEST_CLI_BIN names another build (e.g. one no other build replaces). */
const CLI = process.env.AGENTMEM_TEST_CLI_BIN || BIN;

function start(url: string, batchSize: number, cwd: string): ChildProcess {
	const env = { ...process.env };
	for (const k of Object.keys(env)) if (k.startsWith("AGENTMEM_")) delete env[k];
	return spawn(
		process.execPath,
		[
			CLI,
			"--url",
			url,
			"reembed",
			"--dimension",
			"128",
			"--batch-size",
			String(batchSize),
			"--json",
		],
		{ cwd, env, stdio: ["ignore", "pipe", "pipe"] },
	);
}

/** SIGKILLs the child once the shadow tables hold `fraction` of the rows; the done count then. */
async function killPast(
	child: ChildProcess,
	countDone: () => Promise<number>,
	fraction: number,
	total: number,
): Promise<{ at: number; total: number }> {
	const exit = finished(child);
	for (;;) {
		const done = await countDone();
		if (done >= fraction * total) {
			child.kill("SIGKILL");
			const { code, signal, stderr } = await exit;
			expect(signal, `the child exited ${code} before it was killed: ${stderr}`).toBe("SIGKILL");
			return { at: done, total };
		}
		if (child.exitCode !== null)
			throw new Error(`reembed exited ${child.exitCode} before ${fraction * 100}%`);
		await new Promise((r) => setTimeout(r, 2));
	}
}

function finished(
	child: ChildProcess,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
	let stdout = "";
	let stderr = "";
	child.stdout?.on("data", (d) => {
		stdout += d;
	});
	child.stderr?.on("data", (d) => {
		stderr += d;
	});
	return new Promise((done, fail) => {
		child.on("error", fail);
		child.on("close", (code, signal) => done({ code, signal, stdout, stderr }));
	});
}

/**
 * Queries until stopped: each with the vector of the model the reader believes current, the other
 * one when refused with EmbeddingDimensionError; each answer must be the memory asked for.
 */
function readContinuously(
	reader: DatabaseAdapter,
	n: number,
	report: KillRunReport,
): { stop(): void; failed(): boolean; done: Promise<void> } {
	let stopped = false;
	let failed = false;
	const done = (async () => {
		for (let q = 0; !stopped; q++) {
			const i = (q * 7919) % n;
			const models = reader.capabilities.embeddingDimension === 384 ? [OLD, NEW] : [NEW, OLD];
			let answered = false;
			for (const model of models) {
				try {
					await expectTopHit(reader, model, i);
					report.queries[model === OLD ? "old" : "new"]++;
					answered = true;
					break;
				} catch (err) {
					if (!(err instanceof EmbeddingDimensionError)) throw err;
				}
			}
			expect(answered, `query ${q} for memory ${i}`).toBe(true);
			await new Promise((r) => setTimeout(r, 5));
		}
	})().catch((err: unknown) => {
		failed = true;
		throw err;
	});
	return {
		failed: () => failed,
		stop: () => {
			stopped = true;
		},
		done,
	};
}

async function expectTopHit(a: DatabaseAdapter, model: typeof OLD, i: number): Promise<void> {
	const [hit] = await a.searchMemoriesByEmbedding(Array.from(await model.embedOne(memoryText(i))), {
		tableName: TYPE,
		roomId: ROOM,
		count: 1,
	});
	expect(hit?.id, `memory ${i} under ${model.model}`).toBe(memoryId(i));
}

function sameVector(m: Memory | undefined, expected: Float32Array): boolean {
	const got = m?.embedding;
	if (!got || got.length !== expected.length) return false;
	for (let j = 0; j < expected.length; j++) {
		if (Math.abs((got[j] as number) - (expected[j] as number)) > 1e-6) return false;
	}
	return true;
}
