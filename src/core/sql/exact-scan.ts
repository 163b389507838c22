/**
 * Exact nearest-neighbour search in JavaScript: the SQL selects every candidate that passes the
 * filters, and a bounded heap keeps the top k by cosine similarity. Results equal brute force
 * exactly (ties broken by id), which is what SQL.js and SQLite's opt-in exact-scan mode report.
 */
import { cosineSimilarity, norm, TopK } from "../vector.js";
import type { Row, SqlSession } from "./driver.js";
import type { KnowledgeVectorQuery, MemoryVectorQuery, SqlFamily, VectorSearch } from "./family.js";

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
		if (!v || v.length !== query.length) continue;
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
