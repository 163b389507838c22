/** The contract's vector search over memories, over SQL and the backend's vector search. */
import { ValidationError } from "../errors.js";
import type {
	EmbeddingInput,
	Memory,
	SearchMemoriesByEmbeddingParams,
	SearchMemoriesParams,
} from "../types.js";
import * as v from "../validation.js";
import { ready, type SqlContext } from "./context.js";
import * as rows from "./rows.js";
import { op } from "./session.js";
import { checkQueryFresh, searchFresh } from "./settings-refresh.js";

const DEFAULT_SEARCH_COUNT = 10;

export async function searchMemoriesByEmbedding(
	ctx: SqlContext,
	embedding: EmbeddingInput,
	params: SearchMemoriesByEmbeddingParams,
): Promise<Memory[]> {
	ready(ctx);
	if (params === null || typeof params !== "object")
		throw new ValidationError("params", "expected an object");
	// Checked against the recorded dimension, read again when it does not fit (a re-embed's switch).
	const query = await checkQueryFresh(ctx, embedding, "searchMemoriesByEmbedding");
	v.assertTableName(params.tableName);
	const roomId = v.optionalUuid(params.roomId, "roomId");
	const agentId = v.optionalUuid(params.agentId, "agentId");
	v.assertOptionalCount(params.count, "count");
	v.assertOptionalBoolean(params.unique, "unique");
	if (params.match_threshold !== undefined && params.match_threshold !== null) {
		v.assertSimilarity(params.match_threshold, "match_threshold");
	}
	const count = params.count ?? DEFAULT_SEARCH_COUNT;
	if (count === 0) return [];
	const found = await searchFresh(ctx, query, "searchMemoriesByEmbedding", () =>
		op(ctx, "searchMemoriesByEmbedding", (s, b) =>
			b.vector.searchMemories(s, query, {
				tableName: params.tableName,
				roomId,
				agentId,
				uniqueOnly: params.unique === true,
				count,
				threshold: params.match_threshold ?? undefined,
			}),
		),
	);
	return found.map((r) => rows.toMemory(r, ctx.family));
}

export async function searchMemories(
	ctx: SqlContext,
	params: SearchMemoriesParams,
): Promise<Memory[]> {
	if (params === null || typeof params !== "object")
		throw new ValidationError("params", "expected an object");
	v.assertUuid(params.roomId, "roomId");
	v.assertCount(params.match_count, "match_count");
	return searchMemoriesByEmbedding(ctx, params.embedding, {
		tableName: params.tableName,
		roomId: params.roomId,
		agentId: params.agentId,
		match_threshold: params.match_threshold,
		count: params.match_count,
		unique: params.unique,
	});
}
