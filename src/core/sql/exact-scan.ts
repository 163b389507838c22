/**
 * Exact nearest-neighbour search in JavaScript: the SQL selects every candidate that passes the
 * filters, and a bounded heap keeps the top k by cosine similarity. Results equal brute force
 * exactly (ties broken by id), which is what SQL.js and SQLite's opt-in exact-scan mode report.
 */
import { DatabaseError } from "../errors.js";
import { cosineSimilarity, norm, TopK } from "../vector.js";
import type { Row, SqlSession } from "./driver.js";
import type { KnowledgeVectorQuery, MemoryVectorQuery, SqlFamily, VectorSearch } from "./family.js";

/** A stored vector whose dimension is not the query's (the database's dimension changed). */
export class StaleDimensionError extends DatabaseError {
	constructor(stored: number, query: number) {
		super(
			`a stored vector has ${stored} dimensions and the query ${query}: the database's embedding dimension changed (re-embedded)`,
		);
	}
}

/**
 * The top `count` of candidate rows by cosine similarity to `query` (ties by id), thresholded, each
 * with a `similarity` column. An index that pre-selects candidates ranks them here too, so its
 * scores and order equal the exact scan's.
 */
export function rankBySimilarity(
	family: SqlFamily,
	rows: Row[],
	query: Float32Array,
	count: number,
	threshold?: number,
): Row[] {
	const top = new TopK<{ row: Row; vector: Float32Array }>(count, (c) => c.row.id as string);
	const qNorm = norm(query);
	for (const row of rows) {
		const v = family.decodeEmbedding(row.embedding);
		if (!v) continue;
		// Every stored vector has the recorded dimension: another one means it changed under this
		// adapter (a re-embed's switch elsewhere); search.ts reads the settings again and says so.
		if (v.length !== query.length) throw new StaleDimensionError(v.length, query.length);
		const sim = qNorm === 0 ? 0 : cosineSimilarity(query, v);
		if (threshold !== undefined && sim < threshold) continue;
		top.push({ row, vector: v }, sim);
	}
	// Each row carries its decoded vector, so rows.ts does not decode it a second time.
	return top.result().map(({ item, score }) => ({
		...item.row,
		embedding: item.vector,
		similarity: score,
	}));
}

/**
 * How far an engine's own cosine distance (float32 arithmetic) may disagree with
 * `rankBySimilarity`'s (float64 over the same float32 values): rows within this of the cut-off
 * may rank on either side of it.
 */
export const FLOAT32_CUTOFF_MARGIN = 1e-4;

/**
 * Ranks the candidates an engine chose by its own distance order, cut at `limit` rows (pgvector's
 * LIMIT, vec0's k), like `rankBySimilarity` (similarity descending, ties by id ascending). Returns
 * null when a row the engine left out could still tie with or beat the `count`-th result: the
 * engine returned `limit` rows or more (it may have left some out) and the last of them is within
 * `margin` of the `count`-th (e.g. more identical vectors than were fetched). The caller then asks
 * again with a larger limit, or scans exactly.
 */
export function rankCandidates(
	family: SqlFamily,
	rows: Row[],
	query: Float32Array,
	q: { count: number; threshold?: number },
	limit: number,
	margin = FLOAT32_CUTOFF_MARGIN,
): Row[] | null {
	const ranked = rankBySimilarity(family, rows, query, rows.length);
	const last = ranked[ranked.length - 1]?.similarity as number | undefined;
	const cut = ranked[Math.min(q.count, ranked.length) - 1]?.similarity as number | undefined;
	const belowThreshold =
		q.threshold !== undefined && last !== undefined && last + margin < q.threshold;
	if (rows.length >= limit && last !== undefined && cut !== undefined && !belowThreshold) {
		if (cut - last <= margin) return null;
	}
	const top = ranked.slice(0, q.count);
	const threshold = q.threshold;
	return threshold === undefined ? top : top.filter((r) => (r.similarity as number) >= threshold);
}

export function createExactScan(family: SqlFamily): VectorSearch {
	const s = family.statements;
	const rank = (rows: Row[], query: Float32Array, count: number, threshold?: number): Row[] =>
		rankBySimilarity(family, rows, query, count, threshold);
	return {
		async searchMemories(session: SqlSession, query: Float32Array, q: MemoryVectorQuery) {
			const sql = q.roomId === undefined ? s.memoryScanCandidates : s.memoryScanCandidatesInRoom;
			const rows = await session.all(sql, [
				q.tableName,
				q.roomId ?? null,
				q.agentId ?? null,
				family.encodeBool(q.uniqueOnly),
			]);
			return rank(rows, query, q.count, q.threshold);
		},
		async searchKnowledge(session: SqlSession, query: Float32Array, q: KnowledgeVectorQuery) {
			const rows = await session.all(s.knowledgeScanCandidates, [q.agentId]);
			return rank(rows, query, q.count, q.threshold);
		},
	};
}
