/** The targets of issue 7, checked against saved runs: met, missed (by how much) or not measured. */

import type { ContenderResult, RunResult } from "./results.js";

/** An approximate search's engine; results saved before `searchKind` existed: SQLite's is quantized. */
function approximateKind(r: ContenderResult | undefined): string {
	const kind = r?.searchKind ?? (r?.engine === "sqlite" ? "quantized" : "hnsw");
	return kind === "hnsw" ? "HNSW" : kind;
}

export interface Verdict {
	target: string;
	measured: string;
	verdict: "met" | "missed" | "not measured";
}

/** The raw engine query each agentmem backend is held against. */
export const RAW_PAIR: Record<string, string> = {
	"agentmem-sqlite": "raw-sqlite-vec",
	"agentmem-sqljs": "float32-scan",
	"agentmem-pglite": "raw-pglite",
	"agentmem-postgres": "raw-pgvector",
};

/** The ElizaOS adapter each agentmem backend replaces (same SQL family). */
export const ELIZA_PAIR: Record<string, string> = {
	"agentmem-sqlite": "eliza-sqlite",
	"agentmem-sqljs": "eliza-sqlite",
	"agentmem-pglite": "eliza-postgres",
	"agentmem-postgres": "eliza-postgres",
};

export function find(run: RunResult | undefined, name: string): ContenderResult | undefined {
	const c = run?.contenders.find((x) => x.name === name);
	return c?.status === "ok" ? c : undefined;
}

const x = (v: number) => `${v.toFixed(2)}x`;
const rate = (v: number) => `${Math.round(v).toLocaleString("en-US")}/s`;

/** A target's verdict: met, or missed and by how much. */
export function check(
	target: string,
	value: number | undefined,
	limit: number,
	higherIsBetter: boolean,
	show: (v: number) => string,
): Verdict {
	if (value === undefined || Number.isNaN(value))
		return { target, measured: "—", verdict: "not measured" };
	const ok = higherIsBetter ? value >= limit : value <= limit;
	const by = higherIsBetter ? limit / value : value / limit;
	return {
		target,
		measured: ok ? show(value) : `${show(value)} (short by ${x(by)})`,
		verdict: ok ? "met" : "missed",
	};
}

function runAt(runs: RunResult[], n: number, dim: number): RunResult | undefined {
	return (
		runs.find((r) => r.spec.n === n && r.spec.dim === dim && r.spec.rooms === 100) ??
		runs.find((r) => r.spec.n === n && r.spec.dim === dim)
	);
}

export function evaluateTargets(runs: RunResult[], dim: number): Verdict[] {
	const run = runAt(runs, 10_000, dim);
	const big = runAt(runs, 100_000, dim);
	const where = `${dim} dims`;
	const out: Verdict[] = [];
	for (const [name, raw] of Object.entries(RAW_PAIR)) {
		const a = find(run, name);
		const b = find(run, raw);
		for (const [mode, key] of [
			["unfiltered", "searchAll"],
			["room-filtered", "searchRoom"],
		] as const) {
			const ratio = a?.[key] && b?.[key] ? a[key].p50 / b[key].p50 : undefined;
			out.push(
				check(`${name} ${mode} search p50 <= 1.5x ${raw} (10k, ${where})`, ratio, 1.5, false, x),
			);
		}
		const recall =
			a?.searchAll && a.searchRoom ? Math.min(a.searchAll.recall, a.searchRoom.recall) : undefined;
		out.push(
			a?.exact
				? check(`${name} recall@k = 1.0 (exact scan)`, recall, 1, true, (v) => v.toFixed(4))
				: check(`${name} recall@k >= 0.95 (${approximateKind(a)})`, recall, 0.95, true, (v) =>
						v.toFixed(3),
					),
		);
	}
	const batch = (name: string) => find(run, name)?.batchInsert?.rowsPerSec;
	out.push(
		check(
			`agentmem-sqlite createMemories >= 10,000/s (10k, ${where})`,
			batch("agentmem-sqlite"),
			10_000,
			true,
			rate,
		),
	);
	out.push(
		check(
			`agentmem-postgres createMemories >= 3,000/s (10k, ${where})`,
			batch("agentmem-postgres"),
			3_000,
			true,
			rate,
		),
	);
	for (const [name, eliza] of Object.entries(ELIZA_PAIR)) {
		const ours = find(run, name)?.singleUnique?.rowsPerSec;
		const theirs = find(run, eliza)?.singleUnique?.rowsPerSec;
		const ratio = ours && theirs ? ours / theirs : undefined;
		out.push(check(`${name} createMemory(unique) >= 5x ${eliza}`, ratio, 5, true, x));
	}
	for (const name of Object.keys(RAW_PAIR)) {
		const flatRun = big ?? run;
		const s = find(flatRun, name)?.singleUnique;
		const ratio = s?.firstTenth && s.lastTenth ? s.lastTenth / s.firstTenth : undefined;
		const n = s ? ` over ${s.count.toLocaleString("en-US")} inserts` : "";
		out.push(
			check(
				`${name} createMemory(unique) last tenth >= 80% of first${n}`,
				ratio,
				0.8,
				true,
				(v) => `${(v * 100).toFixed(0)}%`,
			),
		);
	}
	// The issue sets the 100k targets at 384 dimensions; other dimensions list them only when run.
	if (!big && dim !== 384) return out;
	for (const name of ["agentmem-sqlite", "agentmem-pglite", "agentmem-postgres"]) {
		const small = find(run, name)?.searchAll?.p50;
		const large = find(big, name)?.searchAll?.p50;
		const growth = small && large ? large / small : undefined;
		// Known from the 10k run when the 100k run is missing. Only an HNSW search is held to 2x;
		// SQLite's (exact, or quantized: a linear pass over binary codes) grows with N.
		const found = find(big, name) ?? find(run, name);
		const kind = found?.exact === false ? approximateKind(found) : "exact-scan";
		const hnsw = kind === "HNSW";
		const label = hnsw ? "<= 2x" : `(${kind}: grows with N, reported only)`;
		const v = check(
			`${name} search p50 growth 10k -> 100k ${label}`,
			growth,
			hnsw ? 2 : Number.POSITIVE_INFINITY,
			false,
			x,
		);
		out.push(v);
		out.push({
			target: `${name} finishes 100k x ${dim}`,
			measured: big
				? find(big, name)
					? "yes"
					: (big.contenders.find((c) => c.name === name)?.status ?? "not run")
				: "—",
			verdict: !big ? "not measured" : find(big, name) ? "met" : "missed",
		});
	}
	return out;
}
