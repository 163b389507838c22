/**
 * Each record kind's table, described once: its columns in table order, with their kind and
 * whether they may be null. The select lists (columns.ts), the memory upserts' parameters
 * (`bindMemory`, `memoryJsonRow`), `MEMORY_FIELDS` and test/backends/record-tables.test.ts (which
 * compares these descriptions with the tables migrations create, on SQLite and PGlite) read it.
 * Adding a column to `memories`: docs/architecture.md lists the steps.
 */

/** How a column is stored: each family maps a kind to one SQL type (see the test). */
export type ColumnKind =
	| "uuid"
	| "text"
	| "json"
	| "integer"
	/** Milliseconds since the epoch (64-bit). */
	| "timestamp"
	| "boolean"
	| "embedding";

export interface Column {
	readonly name: string;
	readonly kind: ColumnKind;
	/** True when the column may hold NULL. */
	readonly nullable?: boolean;
}

export interface RecordKind {
	readonly table: string;
	readonly columns: readonly Column[];
}

const col = (name: string, kind: ColumnKind, nullable = false): Column =>
	nullable ? { name, kind, nullable } : { name, kind };
const id = col("id", "uuid");
const createdAt = col("created_at", "timestamp");

export const RECORDS = {
	accounts: {
		table: "accounts",
		columns: [
			id,
			col("name", "text"),
			col("username", "text"),
			col("email", "text", true),
			col("avatar_url", "text", true),
			col("details", "json"),
			createdAt,
		],
	},
	// name: migration 003 (SQLite) / 007 (PostgreSQL).
	rooms: { table: "rooms", columns: [id, createdAt, col("name", "text", true)] },
	participants: {
		table: "participants",
		columns: [
			id,
			col("user_id", "uuid"),
			col("room_id", "uuid"),
			col("user_state", "text", true),
			createdAt,
		],
	},
	memories: {
		table: "memories",
		columns: [
			id,
			col("type", "text"),
			col("room_id", "uuid"),
			col("agent_id", "uuid"),
			col("user_id", "uuid"),
			col("content", "json"),
			col("embedding", "embedding", true),
			col("is_unique", "boolean"),
			createdAt,
		],
	},
	goals: {
		table: "goals",
		columns: [
			id,
			col("room_id", "uuid"),
			col("user_id", "uuid", true),
			col("name", "text"),
			col("status", "text"),
			col("objectives", "json"),
			createdAt,
		],
	},
	relationships: {
		table: "relationships",
		columns: [
			id,
			col("user_a", "uuid"),
			col("user_b", "uuid"),
			col("user_id", "uuid"),
			col("room_id", "uuid", true),
			col("status", "text"),
			createdAt,
		],
	},
	logs: {
		table: "logs",
		columns: [
			id,
			col("body", "json"),
			col("user_id", "uuid"),
			col("room_id", "uuid"),
			col("type", "text"),
			createdAt,
		],
	},
	cache: {
		table: "cache",
		columns: [
			col("agent_id", "uuid"),
			col("key", "text"),
			col("value", "text"),
			createdAt,
			// Migration 003 (SQLite) / 007 (PostgreSQL): null never expires.
			col("expires_at", "timestamp", true),
		],
	},
	knowledge: {
		table: "knowledge",
		columns: [
			// Text: ElizaOS's `<uuid>-chunk-<n>` ids are not uuids.
			col("id", "text"),
			col("agent_id", "uuid"),
			col("content", "json"),
			col("embedding", "embedding", true),
			col("is_main", "boolean"),
			col("original_id", "uuid", true),
			col("chunk_index", "integer", true),
			col("is_shared", "boolean"),
			createdAt,
		],
	},
} as const satisfies Record<string, RecordKind>;

export type RecordName = keyof typeof RECORDS;

/** A kind's columns as a select list ("id, name, …"), without those named in `except`. */
export function columnList(kind: RecordKind, except: readonly string[] = []): string {
	return kind.columns
		.filter((c) => !except.includes(c.name))
		.map((c) => c.name)
		.join(", ");
}

/** An upsert's SET list: each column but `except` takes the inserted row's value. */
export function replaced(kind: RecordKind, except: readonly string[]): string {
	return kind.columns
		.filter((c) => !except.includes(c.name))
		.map((c) => `${c.name} = excluded.${c.name}`)
		.join(", ");
}

/** The names of a kind's columns. */
export type ColumnName<K extends RecordKind> = K["columns"][number]["name"];

/**
 * The memory insert's values, by column name: a column added to `RECORDS.memories` is a compile
 * error at every insert until it is given a value.
 */
export type MemoryValues = Record<ColumnName<typeof RECORDS.memories>, unknown>;

const MEMORY_NAMES = RECORDS.memories.columns.map((c) => c.name);

/** The positional parameters of `memoryUpsert` (its columns are `RECORDS.memories`' in order). */
export function bindMemory(values: MemoryValues): unknown[] {
	return MEMORY_NAMES.map((name) => values[name]);
}

/**
 * Where each memory column appears in the contract's records: the `Memory` field (rows.toMemory)
 * and the portable record's field (export, import). `type` is the memory type, outside `Memory`
 * (null there). A column added to `RECORDS.memories` is a compile error here until placed, and
 * test/backends/record-fields.test.ts fails until toMemory and export carry it.
 */
export const MEMORY_FIELDS = {
	id: { memory: "id", portable: "id" },
	type: { memory: null, portable: "type" },
	room_id: { memory: "roomId", portable: "roomId" },
	agent_id: { memory: "agentId", portable: "agentId" },
	user_id: { memory: "userId", portable: "userId" },
	content: { memory: "content", portable: "content" },
	embedding: { memory: "embedding", portable: "embedding" },
	is_unique: { memory: "unique", portable: "unique" },
	created_at: { memory: "createdAt", portable: "createdAt" },
} as const satisfies Record<
	ColumnName<typeof RECORDS.memories>,
	{ memory: string | null; portable: string }
>;

/**
 * One row of the bulk insert's JSON (`memoryUpsertMany`'s parameter), from each column's value
 * already serialised as JSON: concatenated, so content (already JSON) is not parsed and
 * serialised again. Keyed by column name: a column added to the description is a compile error
 * at the caller until given.
 */
export function memoryJsonRow(values: Record<ColumnName<typeof RECORDS.memories>, string>): string {
	let row = "{";
	for (const name of MEMORY_NAMES) row += `${row.length > 1 ? "," : ""}"${name}":${values[name]}`;
	return `${row}}`;
}
