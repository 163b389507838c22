/**
 * Exact vector search over an in-memory copy of the embeddings, for SQLite-family connections with
 * no vector index (SQL.js). Reading every row through SQL for each query costs far more than the
 * arithmetic; the copy makes a search a tight loop over one Float32Array, with results identical
 * to the exact scan (same float64 arithmetic, same tie order).
 *
 * The copy is valid while the connection's `total_changes()`, `data_version` and a TEMP token are
 * unchanged: any write on the connection (ours, the caller's, cascades) moves the first, another
 * connection's commit the second, and reopening (sql.js's
 * `export()` does) drops the token. It is built and used only outside transactions, so it never
 * holds uncommitted rows; inside a transaction, and for a room-scoped query while the copy is
 * stale, the SQL-filtered exact scan answers instead (it reads only that room's rows).
 */
import type { Row, SqlSession } from "../../core/sql/driver.js";
import { createExactScan, StaleDimensionError } from "../../core/sql/exact-scan.js";
import type { MemoryVectorQuery, SqlFamily, VectorSearch } from "../../core/sql/family.js";
import { TopK } from "../../core/vector.js";

// data_version moves when another connection (another process) commits to the same file.
const VERSION =
	"SELECT total_changes() AS n, (SELECT data_version FROM pragma_data_version) AS dv, (SELECT token FROM temp.agentmem_scan_token) AS t";
const MAKE_TOKEN = [
	"CREATE TEMP TABLE IF NOT EXISTS agentmem_scan_token (token TEXT NOT NULL)",
	"DELETE FROM temp.agentmem_scan_token",
	"INSERT INTO temp.agentmem_scan_token (token) VALUES (?1)",
];
const ALL_VECTORS =
	"SELECT id, type, room_id, agent_id, is_unique, embedding FROM memories WHERE embedding IS NOT NULL";

interface Snapshot {
	version: string;
	ids: string[];
	types: string[];
	rooms: string[];
	agents: string[];
	unique: Uint8Array;
	vectors: Float32Array;
	/** Squared norms, so similarity is computed exactly as `cosineSimilarity` does. */
	squaredNorms: Float64Array;
	dimension: number;
}

export function createCachedVectorSearch(
	family: SqlFamily,
	isAutocommit: (session: SqlSession) => boolean,
): VectorSearch & { invalidate(): void } {
	const exact = createExactScan(family);
	let snapshot: Snapshot | null = null;

	async function version(session: SqlSession): Promise<string> {
		try {
			const [row] = await session.all(VERSION);
			if (row?.t) return `${row.t}:${row.n}:${row.dv}`;
		} catch {
			// No token yet on this connection: make one below.
		}
		for (const [i, sql] of MAKE_TOKEN.entries()) {
			await session.run(sql, i === 2 ? [globalThis.crypto.randomUUID()] : []);
		}
		const [row] = await session.all(VERSION);
		return `${row?.t}:${row?.n}:${row?.dv}`;
	}

	async function build(session: SqlSession, v: string, dimension: number): Promise<Snapshot> {
		const rows = await session.all(ALL_VECTORS);
		const s: Snapshot = {
			version: v,
			ids: [],
			types: [],
			rooms: [],
			agents: [],
			unique: new Uint8Array(rows.length),
			vectors: new Float32Array(rows.length * dimension),
			squaredNorms: new Float64Array(rows.length),
			dimension,
		};
		let n = 0;
		for (const row of rows) {
			const vec = family.decodeEmbedding(row.embedding);
			if (!vec) continue;
			// Another dimension: it changed under this adapter (a re-embed's switch elsewhere).
			if (vec.length !== dimension) throw new StaleDimensionError(vec.length, dimension);
			s.ids.push(String(row.id));
			s.types.push(String(row.type));
			s.rooms.push(String(row.room_id));
			s.agents.push(String(row.agent_id));
			s.unique[n] = row.is_unique ? 1 : 0;
			s.vectors.set(vec, n * dimension);
			let sq = 0;
			for (let j = 0; j < dimension; j++) sq += (vec[j] as number) * (vec[j] as number);
			s.squaredNorms[n] = sq;
			n++;
		}
		return s;
	}

	function scan(
		s: Snapshot,
		query: Float32Array,
		q: MemoryVectorQuery,
	): { id: string; similarity: number }[] {
		const top = new TopK<number>(q.count, (i) => s.ids[i] as string);
		const d = s.dimension;
		let qsq = 0;
		for (let j = 0; j < d; j++) qsq += (query[j] as number) * (query[j] as number);
		const { vectors, squaredNorms } = s;
		for (let i = 0; i < s.ids.length; i++) {
			if (s.types[i] !== q.tableName) continue;
			if (q.roomId !== undefined && s.rooms[i] !== q.roomId) continue;
			if (q.agentId !== undefined && s.agents[i] !== q.agentId) continue;
			if (q.uniqueOnly && s.unique[i] === 0) continue;
			const vsq = squaredNorms[i] as number;
			if (vsq === 0) continue;
			let dot = 0;
			const o = i * d;
			for (let j = 0; j < d; j++) dot += (query[j] as number) * (vectors[o + j] as number);
			const sim = dot / Math.sqrt(qsq * vsq);
			if (q.threshold !== undefined && sim < q.threshold) continue;
			top.push(i, sim);
		}
		return top
			.result()
			.map(({ item, score }) => ({ id: s.ids[item] as string, similarity: score }));
	}

	return {
		invalidate() {
			snapshot = null;
		},
		async searchMemories(session, query, q) {
			if (!isAutocommit(session)) return exact.searchMemories(session, query, q);
			const v = await version(session);
			if (snapshot?.version !== v || snapshot.dimension !== query.length) {
				snapshot = null;
				if (q.roomId !== undefined) return exact.searchMemories(session, query, q);
				snapshot = await build(session, v, query.length);
			}
			const ranked = scan(snapshot, query, q);
			if (ranked.length === 0) return [];
			const rows = await session.all(family.statements.memoriesByIds, [
				JSON.stringify(ranked.map((r) => r.id)),
				q.tableName,
			]);
			const byId = new Map<string, Row>(rows.map((r) => [String(r.id), r]));
			// A row deleted between the two reads is left out, never returned half-filled.
			return ranked.flatMap(({ id, similarity }) => {
				const row = byId.get(id);
				return row ? [{ ...row, similarity }] : [];
			});
		},
		searchKnowledge: (session, query, q) => exact.searchKnowledge(session, query, q),
	};
}
