/**
 * Versioned migrations and the database's recorded settings. One transaction applies every pending
 * migration and records the embedding dimension and model at the first `init()`; a later `init()`
 * with other settings is refused, so vectors of two widths never meet in one database.
 */
import {
	ConfigurationError,
	NoSchemaError,
	OutdatedSchemaError,
	ReadOnlyDatabaseError,
} from "../errors.js";
import { assertCount } from "../validation.js";
import type { SqlDriver } from "./driver.js";
import type { Migration, SqlFamily } from "./family.js";

export const DEFAULT_EMBEDDING_DIMENSION = 384;
/** pgvector's `vector` type stops at 16,000 dimensions; no backend accepts more. */
export const MAX_EMBEDDING_DIMENSION = 16000;

export interface SettingsOptions {
	/** The embedding dimension. Default: the recorded one, else 384. */
	embeddingDimension?: number;
	/** The embedding model's name. Recorded at first use; another model is then refused. */
	embeddingModel?: string;
	/**
	 * `false`: never create or migrate the schema. `init()` reads the recorded settings and refuses
	 * a database without agentmem's tables (NoSchemaError) or with migrations pending
	 * (OutdatedSchemaError), so a mistyped URL creates nothing. Default: true.
	 */
	migrate?: boolean;
}

export interface DatabaseSettings {
	embeddingDimension: number;
	embeddingModel: string | null;
	schemaVersion: number;
}

export function validateSettingsOptions(options: SettingsOptions): void {
	if (options.embeddingDimension !== undefined) {
		assertCount(options.embeddingDimension, "embeddingDimension", {
			min: 1,
			max: MAX_EMBEDDING_DIMENSION,
		});
	}
	if (options.embeddingModel !== undefined && typeof options.embeddingModel !== "string") {
		throw new ConfigurationError("embeddingModel must be a string");
	}
	if (options.migrate !== undefined && typeof options.migrate !== "boolean") {
		throw new ConfigurationError("migrate must be a boolean");
	}
}

/** Applies pending migrations (family ones, then the backend's `extra`) and reconciles settings. */
export async function migrate(
	driver: SqlDriver,
	family: SqlFamily,
	options: SettingsOptions,
	extra: readonly Migration[] = [],
): Promise<DatabaseSettings> {
	validateSettingsOptions(options);
	const s = family.statements;
	const all = [...family.migrations, ...extra].sort((a, b) => a.version - b.version);
	return driver.transaction(async (session) => {
		if (s.migrationLock) await session.all(s.migrationLock);
		for (const statement of s.bootstrap) await session.run(statement);
		const meta = new Map(
			(await session.all<{ key: string; value: string }>(s.metaAll)).map((r) => [r.key, r.value]),
		);
		const settings = reconcile(meta, options);
		const applied = new Set(
			(await session.all<{ version: unknown }>(s.migrationsApplied)).map((r) => Number(r.version)),
		);
		for (const m of all) {
			if (applied.has(m.version)) continue;
			await session.exec(m.sql.replaceAll("{{dimension}}", String(settings.embeddingDimension)));
			await session.run(s.migrationRecord, [m.version, m.name, Date.now()]);
			applied.add(m.version);
		}
		await session.run(s.metaSet, ["embedding_dimension", String(settings.embeddingDimension)]);
		if (settings.embeddingModel !== null) {
			await session.run(s.metaSet, ["embedding_model", settings.embeddingModel]);
		}
		return { ...settings, schemaVersion: Math.max(0, ...applied) };
	});
}

/** Why settings are only read: a read-only adapter, or one opened with `migrate: false`. */
export type ReadOnlyReason = "readonly" | "migrate: false";

/**
 * The recorded settings of a database opened read-only (or with `migrate: false`): nothing is
 * created, migrated or recorded. A database without agentmem's tables, or with migrations pending,
 * is refused: ReadOnlyDatabaseError saying to open it writable once, or for `migrate: false`
 * NoSchemaError / OutdatedSchemaError.
 */
export async function readSettings(
	driver: SqlDriver,
	family: SqlFamily,
	options: SettingsOptions,
	extra: readonly Migration[] = [],
	reason: ReadOnlyReason = "readonly",
): Promise<DatabaseSettings> {
	validateSettingsOptions(options);
	const s = family.statements;
	const readonly = reason === "readonly";
	const writableOnce = readonly
		? "open it once without readonly (on writable storage) so agentmem can set it up, then read-only"
		: "open it once without migrate: false so agentmem can set it up (`agentmem init`)";
	const opened = readonly ? "is opened read-only" : "was opened with migrate: false";
	let meta: Map<string, string>;
	let applied: Set<number>;
	try {
		meta = new Map(
			(await driver.session.all<{ key: string; value: string }>(s.metaAll)).map((r) => [
				r.key,
				r.value,
			]),
		);
		applied = new Set(
			(await driver.session.all<{ version: unknown }>(s.migrationsApplied)).map((r) =>
				Number(r.version),
			),
		);
	} catch (err) {
		const message = `This database has no agentmem tables and ${opened}: ${writableOnce}.`;
		throw readonly
			? new ReadOnlyDatabaseError(message, { cause: err })
			: new NoSchemaError(message, { cause: err });
	}
	const pending = [...family.migrations, ...extra].filter((m) => !applied.has(m.version));
	if (pending.length > 0) {
		const message = `This database ${opened} but its schema is older than this agentmem (pending: ${pending.map((m) => `${m.version} ${m.name}`).join(", ")}): ${writableOnce}.`;
		throw readonly ? new ReadOnlyDatabaseError(message) : new OutdatedSchemaError(message);
	}
	if (!meta.has("embedding_dimension")) {
		const message = `This database ${opened} and has no recorded embedding dimension: ${writableOnce}.`;
		throw readonly ? new ReadOnlyDatabaseError(message) : new NoSchemaError(message);
	}
	return { ...reconcile(meta, options), schemaVersion: Math.max(0, ...applied) };
}

function reconcile(
	meta: Map<string, string>,
	options: SettingsOptions,
): Omit<DatabaseSettings, "schemaVersion"> {
	const recordedDim = meta.has("embedding_dimension")
		? Number(meta.get("embedding_dimension"))
		: undefined;
	const recordedModel = meta.get("embedding_model") ?? null;
	if (
		recordedDim !== undefined &&
		options.embeddingDimension !== undefined &&
		recordedDim !== options.embeddingDimension
	) {
		throw new ConfigurationError(
			`This database stores ${recordedDim}-dimensional embeddings, but the adapter was configured ` +
				`for ${options.embeddingDimension}. Open it with embeddingDimension: ${recordedDim}, or re-embed ` +
				"it with the new model in place (reembed(), `agentmem reembed`; see docs/lifecycle.md).",
		);
	}
	if (
		recordedModel !== null &&
		options.embeddingModel !== undefined &&
		recordedModel !== options.embeddingModel
	) {
		throw new ConfigurationError(
			`This database's embeddings were made by "${recordedModel}", but the adapter was configured ` +
				`with "${options.embeddingModel}". Vectors of two models cannot be compared: use "${recordedModel}", ` +
				"or re-embed the database with the new model (reembed(), `agentmem reembed`; see docs/lifecycle.md).",
		);
	}
	return {
		embeddingDimension: recordedDim ?? options.embeddingDimension ?? DEFAULT_EMBEDDING_DIMENSION,
		embeddingModel: recordedModel ?? options.embeddingModel ?? null,
	};
}
