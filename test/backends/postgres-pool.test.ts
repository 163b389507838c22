/**
 * The pg driver under load and faults: pool limits and release, a caller-owned pool, concurrent
 * migrators, error mapping, and backends terminated mid-load.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { expect, it } from "vitest";
import { PostgresDatabaseAdapter } from "../../src/backends/postgres/index.js";
import { postgresFamily } from "../../src/backends/postgres/postgres-family.js";
import {
	CircuitOpenError,
	ConfigurationError,
	ConflictError,
	ConnectionError,
	NotFoundError,
} from "../../src/core/errors.js";
import type { Goal } from "../../src/core/types.js";
import { account, axis, makeWorld, memory, newId } from "../conformance/fixtures.js";
import { setupTestDatabase } from "./postgres/helpers.js";

const db = await setupTestDatabase("postgres pool");
const DIM = 8;

if (db) {
	it("1,000 concurrent searches and 1,000 concurrent writes through a caller's pool of 5; the pool ends idle and outlives close()", async () => {
		const schema = `pool_${randomBytes(4).toString("hex")}`;
		await db.sql(`CREATE SCHEMA ${schema}`);
		const pool = new pg.Pool({
			connectionString: db.url,
			max: 5,
			connectionTimeoutMillis: 30_000,
			options: `-c search_path=${schema},public`,
		});
		try {
			const a = new PostgresDatabaseAdapter({ pool, embeddingDimension: DIM });
			await a.init();
			const w = await makeWorld(a);
			const writes = Array.from({ length: 1000 }, (_, i) =>
				memory(w, { text: `w${i}`, embedding: axis(DIM, i % DIM, 1 + i) }),
			);
			await Promise.all(writes.map((m, i) => a.createMemory(m, "messages", i % 2 === 0)));
			const searches = await Promise.all(
				Array.from({ length: 1000 }, (_, i) =>
					a.searchMemoriesByEmbedding(axis(DIM, i % DIM), {
						tableName: "messages",
						roomId: w.roomId,
						count: 5,
					}),
				),
			);
			expect(searches.every((r) => r.length === 5)).toBe(true);
			expect(await a.countMemories(w.roomId, false, "messages")).toBe(1000);
			expect(pool.totalCount).toBeLessThanOrEqual(5);
			expect(pool.waitingCount).toBe(0);
			expect(pool.idleCount).toBe(pool.totalCount);
			await a.close();
			await a.close(); // idempotent
			const { rows } = await pool.query("SELECT count(*)::int AS n FROM memories");
			expect(rows[0].n).toBe(1000);
		} finally {
			await pool.end();
		}
	}, 180_000);

	it("ten adapters calling init() at once on an empty schema end with one schema and no error", async () => {
		const schema = `race_${randomBytes(4).toString("hex")}`;
		const adapters = Array.from(
			{ length: 10 },
			() =>
				new PostgresDatabaseAdapter({
					connectionString: db.url,
					schema,
					embeddingDimension: DIM,
					poolConfig: { max: 2 },
				}),
		);
		try {
			await Promise.all(adapters.map((a) => a.init()));
			const versions = await db.sql(
				`SELECT version FROM ${schema}.agentmem_migrations ORDER BY version`,
			);
			expect(versions.map((r) => r.version)).toEqual(
				postgresFamily.migrations.map((m) => m.version),
			);
			const tables = await db.sql(
				"SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $1 AND tablename = 'memories'",
				[schema],
			);
			expect(tables[0]?.n).toBe(1);
			const w = await makeWorld(adapters[3] as PostgresDatabaseAdapter);
			expect(await adapters[7]?.getRoom(w.roomId)).toBe(w.roomId);
		} finally {
			await Promise.all(adapters.map((a) => a.close()));
		}
	}, 60_000);

	it("maps errors: unique → ConflictError, foreign key → NotFoundError, unreachable → ConnectionError", async () => {
		const a = await db.adapter({ embeddingDimension: DIM });
		try {
			const w = await makeWorld(a);
			const goal: Goal = {
				id: newId(),
				roomId: w.roomId,
				userId: w.userId,
				name: "g",
				status: "IN_PROGRESS",
				objectives: [],
			};
			await a.createGoal(goal);
			await expect(a.createGoal(goal)).rejects.toBeInstanceOf(ConflictError);
			await expect(a.createGoal({ ...goal, id: newId(), roomId: newId() })).rejects.toBeInstanceOf(
				NotFoundError,
			);
		} finally {
			await a.close();
		}
		const dead = new PostgresDatabaseAdapter({
			connectionString: "postgres://postgres@127.0.0.1:1/none",
			retry: { maxAttempts: 2, baseDelayMs: 1 },
		});
		const err = await dead.init().catch((e: unknown) => e);
		expect(err).toBeInstanceOf(ConnectionError);
		expect((err as Error).message).toMatch(/ECONNREFUSED|connect/);
		await dead.close();
	});

	it("refuses inconsistent options with ConfigurationError", () => {
		expect(() => new PostgresDatabaseAdapter({})).toThrow(ConfigurationError);
		expect(
			() => new PostgresDatabaseAdapter({ connectionString: db.url, schema: "Bad-Name" }),
		).toThrow(ConfigurationError);
		const pool = new pg.Pool({ connectionString: db.url });
		expect(() => new PostgresDatabaseAdapter({ pool, connectionString: db.url })).toThrow(
			ConfigurationError,
		);
		expect(() => new PostgresDatabaseAdapter({ pool, schema: "s" })).toThrow(ConfigurationError);
		return pool.end();
	});

	it("pg_terminate_backend mid-load: every acknowledged write is present once, none doubled", async () => {
		const app = `agentmem_fault_${randomBytes(4).toString("hex")}`;
		const a = await db.adapter({
			embeddingDimension: DIM,
			poolConfig: { max: 5, application_name: app },
			retry: { maxAttempts: 6, baseDelayMs: 5 },
			// The killer may open the breaker; it must be closed again before the checks below.
			circuitBreaker: { failureThreshold: 5, resetTimeoutMs: 100 },
		});
		try {
			const w = await makeWorld(a);
			const acknowledged: string[] = [];
			const failed: string[] = [];
			let running = true;
			// Kills every 15 ms, with a 200 ms lull every fifth round: on a loaded machine a write can
			// take longer than 15 ms, and without lulls none would ever be acknowledged.
			const killer = (async () => {
				for (let round = 1; running; round++) {
					await db.sql(
						"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
						[app],
					);
					await new Promise((r) => setTimeout(r, round % 5 === 0 ? 200 : 15));
				}
			})();
			const work = Array.from({ length: 400 }, async (_, i) => {
				const text = `t${i}`;
				try {
					if (i % 4 === 0) {
						await a.transaction(async (tx) => {
							await tx.createMemory({ ...memory(w, { text }), id: undefined }, "messages");
						});
					} else {
						await a.createMemory(memory(w, { text, embedding: axis(DIM, i % DIM) }), "messages");
						await a.searchMemoriesByEmbedding(axis(DIM, 0), { tableName: "messages", count: 3 });
					}
					acknowledged.push(text);
				} catch (err) {
					expect((err as Error).name).toMatch(/ConnectionError|CircuitOpenError/);
					failed.push(text);
				}
			});
			try {
				await Promise.all(work);
			} finally {
				// Stop the killer before anything else, even when an assertion failed above.
				running = false;
				await killer;
			}
			const rows = await whenCircuitCloses(() =>
				a.getMemories({ roomId: w.roomId, tableName: "messages" }),
			);
			const counts = new Map<string, number>();
			for (const m of rows)
				counts.set(m.content.text as string, (counts.get(m.content.text as string) ?? 0) + 1);
			for (const t of acknowledged) expect(counts.get(t)).toBe(1);
			for (const n of counts.values()) expect(n).toBe(1);
			expect(acknowledged.length).toBeGreaterThan(0);
			expect(await a.testConnection()).toBe(true);
		} finally {
			await a.close();
		}
	}, 120_000);

	it("an account created once reports true, and the pool's error event never crashes the process", async () => {
		const errors: Error[] = [];
		const app = `agentmem_idle_${randomBytes(4).toString("hex")}`;
		const a = await db.adapter({
			embeddingDimension: DIM,
			poolConfig: { max: 3, application_name: app },
			onPoolError: (e) => errors.push(e),
		});
		try {
			expect(await a.createAccount(account())).toBe(true);
			// Idle connections killed under the pool: it reports and discards them.
			await db.sql(
				"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
				[app],
			);
			await new Promise((r) => setTimeout(r, 200));
			expect(errors.length).toBeGreaterThan(0);
			expect(await a.testConnection()).toBe(true);
		} finally {
			await a.close();
		}
	});
}

/** Runs `read`, waiting out an open circuit breaker (it lets a probe through after its timeout). */
async function whenCircuitCloses<T>(read: () => Promise<T>): Promise<T> {
	for (let attempt = 0; ; attempt++) {
		try {
			return await read();
		} catch (err) {
			if (!(err instanceof CircuitOpenError) || attempt >= 50) throw err;
			await new Promise((r) => setTimeout(r, 120));
		}
	}
}
