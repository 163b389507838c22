/**
 * Scratch PostgreSQL databases for the bench: each contender gets its own `agentmem_bench_*`
 * database on the server of $AGENTMEM_TEST_POSTGRES_URL, dropped and recreated for every phase.
 */

import pg from "pg";
import { Unavailable } from "./contender.js";

/** What scripts/provision-postgres.sh sets up when nothing else is said. */
const DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/agentmem_test";

export function serverUrl(): string {
	return (
		process.env.AGENTMEM_BENCH_POSTGRES_URL ?? process.env.AGENTMEM_TEST_POSTGRES_URL ?? DEFAULT_URL
	);
}

/** Drops and creates database `agentmem_bench_<suffix>`; resolves to its URL. */
export async function freshDatabase(suffix: string): Promise<string> {
	if (!/^[a-z0-9_]+$/.test(suffix)) throw new RangeError(`bad database suffix ${suffix}`);
	const name = `agentmem_bench_${suffix}`;
	const admin = new pg.Client({ connectionString: serverUrl(), connectionTimeoutMillis: 3000 });
	try {
		await admin.connect();
	} catch (error) {
		throw new Unavailable(`PostgreSQL at ${serverUrl()} unreachable: ${(error as Error).message}`);
	}
	try {
		await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
		await admin.query(`CREATE DATABASE ${name}`);
	} finally {
		await admin.end();
	}
	const url = new URL(serverUrl());
	url.pathname = `/${name}`;
	return url.toString();
}

export async function dropDatabase(suffix: string): Promise<void> {
	const admin = new pg.Client({ connectionString: serverUrl() });
	await admin.connect();
	try {
		await admin.query(`DROP DATABASE IF EXISTS agentmem_bench_${suffix} WITH (FORCE)`);
	} finally {
		await admin.end();
	}
}
