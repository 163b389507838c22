/**
 * Runs one generated sequence on every backend and compares them: every call's outcome (its
 * normalised result, or its error code), that a failed call wrote nothing (where exporting is
 * cheap), and the final state. Time is a logical clock: `Date.now()` is `T0 + 1000 · n` during
 * the n-th call on every backend, so timestamps the adapters set are equal across backends and
 * never tie by accident (memories and knowledge tie on purpose through their given `createdAt`).
 */
import { isDeepStrictEqual } from "node:util";
import type { DatabaseAdapter } from "../../src/core/adapter.js";
import { AgentmemError } from "../../src/core/errors.js";
import type { Backend } from "./backends.js";
import { T0 } from "./domain.js";
import { exportState, normaliseResult } from "./normalise.js";
import { isTransaction, type Op, REIMPORT } from "./operations.js";
import { printSequence } from "./print.js";

export type Outcome = { ok: unknown; inner?: Outcome[] } | { error: string; inner?: Outcome[] };

/** `importRecords(exportRecords())` on one adapter: every record replaced by itself. */
async function reimport(this: DatabaseAdapter): Promise<unknown> {
	const records = [];
	for await (const r of this.exportRecords()) records.push(r);
	return this.importRecords(records);
}

/** What `fn` throws for `end: "throw"`: the transaction must roll back and rethrow it. */
class FnThrew extends Error {}

function codeOf(err: unknown): string {
	if (err instanceof FnThrew) return "FN_THREW";
	if (err instanceof AgentmemError) return err.code;
	const e = err as Error;
	return `RAW ${e?.name}: ${e?.message}`;
}

interface RunContext {
	step: number;
	backend: Backend;
	/** Set when a failed top-level call changed the state: the first such step. */
	wroteOnError?: { step: number; before: unknown; after: unknown };
}

interface Executed {
	outcome: Outcome;
	thrown?: unknown;
}

async function exec(db: DatabaseAdapter, op: Op, ctx: RunContext): Promise<Executed> {
	if (isTransaction(op)) {
		const inner: Outcome[] = [];
		try {
			const value = await db.transaction(async (tx) => {
				for (const o of op.body) {
					const r = await exec(tx, o, ctx);
					inner.push(r.outcome);
					if (r.thrown !== undefined && !op.catchEach) throw r.thrown;
				}
				if (op.end === "throw") throw new FnThrew("fn threw");
				return "done";
			});
			return { outcome: { ok: value, inner } };
		} catch (err) {
			return { outcome: { error: codeOf(err), inner }, thrown: err };
		}
	}
	const n = ctx.step++;
	const now = T0 + 1000 * n;
	const realNow = Date.now;
	Date.now = () => now;
	try {
		const fn =
			op.m === REIMPORT
				? reimport
				: (db as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[op.m];
		if (!fn) throw new Error(`no method ${op.m}`);
		const result = await fn.apply(db, structuredClone(op.a));
		return { outcome: { ok: normaliseResult(op.m, result) } };
	} catch (err) {
		return { outcome: { error: codeOf(err) }, thrown: err };
	} finally {
		Date.now = realNow;
	}
}

export interface BackendRun {
	outcomes: Outcome[];
	final: unknown;
	wroteOnError?: RunContext["wroteOnError"];
}

/** Runs `ops` on a fresh adapter of `backend`: each top-level operation's outcome, and the end state. */
export async function runOn(backend: Backend, ops: Op[]): Promise<BackendRun> {
	const t = performance.now();
	const db = await backend.fresh();
	if (DEBUG)
		debugTimes[`${backend.name} fresh`] =
			(debugTimes[`${backend.name} fresh`] ?? 0) + performance.now() - t;
	const ctx: RunContext = { step: 0, backend };
	const outcomes: Outcome[] = [];
	let before = backend.cheapExport ? await exportState(db) : undefined;
	for (const op of ops) {
		const r = await exec(db, op, ctx);
		outcomes.push(r.outcome);
		if (!backend.cheapExport) continue;
		const after = await exportState(db);
		if ("error" in r.outcome && !ctx.wroteOnError && !isDeepStrictEqual(before, after)) {
			ctx.wroteOnError = { step: outcomes.length - 1, before, after };
		}
		before = after;
	}
	return { outcomes, final: await exportState(db), wroteOnError: ctx.wroteOnError };
}

const show = (v: unknown) => JSON.stringify(v);

const DEBUG = process.env.AGENTMEM_DIFF_DEBUG === "1";
const debugTimes: Record<string, number> = {};
const debugTally: Record<string, Record<string, number>> = {};
function tally(ops: Op[], outcomes: Outcome[]) {
	ops.forEach((op, i) => {
		const o = outcomes[i];
		const value = o && "ok" in o ? o.ok : undefined;
		const key =
			o && "error" in o
				? o.error
				: Array.isArray(value) && value.length > 0
					? "ok, not empty"
					: "ok";
		const m = debugTally[op.m] ?? {};
		m[key] = (m[key] ?? 0) + 1;
		debugTally[op.m] = m;
	});
}
/** Time per backend and outcomes per method so far (AGENTMEM_DIFF_DEBUG=1). */
export function debugSummary(): string {
	return JSON.stringify({ ms: debugTimes, outcomes: debugTally }, null, 1);
}

/**
 * Runs `ops` on every backend; on any divergence, a description with the sequence as runnable
 * code, else null.
 */
export async function findDivergence(
	list: Backend[],
	ops: Op[],
	dim: number,
): Promise<string | null> {
	const runs: [string, BackendRun][] = [];
	for (const b of list) {
		const t = performance.now();
		runs.push([b.name, await runOn(b, ops)]);
		if (DEBUG) debugTimes[b.name] = (debugTimes[b.name] ?? 0) + performance.now() - t;
	}
	if (DEBUG) tally(ops, runs[0]?.[1].outcomes ?? []);
	const problems: string[] = [];
	let at: number | undefined;
	const [refName, ref] = runs[0] as [string, BackendRun];
	for (const [name, run] of runs) {
		if (run.wroteOnError) {
			const w = run.wroteOnError;
			problems.push(
				`${name}: call #${w.step} failed but changed the state:\n  before ${show(w.before)}\n  after  ${show(w.after)}`,
			);
		}
	}
	for (let i = 0; i < ops.length && problems.length === 0; i++) {
		const differing = runs.filter(([, r]) => !isDeepStrictEqual(r.outcomes[i], ref.outcomes[i]));
		if (differing.length > 0) {
			at = i;
			problems.push(
				`operation #${i} (${ops[i]?.m}) differs:\n${runs.map(([n, r]) => `  ${n}: ${show(r.outcomes[i])}`).join("\n")}`,
			);
		}
	}
	if (problems.length === 0) {
		const differing = runs.filter(([, r]) => !isDeepStrictEqual(r.final, ref.final));
		if (differing.length > 0) {
			problems.push(
				`final state differs from ${refName}'s:\n${runs.map(([n, r]) => `  ${n}: ${show(r.final)}`).join("\n")}`,
			);
		}
	}
	if (problems.length === 0) return null;
	return (
		`Backends diverge on a sequence of ${ops.length} operations.\n${problems.join("\n")}\n\n` +
		`Reproduce (outcomes as ${refName} gave them):\n${printSequence(ops, dim, ref.outcomes, at)}`
	);
}
