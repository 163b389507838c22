/**
 * The pool a PostgreSQL adapter creates (with the `schema` option's search path), and the schema
 * it creates under the migrations' lock, with the extensions where every schema sees them.
 */
import type { Pool, PoolConfig } from "pg";
import { ConfigurationError } from "../../core/errors.js";
import { POOL_DEFAULTS } from "./pg-types.js";
import type { PostgresAdapterOptions } from "./postgres-adapter.js";
import type { PostgresPoolDriver } from "./postgres-driver.js";
import { MIGRATION_LOCK_SQL } from "./postgres-statements.js";

/** A schema name agentmem accepts (created unquoted). */
export const SCHEMA_RE = /^[a-z_][a-z0-9_]{0,62}$/;

export async function createPool(
	o: PostgresAdapterOptions,
	extensionSchemas: string[] = [],
): Promise<Pool> {
	let pg: typeof import("pg");
	try {
		pg = await import("pg");
	} catch (err) {
		throw new ConfigurationError("the `pg` package is not installed: npm install pg", {
			cause: err,
		});
	}
	const Pool = pg.default?.Pool ?? pg.Pool;
	// The caller's settings, typed structurally in the options, are pg's PoolConfig.
	const config: PoolConfig = { ...POOL_DEFAULTS, ...(o.poolConfig as PoolConfig | undefined) };
	if (o.connectionString) config.connectionString = o.connectionString;
	if (o.schema) {
		// `extensions` is where Supabase installs pgvector; a missing schema in search_path is ignored.
		const path = `-c search_path=${[o.schema, ...extensionSchemas, ...SHARED_SCHEMAS].join(",")}`;
		config.options = config.options ? `${config.options} ${path}` : path;
	}
	return new Pool(config);
}

/** Schemas on every adapter's search path after its own: where extensions go, for all to see. */
const SHARED_SCHEMAS = ["public", "extensions"];
/** The extensions migration 001 needs. */
const EXTENSIONS = ["vector", "fuzzystrmatch"];
const EXTENSION_SCHEMAS_SQL = `SELECT DISTINCT n.nspname AS schema FROM pg_extension e
	JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = ANY ($1::text[])`;

/**
 * The schemas holding installed `vector`/`fuzzystrmatch` that the adapter's search path would not
 * list (e.g. another tenant's schema, where an older version installed them): used where they are,
 * never moved.
 */
export async function extensionSchemasOffPath(
	driver: PostgresPoolDriver,
	schema: string,
): Promise<string[]> {
	const rows = await driver.session.all<{ schema: string }>(EXTENSION_SCHEMAS_SQL, [EXTENSIONS]);
	const extra = rows
		.map((r) => r.schema)
		.filter((n) => n !== schema && !SHARED_SCHEMAS.includes(n))
		.sort();
	for (const n of extra) {
		if (!SCHEMA_RE.test(n)) {
			throw new ConfigurationError(
				`pgvector or fuzzystrmatch is installed in schema ${JSON.stringify(n)}, which cannot be put on the search path of the \`schema\` option: move it (ALTER EXTENSION ... SET SCHEMA public)`,
			);
		}
	}
	return extra;
}

/**
 * Creates the schema once, under the migrations' advisory lock (concurrent inits race otherwise),
 * and installs a missing `vector`/`fuzzystrmatch` in a schema every adapter's search path lists
 * (`extensions` where it exists, as on Supabase, else `public`): migration 001's own CREATE
 * EXTENSION would put them in this adapter's schema, out of every other schema's sight.
 */
export async function createSchema(driver: PostgresPoolDriver, schema: string): Promise<void> {
	await driver.transaction(async (s) => {
		await s.all(MIGRATION_LOCK_SQL);
		// `schema` matched SCHEMA_RE: a plain lowercase identifier.
		await s.run(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
		const installed = new Set(
			(await s.all<{ extname: string }>("SELECT extname FROM pg_extension")).map((r) => r.extname),
		);
		const missing = EXTENSIONS.filter((e) => !installed.has(e));
		if (missing.length === 0) return;
		const [target] = await s.all<{ name: string }>(
			"SELECT nspname AS name FROM pg_namespace WHERE nspname = ANY ($1::text[]) ORDER BY nspname = 'extensions' DESC LIMIT 1",
			[SHARED_SCHEMAS],
		);
		if (!target) return; // neither exists: migration 001 installs them as before
		// Both names are constants (EXTENSIONS, SHARED_SCHEMAS).
		for (const e of missing)
			await s.run(`CREATE EXTENSION IF NOT EXISTS ${e} SCHEMA "${target.name}"`);
	});
}
