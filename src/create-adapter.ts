/**
 * `createAdapter(url)`: one URL picks the backend. Backends are imported lazily, so a user of one
 * never loads (or installs) another's driver.
 */
import type { DatabaseAdapter } from "./core/adapter.js";
import { ConfigurationError } from "./core/errors.js";
import { redactUrl } from "./core/redact.js";
import type { SettingsOptions } from "./core/sql/migrate.js";

export const DEFAULT_DATABASE_URL = "sqlite:./agentmem.db";

export const URL_FORMS = [
	"sqlite:./path/to/file.db",
	"sqlite::memory:",
	"sqljs:memory",
	"pglite:memory",
	"pglite:./path/to/dir",
	"postgres://user:password@host:5432/database (or postgresql://…)",
	"http://host:7077 or https://… (an `agentmem serve` service; key from AGENTMEM_API_KEY)",
] as const;

export interface CreateAdapterOptions extends SettingsOptions {
	/** Backend-specific options, passed to the backend's constructor as they are. */
	// biome-ignore lint/suspicious/noExplicitAny: each backend types its own options.
	[option: string]: any;
}

/** What a URL names: the backend and its location. */
export type ParsedUrl =
	| { backend: "sqlite"; path: string }
	| { backend: "sqljs" }
	| { backend: "pglite"; dataDir: string | undefined }
	| { backend: "postgres"; connectionString: string }
	| { backend: "remote"; url: string };

export function parseDatabaseUrl(url: string): ParsedUrl {
	if (typeof url !== "string" || url.trim() === "") throw badUrl(url, "it is empty");
	const u = url.trim();
	if (u.startsWith("postgres://") || u.startsWith("postgresql://")) {
		try {
			new URL(u);
		} catch (err) {
			throw badUrl(u, "it is not a valid URL", err);
		}
		return { backend: "postgres", connectionString: u };
	}
	if (u.startsWith("http://") || u.startsWith("https://")) {
		try {
			new URL(u);
		} catch (err) {
			throw badUrl(u, "it is not a valid URL", err);
		}
		return { backend: "remote", url: u };
	}
	const colon = u.indexOf(":");
	const scheme = colon > 0 ? u.slice(0, colon) : "";
	const rest = u.slice(colon + 1);
	switch (scheme) {
		case "sqlite":
			if (rest === "")
				throw badUrl(u, "it names no file (use sqlite::memory: for an in-memory database)");
			return { backend: "sqlite", path: rest };
		case "sqljs":
			if (rest !== "memory") throw badUrl(u, "SQL.js databases live in memory: use sqljs:memory");
			return { backend: "sqljs" };
		case "pglite":
			if (rest === "")
				throw badUrl(u, "it names no directory (use pglite:memory for an in-memory database)");
			return { backend: "pglite", dataDir: rest === "memory" ? undefined : rest };
		default:
			throw badUrl(u, scheme ? `"${scheme}:" is not a backend` : "it has no scheme");
	}
}

function badUrl(url: unknown, why: string, cause?: unknown): ConfigurationError {
	return new ConfigurationError(
		`Cannot use database URL ${JSON.stringify(typeof url === "string" ? redactUrl(url) : url)}: ${why}. Valid forms: ${URL_FORMS.join(", ")}.`,
		{ cause },
	);
}

/** The URL to use when none is given: `AGENTMEM_DATABASE_URL`, else `sqlite:./agentmem.db`. */
export function defaultDatabaseUrl(): string {
	return processEnv()?.AGENTMEM_DATABASE_URL || DEFAULT_DATABASE_URL;
}

/** `process.env` where there is one (not in a browser). */
function processEnv(): Record<string, string | undefined> | undefined {
	return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
}

/**
 * Opens the database a URL names and resolves to an initialised adapter. Without a URL, uses
 * `AGENTMEM_DATABASE_URL`, else `sqlite:./agentmem.db`.
 */
export async function createAdapter(
	url?: string,
	options: CreateAdapterOptions = {},
): Promise<DatabaseAdapter> {
	const parsed = parseDatabaseUrl(url ?? defaultDatabaseUrl());
	const adapter = await construct(parsed, options);
	try {
		await adapter.init();
	} catch (err) {
		await adapter.close().catch(() => undefined);
		throw err;
	}
	return adapter;
}

async function construct(
	parsed: ParsedUrl,
	options: CreateAdapterOptions,
): Promise<DatabaseAdapter> {
	switch (parsed.backend) {
		case "sqljs": {
			const { SqlJsDatabaseAdapter } = await import("./backends/sqljs/index.js");
			return new SqlJsDatabaseAdapter(options);
		}
		case "sqlite": {
			const { SqliteDatabaseAdapter } = await load(
				"sqlite",
				() => import("./backends/sqlite/index.js"),
			);
			return new SqliteDatabaseAdapter({ ...options, path: parsed.path });
		}
		case "pglite": {
			const { PGliteDatabaseAdapter } = await load(
				"pglite",
				() => import("./backends/pglite/index.js"),
			);
			return new PGliteDatabaseAdapter({ ...options, dataDir: parsed.dataDir });
		}
		case "postgres": {
			const { PostgresDatabaseAdapter } = await load(
				"postgres",
				() => import("./backends/postgres/index.js"),
			);
			return new PostgresDatabaseAdapter({ ...options, connectionString: parsed.connectionString });
		}
		case "remote": {
			const { RemoteDatabaseAdapter } = await import("./remote/remote-adapter.js");
			const { timeoutMs, retries, fetch, headers } = options;
			return new RemoteDatabaseAdapter({
				url: parsed.url,
				apiKey: options.apiKey ?? processEnv()?.AGENTMEM_API_KEY,
				expectDimension: options.embeddingDimension,
				...{ timeoutMs, retries, fetch, headers },
			});
		}
	}
}

async function load<T>(backend: string, importer: () => Promise<T>): Promise<T> {
	try {
		return await importer();
	} catch (err) {
		throw new ConfigurationError(
			`The ${backend} backend could not be loaded; install its driver (see the README section on ${backend}).`,
			{ cause: err },
		);
	}
}
