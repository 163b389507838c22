/**
 * agentmem itself, driven only through the `DatabaseAdapter` interface of the built package
 * (`dist/`). Backends are imported dynamically, so one that is not built yet is reported as
 * unavailable instead of failing the run.
 */

import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import pg from "pg";
import type { DatabaseAdapter } from "../../src/core/adapter.js";
import type { UUID } from "../../src/core/types.js";
import { distDir } from "../paths.js";
import type { Workload } from "../workload.js";
import { rowVector } from "../workload.js";
import { type Contender, rowMemory, Unavailable } from "./contender.js";
import { dropDatabase, freshDatabase } from "./pg-admin.js";
import { relationBytes } from "./pgvector-sql.js";
import { removeSqliteFiles, sqliteFileBytes } from "./raw-sqlite.js";

export const AGENTMEM_BACKENDS = ["sqlite", "sqljs", "pglite", "postgres"] as const;
export type AgentmemBackend = (typeof AGENTMEM_BACKENDS)[number];

const TABLE = "messages";

type CreateAdapter = (url: string, options: object) => Promise<DatabaseAdapter>;

async function importDist(file: string): Promise<Record<string, unknown>> {
	const path = join(distDir, file);
	if (!existsSync(path))
		throw new Unavailable(`dist/${file} does not exist (backend not built yet)`);
	return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
}

/** Where each backend keeps its data in the bench, and how to measure it. */
interface Place {
	url: string;
	diskBytes(): Promise<number | null>;
	cleanup(): Promise<void>;
}

async function place(backend: AgentmemBackend, scratchDir: string): Promise<Place> {
	switch (backend) {
		case "sqlite": {
			const path = join(scratchDir, "agentmem-sqlite.db");
			removeSqliteFiles(path);
			return {
				url: `sqlite:${path}`,
				diskBytes: async () => sqliteFileBytes(path),
				cleanup: async () => removeSqliteFiles(path),
			};
		}
		case "sqljs":
			return { url: "sqljs:memory", diskBytes: async () => null, cleanup: async () => {} };
		case "pglite": {
			const dir = join(scratchDir, "agentmem-pglite");
			rmSync(dir, { recursive: true, force: true });
			return {
				url: `pglite:${dir}`,
				// Measured after the adapter closed: the directory holds one process at a time.
				diskBytes: async () => {
					// The tables use pgvector's types, so the instance needs the extension to open them.
					const db = await PGlite.create({ dataDir: dir, extensions: { vector } });
					try {
						return await relationBytes((sql, params) => db.query(sql, params));
					} finally {
						await db.close();
					}
				},
				cleanup: async () => rmSync(dir, { recursive: true, force: true }),
			};
		}
		case "postgres": {
			const url = await freshDatabase("agentmem");
			return {
				url,
				diskBytes: async () => {
					const client = new pg.Client({ connectionString: url });
					await client.connect();
					try {
						return await relationBytes((sql, params) => client.query(sql, params));
					} finally {
						await client.end();
					}
				},
				cleanup: () => dropDatabase("agentmem"),
			};
		}
	}
}

export async function agentmemContender(
	backend: AgentmemBackend,
	w: Workload,
	scratchDir: string,
	/** Backend options beyond the dimension (e.g. SQLite's `vectorSearch`), and a name suffix. */
	extra: object = {},
	variant?: string,
): Promise<Contender> {
	const index = await importDist("index.js");
	const createAdapter = index.createAdapter as CreateAdapter | undefined;
	if (typeof createAdapter !== "function") {
		throw new Unavailable("dist/index.js does not export createAdapter yet");
	}
	const options = { embeddingDimension: w.spec.dim, ...extra };
	let adapter: DatabaseAdapter | undefined;
	let where: Place | undefined;
	let exact = false;
	let searchKind: string | undefined;
	const memory = (row: number) => rowMemory(w, row, Array.from(rowVector(w, row)));
	const closeAdapter = async () => {
		await adapter?.close();
		adapter = undefined;
	};
	const contender: Contender = {
		name: variant ? `agentmem-${backend}-${variant}` : `agentmem-${backend}`,
		kind: "agentmem",
		engine: backend,
		get exact() {
			return exact;
		},
		get searchKind() {
			return searchKind;
		},
		async open() {
			await contender.close();
			where = await place(backend, scratchDir);
			try {
				adapter = await createAdapter(where.url, options);
			} catch (error) {
				throw new Unavailable(`createAdapter(${where.url}) failed: ${(error as Error).message}`);
			}
			exact = adapter.capabilities.exactSearch;
			searchKind = adapter.capabilities.vectorSearch;
			for (const id of [w.agentId, w.userId]) {
				await adapter.createAccount({ id: id as UUID, name: "bench", username: id });
			}
			for (const room of w.roomIds) await adapter.createRoom(room as UUID);
		},
		async insertOne(row, unique) {
			await adapter?.createMemory(memory(row), TABLE, unique);
		},
		async insertBatch(rows) {
			await adapter?.createMemories(rows.map((r) => ({ memory: memory(r), tableName: TABLE })));
		},
		async search(query, k, room) {
			const found = await adapter?.searchMemoriesByEmbedding(query, {
				tableName: TABLE,
				count: k,
				// As ElizaOS calls it: a room-scoped search names the agent too.
				...(room === undefined
					? {}
					: { roomId: w.roomIds[room] as UUID, agentId: w.agentId as UUID }),
			});
			return (found ?? []).map((m) => m.id as string);
		},
		async settle() {
			const status = (adapter as { vectorIndexStatus?: () => { graph: string } } | undefined)
				?.vectorIndexStatus;
			if (!adapter || !status) return null;
			const started = performance.now();
			// The first search builds the in-memory copy and starts the graph.
			await contender.search(rowVector(w, 0), w.spec.k, 0);
			if (status.call(adapter).graph === "none") return null;
			while (status.call(adapter).graph === "building") {
				await new Promise((resolve) => setTimeout(resolve, 100));
			}
			return performance.now() - started;
		},
		async diskBytes() {
			await closeAdapter();
			return where ? where.diskBytes() : null;
		},
		async close() {
			await closeAdapter();
			await where?.cleanup();
			where = undefined;
		},
	};
	return contender;
}
