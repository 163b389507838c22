/**
 * A real server restart (pg_ctl restart) under load: acknowledged writes survive exactly once, the
 * circuit opens while the server is down and closes by itself afterwards. The server restarted is
 * a throwaway cluster this file starts for itself (initdb on a free port), never the shared one of
 * AGENTMEM_TEST_POSTGRES_URL, which is checked to be left running untouched. Without initdb the
 * test skips loudly (fails under CI=true).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, expect, it } from "vitest";
import { type CircuitState, PostgresDatabaseAdapter } from "../../src/backends/postgres/index.js";
import { axis, makeWorld, memory } from "../conformance/fixtures.js";
import { skipOrFail } from "../support/skip.js";
import { ADMIN_URL } from "./postgres/helpers.js";
import { startThrowawayCluster } from "./postgres/throwaway-cluster.js";

const DIM = 8;

/** When the server at `url` started (null: unreachable). */
async function startTime(url: string): Promise<string | null> {
	const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
	c.on("error", () => undefined);
	try {
		await c.connect();
		const { rows } = await c.query<{ t: string }>("SELECT pg_postmaster_start_time()::text AS t");
		return rows[0]?.t ?? null;
	} catch {
		return null;
	} finally {
		await c.end().catch(() => undefined);
	}
}

// The shared server's start time before this file does anything (when one is given and up).
const sharedStartedAt = ADMIN_URL ? await startTime(ADMIN_URL) : null;
const started = await startThrowawayCluster();

if ("reason" in started) {
	skipOrFail("postgres restart", `needs its own PostgreSQL cluster: ${started.reason}`);
} else {
	const { cluster } = started;
	afterAll(() => cluster.destroy(), 60_000);

	it("server restart mid-load: acknowledged writes present once, circuit opens while down and closes after", async () => {
		const states: CircuitState[] = [];
		const a = new PostgresDatabaseAdapter({
			connectionString: cluster.url,
			embeddingDimension: DIM,
			poolConfig: {
				max: 5,
				application_name: `agentmem_restart_${randomBytes(3).toString("hex")}`,
			},
			retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 100 },
			circuitBreaker: {
				failureThreshold: 3,
				resetTimeoutMs: 250,
				onStateChange: (s) => states.push(s),
			},
		});
		await a.init();
		try {
			const w = await makeWorld(a);
			const acknowledged: string[] = [];
			const errors = new Set<string>();
			let stop = false;
			let n = 0;
			const worker = async () => {
				while (!stop) {
					const text = `r${n++}`;
					try {
						if (n % 3 === 0) {
							await a.transaction((tx) =>
								tx.createMemory(memory(w, { text, embedding: axis(DIM, n % DIM) }), "messages"),
							);
						} else {
							await a.createMemory(memory(w, { text, embedding: axis(DIM, n % DIM) }), "messages");
						}
						acknowledged.push(text);
					} catch (err) {
						errors.add((err as Error).name);
						await new Promise((r) => setTimeout(r, 10));
					}
				}
			};
			const workers = Array.from({ length: 8 }, worker);
			await new Promise((r) => setTimeout(r, 300));
			const before = await startTime(cluster.url);
			await cluster.restart();
			expect(await startTime(cluster.url)).not.toBe(before); // it really went down
			// Keep the load on until the breaker has closed again by itself.
			for (let i = 0; i < 200 && a.circuitState !== "closed"; i++) {
				await new Promise((r) => setTimeout(r, 100));
			}
			await new Promise((r) => setTimeout(r, 300));
			stop = true;
			await Promise.all(workers);

			expect(states).toContain("open");
			expect(a.circuitState).toBe("closed");
			expect(states.at(-1)).toBe("closed");
			expect([...errors].every((e) => e === "ConnectionError" || e === "CircuitOpenError")).toBe(
				true,
			);
			expect(errors.has("CircuitOpenError")).toBe(true);
			expect(await a.testConnection()).toBe(true);
			const rows = await a.getMemories({ roomId: w.roomId, tableName: "messages" });
			const counts = new Map<string, number>();
			for (const m of rows) {
				const t = m.content.text as string;
				counts.set(t, (counts.get(t) ?? 0) + 1);
			}
			for (const t of acknowledged) expect(counts.get(t), t).toBe(1);
			for (const c of counts.values()) expect(c).toBe(1);
			expect(acknowledged.length).toBeGreaterThan(10);
		} finally {
			await a.close();
		}
	}, 180_000);

	it("leaves the shared server (AGENTMEM_TEST_POSTGRES_URL) running, never restarted", async (ctx) => {
		if (!ADMIN_URL || sharedStartedAt === null)
			return ctx.skip("no shared PostgreSQL given or reachable (AGENTMEM_TEST_POSTGRES_URL)");
		expect(new URL(ADMIN_URL).port || "5432").not.toBe(String(cluster.port));
		expect(await startTime(ADMIN_URL)).toBe(sharedStartedAt);
	});
}
