/**
 * A real server restart (pg_ctlcluster restart) under load: acknowledged writes survive exactly
 * once, the circuit opens while the server is down and closes by itself afterwards. Holds the
 * PostgreSQL test gate exclusively, so no other test file is running against the server, and
 * makes sure the server is up again at the end, whatever happened.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, expect, it } from "vitest";
import type { CircuitState } from "../../src/backends/postgres/index.js";
import { axis, makeWorld, memory } from "../conformance/fixtures.js";
import { ADMIN_URL, setupTestDatabase } from "./postgres/helpers.js";

const run = promisify(execFile);
const MAJOR = process.env.AGENTMEM_PG_MAJOR ?? "15";
const CLUSTER = process.env.AGENTMEM_PG_CLUSTER ?? "main";
const DIM = 8;

async function serverUp(): Promise<boolean> {
	const c = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
	c.on("error", () => undefined);
	try {
		await c.connect();
		await c.query("SELECT 1");
		return true;
	} catch {
		return false;
	} finally {
		await c.end().catch(() => undefined);
	}
}

/** Starts the cluster if it is down and waits until it accepts connections. */
async function ensureServerUp(): Promise<void> {
	for (let i = 0; i < 120; i++) {
		if (await serverUp()) return;
		if (i % 10 === 0) {
			await run("pg_ctlcluster", ["--skip-systemctl-redirect", MAJOR, CLUSTER, "start"]).catch(
				() => undefined,
			);
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	throw new Error(`PostgreSQL ${MAJOR}/${CLUSTER} did not come back up`);
}

const db = await setupTestDatabase("postgres restart", "exclusive");
afterAll(ensureServerUp, 120_000);

if (db) {
	it("server restart mid-load: acknowledged writes present once, circuit opens while down and closes after", async () => {
		const states: CircuitState[] = [];
		const a = await db.adapter({
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
			await run("pg_ctlcluster", ["--skip-systemctl-redirect", MAJOR, CLUSTER, "restart"]);
			await ensureServerUp();
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
}
