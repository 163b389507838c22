/**
 * PostgreSQL test support: each test file gets its own database (created from the admin URL,
 * dropped at the end), and each adapter its own schema in it, so tests never see each other's rows.
 * The server is only ever the one AGENTMEM_TEST_POSTGRES_URL names (there is no default: a test
 * run must not pick up whatever server happens to listen on this machine). Without it, or when
 * that server is unreachable, the tests skip with a loud notice, except under CI=true, where they
 * fail. Tests that stop or restart a server start their own (./throwaway-cluster.ts).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll } from "vitest";
import {
	type PostgresAdapterOptions,
	PostgresDatabaseAdapter,
} from "../../../src/backends/postgres/index.js";
import { skipOrFail } from "../../support/skip.js";

/** The shared server the tests may use (its databases: only those they create), if one is given. */
export const ADMIN_URL: string | undefined = process.env.AGENTMEM_TEST_POSTGRES_URL || undefined;

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

/** The URL for messages, its password masked. */
function shown(url: string): string {
	try {
		const u = new URL(url);
		if (u.password) u.password = "***";
		return u.toString();
	} catch {
		return "(an unparseable URL)";
	}
}

function urlFor(adminUrl: string, database: string): string {
	const u = new URL(adminUrl);
	u.pathname = `/${database}`;
	return u.toString();
}

async function reachable(adminUrl: string): Promise<string | null> {
	const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
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
 * Creates this file's database (with `vector` and `fuzzystrmatch` in `public`) on the server of
 * AGENTMEM_TEST_POSTGRES_URL, or returns null after registering a skipped (dev) or failing (CI)
 * test saying why there is none.
 */
export async function setupTestDatabase(label: string): Promise<TestDatabase | null> {
	const adminUrl = ADMIN_URL;
	if (!adminUrl) {
		skipOrFail(
			label,
			'needs PostgreSQL: AGENTMEM_TEST_POSTGRES_URL is not set (export AGENTMEM_TEST_POSTGRES_URL="$(bash scripts/provision-postgres.sh)")',
		);
		return null;
	}
	const problem = await reachable(adminUrl);
	if (problem) {
		skipOrFail(
			label,
			`needs PostgreSQL: unreachable at ${shown(adminUrl)} (${problem}); run scripts/provision-postgres.sh`,
		);
		return null;
	}
	const name = `agentmem_t_${randomBytes(6).toString("hex")}`;
	const admin = new pg.Client({ connectionString: adminUrl });
	await admin.connect();
	await admin.query(`CREATE DATABASE ${name}`);
	await admin.end();
	const url = urlFor(adminUrl, name);
	const sqlPool = new pg.Pool({ connectionString: url, max: 2 });
	sqlPool.on("error", () => undefined);
	await sqlPool.query(
		"CREATE EXTENSION IF NOT EXISTS vector SCHEMA public; CREATE EXTENSION IF NOT EXISTS fuzzystrmatch SCHEMA public",
	);
	afterAll(async () => {
		await sqlPool.end();
		const c = new pg.Client({ connectionString: adminUrl });
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
