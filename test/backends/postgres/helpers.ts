/**
 * PostgreSQL test support: each test file gets its own database (created from the admin URL,
 * dropped at the end), and each adapter its own schema in it, so tests never see each other's rows.
 * When the server is unreachable the tests skip with a loud notice, except under CI=true, where
 * they fail.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, it } from "vitest";
import {
	type PostgresAdapterOptions,
	PostgresDatabaseAdapter,
} from "../../../src/backends/postgres/index.js";

export const ADMIN_URL =
	process.env.AGENTMEM_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/agentmem_test";

export interface TestDatabase {
	url: string;
	name: string;
	/** A fresh adapter in a fresh schema of this database, initialised. */
	adapter(options?: Partial<PostgresAdapterOptions>): Promise<PostgresDatabaseAdapter>;
	/** Runs SQL as the admin on this database (test setup and inspection only). */
	sql<T extends pg.QueryResultRow = pg.QueryResultRow>(
		text: string,
		values?: unknown[],
	): Promise<T[]>;
}

function urlFor(database: string): string {
	const u = new URL(ADMIN_URL);
	u.pathname = `/${database}`;
	return u.toString();
}

async function reachable(): Promise<string | null> {
	const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
	try {
		await client.connect();
		await client.query("SELECT 1");
		return null;
	} catch (err) {
		return (err as Error).message;
	} finally {
		await client.end().catch(() => undefined);
	}
}

let schemaCounter = 0;

/**
 * Every PostgreSQL test file holds this advisory lock shared while it runs; the server-restart
 * test takes it exclusively, so it never restarts the server under another file's feet.
 */
const GATE = 1634168174;

/** Takes the gate (retrying through a server restart); resolves to its release. */
export async function holdGate(mode: "shared" | "exclusive"): Promise<() => Promise<void>> {
	const deadline = Date.now() + 600_000;
	for (;;) {
		const client = new pg.Client({ connectionString: ADMIN_URL });
		client.on("error", () => undefined); // a restart ends the session, and with it the lock
		try {
			await client.connect();
			await client.query(
				mode === "shared" ? "SELECT pg_advisory_lock_shared($1)" : "SELECT pg_advisory_lock($1)",
				[GATE],
			);
			return () => client.end().catch(() => undefined);
		} catch (err) {
			await client.end().catch(() => undefined);
			if (Date.now() > deadline) throw err;
			await new Promise((r) => setTimeout(r, 500));
		}
	}
}

/**
 * Creates this file's database (with `vector` and `fuzzystrmatch` in `public`), or returns null
 * after registering a skipped (dev) or failing (CI) test saying PostgreSQL is unreachable.
 */
export async function setupTestDatabase(
	label: string,
	gate: "shared" | "exclusive" = "shared",
): Promise<TestDatabase | null> {
	const problem = await reachable();
	if (problem) {
		const notice = `PostgreSQL unreachable at ${ADMIN_URL} (${problem}); run scripts/provision-postgres.sh and export AGENTMEM_TEST_POSTGRES_URL`;
		if (process.env.CI === "true") {
			it(`${label}: PostgreSQL is reachable`, () => {
				throw new Error(notice);
			});
		} else {
			console.warn(`\n!!!!!!!! SKIPPING ${label}: ${notice} !!!!!!!!\n`);
			it.skip(`${label}: needs PostgreSQL`, () => undefined);
		}
		return null;
	}
	const releaseGate = await holdGate(gate);
	afterAll(releaseGate);
	const name = `agentmem_t_${randomBytes(6).toString("hex")}`;
	const admin = new pg.Client({ connectionString: ADMIN_URL });
	await admin.connect();
	await admin.query(`CREATE DATABASE ${name}`);
	await admin.end();
	const url = urlFor(name);
	const sqlPool = new pg.Pool({ connectionString: url, max: 2 });
	sqlPool.on("error", () => undefined);
	await sqlPool.query(
		"CREATE EXTENSION IF NOT EXISTS vector SCHEMA public; CREATE EXTENSION IF NOT EXISTS fuzzystrmatch SCHEMA public",
	);
	afterAll(async () => {
		await sqlPool.end();
		const c = new pg.Client({ connectionString: ADMIN_URL });
		await c.connect();
		await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
		await c.end();
	});
	return {
		url,
		name,
		async adapter(options = {}) {
			const a = new PostgresDatabaseAdapter({
				connectionString: url,
				schema: `s_${process.pid}_${schemaCounter++}`,
				poolConfig: { max: 4 },
				...options,
			} as PostgresAdapterOptions);
			await a.init();
			return a;
		},
		async sql(text, values) {
			return (await sqlPool.query(text, values)).rows;
		},
	};
}
