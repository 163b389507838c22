/**
 * Bulk loads of memories on PostgreSQL: binary COPY (copy-binary.ts) into a temporary staging table, then one
 * INSERT … SELECT into `memories` with the upsert's rules (an id of another type is refused, the
 * foreign keys and NOT NULLs are checked by the table itself, the memories trigger writes the
 * outbox). Every row was validated in JavaScript before (prepareMemory, checkPortableRecord), and
 * any failure rolls the caller's transaction back: nothing is written.
 *
 * pgvector maintains the HNSW graph row by row (about 2 ms per 384-dim row on two cores), so a
 * load into an empty or much smaller table drops `memories_embedding` and builds it afterwards
 * (`CREATE INDEX` with `maintenance_work_mem` sized for the table, set for that transaction only).
 * Inside one transaction a crash rolls the DROP back with the rest. An import commits batch by
 * batch, so a crash can leave the index missing: the adapter creates it when it opens
 * (`ensureVectorIndexes`, postgres-backend.ts) and the import's own end creates it in any case.
 */
import type { BulkMemories, BulkMemoryRow, BulkResult } from "../../core/sql/bulk.js";
import type { SqlSession } from "../../core/sql/driver.js";
import { columnList, memoryJsonRow, RECORDS, replaced } from "../../core/sql/records.js";
import { toPgVectorText } from "../../core/vector.js";
import { binaryCopyChunks } from "./copy-binary.js";
import { vectorIndexKind } from "./vector-index.js";

/** Below this many rows a `createMemories` keeps the live index (the DDL costs more than it saves). */
export const REBUILD_MIN_ROWS = 1000;
/**
 * A rebuild of more rows than this builds its graph with ef_construction 128 (pgvector's default:
 * 64). At 200,000 × 384 (bench/probe-scale-search.ts) 64 built in 57 s and gave recall@10 0.944 at
 * ef_search 80; 128 built in 88 s (1.54x) and gave 1.000 at ef_search 80 and 0.997 at 40, as fast.
 * At 100,000 rows 64 already gives 0.99, and the 100,000-row bulk load keeps its build time.
 */
export const BIG_BUILD_ROWS = 100_000;
/** ef_construction of a rebuild of more than BIG_BUILD_ROWS rows. */
export const BIG_BUILD_EF_CONSTRUCTION = 128;
/** The largest `maintenance_work_mem` a rebuild asks for (MB). */
const MAX_BUILD_MB = 2048;
/** Rows per JSON statement where there is no COPY (about 4 MB at 384 dimensions). */
const JSON_CHUNK = 1000;
/** json_to_recordset's column types; the embedding stays text until the staging table's cast. */
const JSON_TYPES: Record<string, string> = {
	uuid: "uuid",
	text: "text",
	json: "jsonb",
	timestamp: "bigint",
	boolean: "boolean",
	embedding: "text",
};

const STAGING = "agentmem_memories_load";
const COLUMNS = columnList(RECORDS.memories);
const VALUE_COLUMNS = RECORDS.memories.columns.filter((c) => c.name !== "id" && c.name !== "type");

const CREATE_STAGING = `CREATE TEMP TABLE IF NOT EXISTS ${STAGING} (LIKE memories) ON COMMIT DROP`;
const COPY_STAGING = `COPY ${STAGING} (${COLUMNS}) FROM STDIN (FORMAT binary)`;
const FIND_CLASH = `SELECT l.id FROM ${STAGING} l JOIN memories m ON m.id = l.id
	WHERE m.type <> l.type LIMIT 1`;
/** The upsert; `skipIdentical` leaves rows whose stored values are the same untouched. */
const upsert = (skipIdentical: boolean) => `INSERT INTO memories (${COLUMNS})
	SELECT ${COLUMNS} FROM ${STAGING}
	ON CONFLICT (id) DO UPDATE SET ${replaced(RECORDS.memories, ["id", "type"])}
	WHERE memories.type = EXCLUDED.type${
		skipIdentical
			? ` AND (${VALUE_COLUMNS.map((c) => `memories.${c.name}`).join(", ")})
		IS DISTINCT FROM (${VALUE_COLUMNS.map((c) => `EXCLUDED.${c.name}`).join(", ")})`
			: ""
	}
	RETURNING id`;

/** What decides a rebuild: may this role drop the index, is it there, how many rows (up to $1+1). */
const INDEX_STATE = `SELECT pg_has_role(c.relowner, 'USAGE') AS owner,
	to_regclass('memories_embedding') IS NOT NULL AS indexed,
	(SELECT count(*) FROM (SELECT 1 FROM memories LIMIT $1::bigint + 1) s)::bigint AS rows
	FROM pg_class c WHERE c.oid = 'memories'::regclass`;

/** The staging rows as json_to_recordset's parameter (where the session cannot COPY). */
function jsonRows(rows: readonly BulkMemoryRow[]): string {
	const out = rows.map((r) =>
		memoryJsonRow({
			id: `"${r.id}"`,
			type: JSON.stringify(r.type),
			room_id: `"${r.roomId}"`,
			agent_id: `"${r.agentId}"`,
			user_id: `"${r.userId}"`,
			content: r.contentJson,
			embedding: r.vector ? `"${toPgVectorText(r.vector)}"` : "null",
			is_unique: r.unique ? "true" : "false",
			created_at: String(r.createdAt),
		}),
	);
	return `[${out.join(",")}]`;
}

const FILL_STAGING_JSON = `INSERT INTO ${STAGING} (${COLUMNS})
	SELECT ${RECORDS.memories.columns.map((c) => (c.kind === "embedding" ? `${c.name}::vector` : c.name)).join(", ")}
	FROM json_to_recordset($1::json) AS x(${RECORDS.memories.columns.map((c) => `${c.name} ${JSON_TYPES[c.kind]}`).join(", ")})`;

/**
 * Fills the staging table: binary COPY where the session can (node-postgres; PGlite as a role that
 * may read server files), else JSON chunks (on PGlite 10,000 rows took 7.7 s as JSON, 0.5 s as COPY).
 */
async function fillStaging(session: SqlSession, rows: readonly BulkMemoryRow[]): Promise<void> {
	if (session.copyFrom && (await session.copyFrom(COPY_STAGING, binaryCopyChunks(rows)))) return;
	for (let i = 0; i < rows.length; i += JSON_CHUNK) {
		await session.run(FILL_STAGING_JSON, [jsonRows(rows.slice(i, i + JSON_CHUNK))]);
	}
}

/**
 * Upserts `rows` (no id twice) in the caller's open transaction: the staging table filled, the
 * type check, one INSERT … SELECT. Throws the database's error on a missing reference.
 */
export async function copyMemories(
	session: SqlSession,
	rows: readonly BulkMemoryRow[],
	options: { skipIdentical: boolean },
): Promise<BulkResult> {
	await session.run(CREATE_STAGING);
	try {
		await fillStaging(session, rows);
		const [clash] = await session.all<{ id: string }>(FIND_CLASH);
		if (clash) return { written: [], clash: clash.id };
		const written = await session.all<{ id: string }>(upsert(options.skipIdentical));
		return { written: written.map((r) => r.id), clash: null };
	} finally {
		// Empty for the next load in the same transaction (dropped at commit).
		await session.run(`TRUNCATE ${STAGING}`).catch(() => undefined);
	}
}

/** The migration's index on `memories` (001_initial.sql) for this dimension; null without one. */
export function vectorIndexSql(table: "memories" | "knowledge", dimension: number): string | null {
	const kind = vectorIndexKind(dimension);
	if (kind === "none") return null;
	const on =
		kind === "vector"
			? "(embedding vector_cosine_ops)"
			: `((embedding::halfvec(${dimension})) halfvec_cosine_ops)`;
	return `CREATE INDEX IF NOT EXISTS ${table}_embedding ON ${table} USING hnsw ${on}`;
}

/**
 * Drops `memories_embedding` in the caller's transaction when building it afterwards is cheaper
 * than maintaining it: the table is empty, or holds no more rows than are coming (`incoming`, at
 * least REBUILD_MIN_ROWS), and this role owns it. True when it was dropped.
 */
export async function deferVectorIndex(
	session: SqlSession,
	dimension: number,
	incoming: number,
): Promise<boolean> {
	if (vectorIndexKind(dimension) === "none") return false;
	const [state] = await session.all<{ owner: boolean; indexed: boolean; rows: string | number }>(
		INDEX_STATE,
		[incoming],
	);
	if (!state?.owner || !state.indexed) return false;
	const rows = Number(state.rows);
	if (rows > 0 && (incoming < REBUILD_MIN_ROWS || rows > incoming)) return false;
	await session.run("DROP INDEX IF EXISTS memories_embedding");
	return true;
}

/**
 * Builds `memories_embedding` if it is missing, with `maintenance_work_mem` sized for the table
 * (the graph in memory builds several times faster than on disk), for this transaction only. Above
 * `bigRows` rows the graph is built with BIG_BUILD_EF_CONSTRUCTION, and the option is reset after
 * the build: the index's definition stays the migration's, and later single inserts keep
 * pgvector's default cost.
 */
export async function restoreVectorIndex(
	session: SqlSession,
	dimension: number,
	bigRows = BIG_BUILD_ROWS,
): Promise<void> {
	const create = vectorIndexSql("memories", dimension);
	if (!create) return;
	const [present] = await session.all<{ indexed: boolean; rows: string | number }>(
		"SELECT to_regclass('memories_embedding') IS NOT NULL AS indexed, (SELECT count(*) FROM memories) AS rows",
	);
	if (present?.indexed) return;
	const rows = Math.max(0, Number(present?.rows ?? 0));
	const mb = Math.min(
		MAX_BUILD_MB,
		Math.max(64, Math.ceil((rows * (dimension * 4 + 512)) / 2 ** 20)),
	);
	await session.all("SELECT set_config('maintenance_work_mem', $1::text, true)", [`${mb}MB`]);
	if (rows <= bigRows) {
		await session.run(create);
		return;
	}
	await session.run(`${create} WITH (ef_construction = ${BIG_BUILD_EF_CONSTRUCTION})`);
	await session.run("ALTER INDEX memories_embedding RESET (ef_construction)");
}

/** The PostgreSQL family's bulk loads: binary COPY (node-postgres, PGlite), else JSON chunks. */
export const postgresBulkMemories: BulkMemories = {
	available: () => true,
	upsert: copyMemories,
	deferIndex: deferVectorIndex,
	restoreIndex: restoreVectorIndex,
};
