/** The contract's knowledge items (RAG chunks, with ElizaOS's id forms), over SQL. */
import { UnsupportedFeatureError, ValidationError } from "../errors.js";
import { chunkIdRange, isPlainUuid, knowledgeId, knowledgeRemoval } from "../knowledge-id.js";
import type { GetKnowledgeParams, KnowledgeItem, SearchKnowledgeParams, UUID } from "../types.js";
import * as v from "../validation.js";
import { afterInsert, ready, type SqlContext } from "./context.js";
import { prepareKnowledge } from "./prepare.js";
import * as rows from "./rows.js";
import { op, write } from "./session.js";
import { checkQueryFresh, searchFresh } from "./settings-refresh.js";

export async function getKnowledge(
	ctx: SqlContext,
	params: GetKnowledgeParams,
): Promise<KnowledgeItem[]> {
	if (params === null || typeof params !== "object")
		throw new ValidationError("params", "expected an object");
	const agentId = v.uuid(params.agentId, "agentId");
	// A missing id (undefined or null) is no filter, as in ElizaOS's adapters.
	const id =
		params.id === undefined || params.id === null ? undefined : knowledgeId(params.id, "id");
	v.assertOptionalCount(params.limit, "limit");
	if (params.query !== undefined || params.conversationContext !== undefined) {
		throw new UnsupportedFeatureError(
			"getKnowledge does not filter by text; embed the query and call searchKnowledge instead",
		);
	}
	const found = await op(ctx, "getKnowledge", (s) =>
		id
			? s.all(ctx.family.statements.knowledgeById, [id, agentId])
			: s.all(ctx.family.statements.knowledgeForAgent, [agentId, params.limit ?? null]),
	);
	return found.map((r) => rows.toKnowledge(r, ctx.family));
}

export async function searchKnowledge(
	ctx: SqlContext,
	params: SearchKnowledgeParams,
): Promise<KnowledgeItem[]> {
	ready(ctx);
	if (params === null || typeof params !== "object")
		throw new ValidationError("params", "expected an object");
	const agentId = v.uuid(params.agentId, "agentId");
	const query = await checkQueryFresh(ctx, params.embedding, "searchKnowledge");
	v.assertSimilarity(params.match_threshold, "match_threshold");
	v.assertCount(params.match_count, "match_count");
	v.assertOptionalString(params.searchText, "searchText");
	if (params.match_count === 0) return [];
	const found = await searchFresh(ctx, query, "searchKnowledge", () =>
		op(ctx, "searchKnowledge", (s, b) =>
			b.vector.searchKnowledge(s, query, {
				agentId,
				count: params.match_count,
				threshold: params.match_threshold,
			}),
		),
	);
	return found.map((r) => rows.toKnowledge(r, ctx.family));
}

export async function createKnowledge(ctx: SqlContext, item: KnowledgeItem): Promise<void> {
	const { settings } = ready(ctx);
	const k = prepareKnowledge(item, settings.embeddingDimension);
	const f = ctx.family;
	await write(
		ctx,
		"createKnowledge",
		[{ field: "agentId", table: "accounts", id: k.agentId }],
		(s) =>
			s.run(f.statements.knowledgeUpsert, [
				k.id,
				k.agentId,
				k.contentJson,
				k.vector ? f.encodeEmbedding(k.vector) : null,
				f.encodeBool(k.isMain),
				k.originalId,
				k.chunkIndex,
				f.encodeBool(k.isShared),
				k.createdAt,
			]),
	);
	afterInsert(ctx, "knowledge", 1);
}

/**
 * One item (a uuid also takes the chunks naming it as `originalId`), or with
 * `<uuid>-chunk-*` every `<uuid>-chunk-<n>` item: ElizaOS's cleanup of a changed file.
 */
export async function removeKnowledge(ctx: SqlContext, id: UUID): Promise<void> {
	const removal = knowledgeRemoval(id, "id");
	const s = ctx.family.statements;
	await op(ctx, "removeKnowledge", (session) =>
		removal.kind === "chunksOf"
			? session.run(s.knowledgeDeleteChunks, chunkIdRange(removal.fileId))
			: session.run(s.knowledgeDelete, [removal.id, isPlainUuid(removal.id) ? removal.id : null]),
	);
}

export async function clearKnowledge(
	ctx: SqlContext,
	agentIdIn: UUID,
	shared = false,
): Promise<void> {
	const agentId = v.uuid(agentIdIn, "agentId");
	v.assertBoolean(shared, "shared");
	await op(ctx, "clearKnowledge", (s) =>
		s.run(ctx.family.statements.knowledgeClear, [agentId, ctx.family.encodeBool(shared)]),
	);
}
