/** Every contender by name, and which ones a `--backend` choice runs. */

import type { Workload } from "../workload.js";
import { AGENTMEM_BACKENDS, type AgentmemBackend, agentmemContender } from "./agentmem.js";
import type { Contender } from "./contender.js";
import { elizaContender } from "./eliza.js";
import { rawPgliteContender } from "./raw-pglite.js";
import { rawPostgresContender } from "./raw-postgres.js";
import { rawSqliteContender } from "./raw-sqlite.js";
import { scanContender } from "./scan.js";

type Build = (w: Workload, scratchDir: string) => Promise<Contender>;

const builders: Record<string, Build> = {
	"agentmem-sqlite": (w, d) => agentmemContender("sqlite", w, d),
	// The SQLite search modes other than the default (quantized), same backend.
	"agentmem-sqlite-exact": (w, d) =>
		agentmemContender("sqlite", w, d, { vectorSearch: "exact-scan" }, "exact"),
	"agentmem-sqlite-vec0": (w, d) =>
		agentmemContender("sqlite", w, d, { vectorSearch: "vec0" }, "vec0"),
	"agentmem-sqljs": (w, d) => agentmemContender("sqljs", w, d),
	"agentmem-pglite": (w, d) => agentmemContender("pglite", w, d),
	"agentmem-postgres": (w, d) => agentmemContender("postgres", w, d),
	"raw-sqlite-vec": (w, d) => rawSqliteContender(w, d, "partitioned"),
	"raw-sqlite-vec-flat": (w, d) => rawSqliteContender(w, d, "flat"),
	"raw-pglite": rawPgliteContender,
	"raw-pgvector": (w) => rawPostgresContender(w),
	"float32-scan": (w) => scanContender(w),
	"eliza-sqlite": (w, d) => elizaContender("sqlite", w, d),
	"eliza-postgres": (w, d) => elizaContender("postgres", w, d),
};

/** Baselines measured next to each agentmem backend. */
const baselines: Record<AgentmemBackend, string[]> = {
	sqlite: [
		"agentmem-sqlite-exact",
		"agentmem-sqlite-vec0",
		"raw-sqlite-vec",
		"raw-sqlite-vec-flat",
		"float32-scan",
		"eliza-sqlite",
	],
	sqljs: ["float32-scan"],
	pglite: ["raw-pglite"],
	postgres: ["raw-pgvector", "eliza-postgres"],
};

export const BACKEND_CHOICES = [...AGENTMEM_BACKENDS, "all"] as const;

export function isBackend(value: string): value is AgentmemBackend {
	return (AGENTMEM_BACKENDS as readonly string[]).includes(value);
}

/** Contender names for a `--backend` value, agentmem first, each once. */
export function contendersFor(backend: string): string[] {
	const chosen = backend === "all" ? [...AGENTMEM_BACKENDS] : backend.split(",").filter(isBackend);
	const names = new Set<string>();
	for (const b of chosen) names.add(`agentmem-${b}`);
	for (const b of chosen) for (const n of baselines[b]) names.add(n);
	return [...names];
}

export function buildContender(name: string, w: Workload, scratchDir: string): Promise<Contender> {
	const build = builders[name];
	if (!build) throw new RangeError(`unknown contender ${name}`);
	return build(w, scratchDir);
}
