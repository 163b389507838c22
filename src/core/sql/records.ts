/**
 * Each record kind's table, described once: its columns in table order, with their kind and
 * whether they may be null. The select lists (columns.ts), the memory insert's parameters
 * (`bindMemory`) and test/backends/record-tables.test.ts (which compares these descriptions with
 * the tables migrations create, on SQLite and PGlite) read it. Adding a column to `memories`: add
 * it here and in a migration per family; the test says what else disagrees.
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
	rooms: { table: "rooms", columns: [id, createdAt] },
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
		columns: [col("agent_id", "uuid"), col("key", "text"), col("value", "text"), createdAt],
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
