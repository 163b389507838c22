/**
 * Baseline (c): the ElizaOS 0.1.9 adapters agentmem replaces, installed into .bench-tmp/eliza at
 * bench time (nothing of theirs is committed). Driven through their own `createMemory` and
 * `searchMemoriesByEmbedding`, exactly as an ElizaOS runtime calls them.
 *
 * What their code does (read from the installed 0.1.9 packages), which the numbers reflect:
 * - `createMemory` ignores its `unique` argument and always runs the dedup search first.
 * - adapter-sqlite searches with `vec_distance_L2` over a plain BLOB column (a full scan) and orders
 *   by distance DESC, so it returns the *farthest* rows: its recall is measured, not assumed.
 * - adapter-postgres orders by L2 `<->` while its HNSW index is built for cosine, so the index is
 *   never used; its vector column is vector(384), or vector(1536) with USE_OPENAI_EMBEDDING=true.
 */

import { rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { benchTmp } from "../paths.js";
import type { Workload } from "../workload.js";
import { rowVector } from "../workload.js";
import { type Contender, rowText, Unavailable } from "./contender.js";
import { dropDatabase, freshDatabase } from "./pg-admin.js";
import { relationBytes } from "./pgvector-sql.js";
import { removeSqliteFiles, sqliteFileBytes } from "./raw-sqlite.js";

export const elizaDir = join(benchTmp, "eliza");
const modules = join(elizaDir, "node_modules");

/** The part of ElizaOS's IDatabaseAdapter the bench calls. */
interface ElizaAdapter {
	init(): Promise<void>;
	close(): Promise<void>;
	createAccount(account: object): Promise<boolean>;
	createRoom(roomId: string): Promise<string>;
	createMemory(memory: object, tableName: string, unique?: boolean): Promise<void>;
	searchMemoriesByEmbedding(embedding: number[], params: object): Promise<{ id: string }[]>;
}

type Ctor<A extends unknown[]> = new (...args: A) => ElizaAdapter;

async function load(file: string): Promise<Record<string, unknown>> {
	try {
		return (await import(pathToFileURL(join(modules, file)).href)) as Record<string, unknown>;
	} catch (error) {
		throw new Unavailable(
			`ElizaOS 0.1.9 is not installed in ${elizaDir}: ${(error as Error).message}`,
		);
	}
}

/** The embedding sizes adapter-postgres's schema can hold, and the setting that selects each. */
const POSTGRES_DIMS: Record<number, Record<string, string>> = {
	384: {},
	768: { USE_GAIANET_EMBEDDING: "true" },
	1024: { USE_OLLAMA_EMBEDDING: "true" },
	1536: { USE_OPENAI_EMBEDDING: "true" },
};

export async function elizaContender(
	engine: "sqlite" | "postgres",
	w: Workload,
	scratchDir: string,
): Promise<Contender> {
	const settings = POSTGRES_DIMS[w.spec.dim];
	if (engine === "postgres" && !settings) {
		throw new Unavailable(`adapter-postgres's schema has no vector(${w.spec.dim}) column`);
	}
	Object.assign(process.env, { DEFAULT_LOG_LEVEL: "fatal", ...settings });
	const sqlitePath = join(scratchDir, "eliza-sqlite.db");
	let adapter: ElizaAdapter | undefined;
	let dbUrl = "";
	const open = async (): Promise<ElizaAdapter> => {
		if (engine === "sqlite") {
			removeSqliteFiles(sqlitePath);
			const Database = (await load("better-sqlite3/lib/index.js")).default as Ctor<[string]>;
			const { SqliteDatabaseAdapter } = (await load("@elizaos/adapter-sqlite/dist/index.js")) as {
				SqliteDatabaseAdapter: Ctor<[unknown]>;
			};
			return new SqliteDatabaseAdapter(new Database(sqlitePath));
		}
		const { PostgresDatabaseAdapter } = (await load("@elizaos/adapter-postgres/dist/index.js")) as {
			PostgresDatabaseAdapter: Ctor<[object]>;
		};
		dbUrl = await freshDatabase("eliza");
		return new PostgresDatabaseAdapter({ connectionString: dbUrl });
	};
	const contender: Contender = {
		name: `eliza-${engine}`,
		kind: "eliza",
		engine,
		exact: engine === "sqlite",
		async open() {
			await contender.close();
			adapter = await open();
			await adapter.init();
			for (const id of [w.agentId, w.userId]) {
				await adapter.createAccount({ id, name: "bench", username: id, email: `${id}@bench` });
			}
			for (const room of w.roomIds) await adapter.createRoom(room);
		},
		async insertOne(row, unique) {
			await adapter?.createMemory(
				{
					id: w.ids[row],
					agentId: w.agentId,
					userId: w.userId,
					roomId: w.roomIds[w.roomOf[row] as number],
					createdAt: 1_700_000_000_000 + row,
					content: { text: rowText(row) },
					embedding: Array.from(rowVector(w, row)),
				},
				"messages",
				unique,
			);
		},
		async search(query, k, room) {
			const found = await adapter?.searchMemoriesByEmbedding(Array.from(query), {
				tableName: "messages",
				agentId: w.agentId,
				count: k,
				...(room === undefined ? {} : { roomId: w.roomIds[room] }),
			});
			return (found ?? []).map((m) => m.id);
		},
		async diskBytes() {
			if (engine === "sqlite") return sqliteFileBytes(sqlitePath);
			const pg = (await import("pg")).default;
			const client = new pg.Client({ connectionString: dbUrl });
			await client.connect();
			try {
				return await relationBytes((sql, params) => client.query(sql, params));
			} finally {
				await client.end();
			}
		},
		async close() {
			await adapter?.close();
			adapter = undefined;
			if (engine === "sqlite") removeSqliteFiles(sqlitePath);
			else if (dbUrl) await dropDatabase("eliza");
			rmSync(join(scratchDir, "eliza-sqlite.db-journal"), { force: true });
		},
	};
	return contender;
}
