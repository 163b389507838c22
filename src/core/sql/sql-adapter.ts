/**
 * The contract, implemented once over SQL. A backend subclass supplies its family (statements and
 * encodings), a driver and a vector search through `open()`; everything else (validation,
 * dedup, transactions, events, error mapping) lives here, so four backends behave as one.
 */
import type { DatabaseAdapter } from "../adapter.js";
import { UnsupportedFeatureError, ValidationError } from "../errors.js";
import { chunkIdRange, isPlainUuid, knowledgeId, knowledgeRemoval } from "../knowledge-id.js";
import type { ImportOptions, ImportSummary, PortableRecord } from "../portable-types.js";
import type {
	AdapterStats,
	GetKnowledgeParams,
	KnowledgeItem,
	SearchKnowledgeParams,
	UUID,
} from "../types.js";
import * as v from "../validation.js";
import {
	type Diagnostics,
	exportRecords,
	importRecords,
	type PortableContext,
	readDiagnostics,
} from "./portable.js";
import { prepareKnowledge } from "./prepare.js";
import * as rows from "./rows.js";
import { SqlMemoryAdapter } from "./sql-adapter-memories.js";

export type { MemoryEventSource, SqlBackend, SqlStatement } from "./sql-adapter-base.js";
export { DUPLICATE_SIMILARITY } from "./sql-adapter-memories.js";

export abstract class SqlDatabaseAdapter extends SqlMemoryAdapter implements DatabaseAdapter {
	// ---- knowledge ----

	async getKnowledge(params: GetKnowledgeParams): Promise<KnowledgeItem[]> {
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
		const found = await this.op("getKnowledge", (s) =>
			id
				? s.all(this.family.statements.knowledgeById, [id, agentId])
				: s.all(this.family.statements.knowledgeForAgent, [agentId, params.limit ?? null]),
		);
		return found.map((r) => rows.toKnowledge(r, this.family));
	}

	async searchKnowledge(params: SearchKnowledgeParams): Promise<KnowledgeItem[]> {
		const { settings } = this.ready();
		if (params === null || typeof params !== "object")
			throw new ValidationError("params", "expected an object");
		const agentId = v.uuid(params.agentId, "agentId");
		const query = v.checkQueryEmbedding(params.embedding, settings.embeddingDimension);
		v.assertSimilarity(params.match_threshold, "match_threshold");
		v.assertCount(params.match_count, "match_count");
		v.assertOptionalString(params.searchText, "searchText");
		if (params.match_count === 0) return [];
		const found = await this.op("searchKnowledge", (s, b) =>
			b.vector.searchKnowledge(s, query, {
				agentId,
				count: params.match_count,
				threshold: params.match_threshold,
			}),
		);
		return found.map((r) => rows.toKnowledge(r, this.family));
	}

	async createKnowledge(item: KnowledgeItem): Promise<void> {
		const { settings } = this.ready();
		const k = prepareKnowledge(item, settings.embeddingDimension);
		const f = this.family;
		await this.write(
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
		this.afterInsert("knowledge", 1);
	}

	/**
	 * One item (a uuid also takes the chunks naming it as `originalId`), or with
	 * `<uuid>-chunk-*` every `<uuid>-chunk-<n>` item: ElizaOS's cleanup of a changed file.
	 */
	async removeKnowledge(id: UUID): Promise<void> {
		const removal = knowledgeRemoval(id, "id");
		const s = this.family.statements;
		await this.op("removeKnowledge", (session) =>
			removal.kind === "chunksOf"
				? session.run(s.knowledgeDeleteChunks, chunkIdRange(removal.fileId))
				: session.run(s.knowledgeDelete, [removal.id, isPlainUuid(removal.id) ? removal.id : null]),
		);
	}

	async clearKnowledge(agentIdIn: UUID, shared = false): Promise<void> {
		const agentId = v.uuid(agentIdIn, "agentId");
		v.assertBoolean(shared, "shared");
		await this.op("clearKnowledge", (s) =>
			s.run(this.family.statements.knowledgeClear, [agentId, this.family.encodeBool(shared)]),
		);
	}

	// ---- stats ----

	async stats(): Promise<AdapterStats> {
		const { settings } = this.ready();
		return this.op("stats", async (s) => {
			const [c] = await s.all(this.family.statements.statsCounts);
			const byType = await s.all(this.family.statements.statsMemoriesByType);
			const n = (k: string) => rows.int(c?.[k] ?? 0);
			return {
				accounts: n("accounts"),
				rooms: n("rooms"),
				participants: n("participants"),
				memories: n("memories"),
				memoriesMissingEmbedding: n("memories_missing"),
				memoriesByType: Object.fromEntries(byType.map((r) => [r.type as string, rows.int(r.n)])),
				goals: n("goals"),
				relationships: n("relationships"),
				logs: n("logs"),
				cache: n("cache"),
				knowledge: n("knowledge"),
				embeddingDimension: settings.embeddingDimension,
				embeddingModel: settings.embeddingModel,
			};
		});
	}

	// ---- export and import (src/core/sql/portable.ts) ----

	exportRecords(): AsyncIterable<PortableRecord> {
		return exportRecords(this.portableContext());
	}

	async importRecords(
		records: AsyncIterable<PortableRecord> | Iterable<PortableRecord>,
		options: ImportOptions = {},
	): Promise<ImportSummary> {
		if (options.atomic && !this.scope) {
			// One outer transaction; each batch becomes a savepoint inside it.
			return this.transaction((tx) => tx.importRecords(records, options));
		}
		const summary = await importRecords(this.portableContext(), records, options);
		this.afterInsert("memories", summary.memory);
		this.afterInsert("knowledge", summary.knowledge);
		return summary;
	}

	/** Schema version, index names and vector extension version (for `agentmem doctor`). */
	async diagnostics(): Promise<Diagnostics> {
		return readDiagnostics(this.portableContext());
	}

	private portableContext(): PortableContext {
		const { backend, settings } = this.ready();
		return {
			family: this.family,
			settings,
			read: (fn) => this.op("exportRecords", (s) => fn(s)),
			write: (fn) =>
				this.transaction((tx) => {
					const view = tx as SqlDatabaseAdapter;
					return view.op("importRecords", (s) => fn(s, (event) => view.publish(event)));
				}),
			isForeignKeyError: (err) => backend.driver.constraintOf(err) === "foreign_key",
		};
	}
}
