/**
 * The in-memory copy of the embeddings that SQL.js and SQLite (exact-scan, quantized) search is
 * derived from the `memories` table: generated sequences of writes (through the adapter, directly
 * on the caller's Database, in transactions that roll back) and searches with random room, agent,
 * type, uniqueness, count and threshold filters must answer exactly what a brute force over the
 * table's rows, read with plain SQL at that moment, answers: same ids, same similarities, same
 * order (ties by id).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import fc from "fast-check";
import initSqlJs from "sql.js";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteDatabaseAdapter } from "../../src/backends/sqlite/index.js";
import { SqlJsDatabaseAdapter } from "../../src/backends/sqljs/index.js";
import type { DatabaseAdapter } from "../../src/core/adapter.js";
import type { UUID } from "../../src/core/types.js";
import { cosineSimilarity } from "../../src/core/vector.js";

const DIM = 4;
const TYPES = ["messages", "facts"] as const;
const dir = mkdtempSync(join(tmpdir(), "agentmem-vector-cache-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface StoredRow {
	id: string;
	type: string;
	room_id: string;
	agent_id: string;
	is_unique: number;
	embedding: Uint8Array;
}

/** An adapter over a Database the test also reads and writes directly. */
interface Subject {
	adapter: DatabaseAdapter;
	/** Every memory row, read with plain SQL on the same Database. */
	rows(): StoredRow[];
	/** A statement run directly on the Database, past the adapter. */
	run(sql: string, params: unknown[]): void;
	close(): Promise<void>;
}

let files = 0;
const subjects: Record<string, () => Promise<Subject>> = {
	sqljs: async () => {
		const SQL = await initSqlJs();
		const db = new SQL.Database();
		const adapter = new SqlJsDatabaseAdapter({ database: db, embeddingDimension: DIM });
		await adapter.init();
		return {
			adapter,
			rows: () => {
				const [result] = db.exec(
					"SELECT id, type, room_id, agent_id, is_unique, embedding FROM memories WHERE embedding IS NOT NULL",
				);
				if (!result) return [];
				return result.values.map(
					(v) =>
						Object.fromEntries(result.columns.map((c, i) => [c, v[i]])) as unknown as StoredRow,
				);
			},
			run: (sql, params) => db.run(sql, params as never),
			close: async () => {
				await adapter.close();
				db.close();
			},
		};
	},
	...Object.fromEntries(
		(["exact-scan", "quantized"] as const).map((vectorSearch) => [
			`sqlite (${vectorSearch})`,
			async (): Promise<Subject> => {
				const db = new Database(join(dir, `db-${++files}.db`));
				const adapter = new SqliteDatabaseAdapter({
					database: db,
					embeddingDimension: DIM,
					vectorSearch,
					// Every search through the binary-code path (exact while the rows fit the rescore).
					...(vectorSearch === "quantized" ? { exactSearchBelow: 0 } : {}),
				});
				await adapter.init();
				return {
					adapter,
					rows: () =>
						db
							.prepare(
								"SELECT id, type, room_id, agent_id, is_unique, embedding FROM memories WHERE embedding IS NOT NULL",
							)
							.all() as StoredRow[],
					run: (sql, params) => void db.prepare(sql).run(...params),
					close: async () => {
						await adapter.close();
						db.close();
					},
				};
			},
		]),
	),
};

const vector = fc
	.array(fc.integer({ min: -2, max: 2 }), { minLength: DIM, maxLength: DIM })
	.filter((v) => v.some((x) => x !== 0));
const pick = (n: number) => fc.integer({ min: 0, max: n - 1 });

type Op =
	| { kind: "create"; room: number; agent: number; type: number; unique: boolean; v: number[] }
	| { kind: "remove"; which: number }
	| { kind: "move"; which: number; room: number }
	| { kind: "rollback"; room: number; v: number[] }
	| {
			kind: "search";
			v: number[];
			room: number | null;
			agent: number | null;
			type: number;
			unique: boolean;
			count: number;
			threshold: number | null;
	  };

const op: fc.Arbitrary<Op> = fc.oneof(
	{
		weight: 4,
		arbitrary: fc.record({
			kind: fc.constant("create" as const),
			room: pick(3),
			agent: pick(2),
			type: pick(2),
			unique: fc.boolean(),
			v: vector,
		}),
	},
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant("remove" as const), which: fc.nat() }) },
	{
		weight: 1,
		arbitrary: fc.record({ kind: fc.constant("move" as const), which: fc.nat(), room: pick(3) }),
	},
	{
		weight: 1,
		arbitrary: fc.record({ kind: fc.constant("rollback" as const), room: pick(3), v: vector }),
	},
	{
		weight: 4,
		arbitrary: fc.record({
			kind: fc.constant("search" as const),
			v: vector,
			room: fc.option(pick(3)),
			agent: fc.option(pick(2)),
			type: pick(2),
			unique: fc.boolean(),
			count: fc.integer({ min: 1, max: 12 }),
			threshold: fc.option(fc.constantFrom(-0.5, 0, 0.5, 0.9)),
		}),
	},
);

/** The brute-force answer over the rows as stored: cosine, similarity descending, ties by id. */
function reference(rows: StoredRow[], s: Extract<Op, { kind: "search" }>, ids: World) {
	const query = Float32Array.from(s.v);
	return rows
		.filter(
			(r) =>
				r.type === TYPES[s.type] &&
				(s.room === null || r.room_id === ids.rooms[s.room]) &&
				(s.agent === null || r.agent_id === ids.agents[s.agent]) &&
				(!s.unique || Number(r.is_unique) === 1),
		)
		.map((r) => {
			const b = r.embedding;
			const v = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
			return { id: r.id, similarity: cosineSimilarity(query, v) };
		})
		.filter((r) => s.threshold === null || r.similarity >= s.threshold)
		.sort((a, b) => b.similarity - a.similarity || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
		.slice(0, s.count);
}

interface World {
	rooms: UUID[];
	agents: UUID[];
}

async function makeWorld(a: DatabaseAdapter): Promise<World> {
	const agents = [crypto.randomUUID(), crypto.randomUUID()] as UUID[];
	for (const id of agents) await a.createAccount({ id, name: "a", username: id });
	const rooms: UUID[] = [];
	for (let i = 0; i < 3; i++) rooms.push(await a.createRoom());
	return { rooms, agents };
}

describe.each(Object.keys(subjects))("vector cache on %s", (name) => {
	it("answers every filtered search exactly as a brute force over the table", async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), async (ops) => {
				const s = await (subjects[name] as () => Promise<Subject>)();
				try {
					const w = await makeWorld(s.adapter);
					const ids: UUID[] = [];
					const memory = (room: number, agent: number, v: number[], id?: UUID) => ({
						...(id ? { id } : {}),
						userId: w.agents[agent] as UUID,
						agentId: w.agents[agent] as UUID,
						roomId: w.rooms[room] as UUID,
						content: { text: "m" },
						embedding: v,
					});
					for (const o of ops) {
						if (o.kind === "create") {
							const id = crypto.randomUUID() as UUID;
							await s.adapter.createMemory(
								memory(o.room, o.agent, o.v, id),
								TYPES[o.type] as string,
								o.unique,
							);
							ids.push(id);
						} else if (o.kind === "remove" && ids.length) {
							// Directly on the Database: the caller's own writes reach the copy too.
							s.run("DELETE FROM memories WHERE id = ?", [ids[o.which % ids.length]]);
						} else if (o.kind === "move" && ids.length) {
							s.run("UPDATE memories SET room_id = ? WHERE id = ?", [
								w.rooms[o.room],
								ids[o.which % ids.length],
							]);
						} else if (o.kind === "rollback") {
							await expect(
								s.adapter.transaction(async (tx) => {
									await tx.createMemory(memory(o.room, 0, o.v), "messages", true);
									// Refreshes the copy inside the transaction, which then rolls back.
									await tx.searchMemoriesByEmbedding(o.v, { tableName: "messages", count: 3 });
									throw new Error("roll back");
								}),
							).rejects.toThrow("roll back");
						} else if (o.kind === "search") {
							const found = await s.adapter.searchMemoriesByEmbedding(o.v, {
								tableName: TYPES[o.type] as string,
								...(o.room === null ? {} : { roomId: w.rooms[o.room] }),
								...(o.agent === null ? {} : { agentId: w.agents[o.agent] }),
								unique: o.unique,
								count: o.count,
								...(o.threshold === null ? {} : { match_threshold: o.threshold }),
							});
							expect(found.map((m) => ({ id: m.id, similarity: m.similarity }))).toEqual(
								reference(s.rows(), o, w),
							);
						}
					}
				} finally {
					await s.close();
				}
			}),
			{ numRuns: 25 },
		);
	}, 120_000);
});
