/**
 * The contract, implemented once over SQL: a facade whose methods each hand their context
 * (context.ts) to a topic module of plain functions (accounts.ts, rooms.ts, …, search.ts,
 * knowledge.ts, ../../portable/calls.ts). A transaction or a view is a new facade over a context
 * bound to it (`view()`), so every member a backend adds works there too.
 */

import * as portable from "../../portable/calls.js";
import type { Diagnostics } from "../../portable/export.js";
import type { DatabaseAdapter } from "../adapter.js";
import { ValidationError } from "../errors.js";
import type * as L from "../lifecycle-types.js";
import type { ImportOptions, ImportSummary, PortableRecord } from "../portable-types.js";
import type * as T from "../types.js";
import * as accounts from "./accounts.js";
import * as cache from "./cache.js";
import { ready, type SqlContext } from "./context.js";
import { getCachedEmbeddings } from "./embedding-cache.js";
import * as forget from "./forget.js";
import * as goals from "./goals.js";
import * as knowledge from "./knowledge.js";
import * as lifecycle from "./lifecycle.js";
import * as logs from "./logs.js";
import * as memories from "./memories.js";
import * as reads from "./memory-reads.js";
import * as participants from "./participants.js";
import type { ReembedOptions, ReembedResult, ReembedStatus } from "./reembed.js";
import * as reembedding from "./reembed.js";
import * as relationships from "./relationships.js";
import { listRooms } from "./room-list.js";
import * as rooms from "./rooms.js";
import * as search from "./search.js";
import { runTransaction } from "./session.js";
import { stats } from "./stats.js";
import { subscribe } from "./subscribe.js";

export class SqlDatabaseAdapter implements DatabaseAdapter {
	/** `ctx`: the context this facade's calls run in (an adapter's, a transaction's or a view's). */
	constructor(protected readonly ctx: SqlContext) {}

	/**
	 * This adapter's facade over another context (a transaction's or a view's). A backend that adds
	 * members returns its own class, so they work on `tx` and views too.
	 */
	protected view(ctx: SqlContext): SqlDatabaseAdapter {
		return new SqlDatabaseAdapter(ctx);
	}

	// ---- lifecycle ----

	get capabilities(): T.AdapterCapabilities {
		return lifecycle.capabilities(this.ctx);
	}
	/** The recorded embedding dimension (after `init()`). */
	get embeddingDimension(): number {
		return ready(this.ctx).settings.embeddingDimension;
	}
	init(): Promise<void> {
		return lifecycle.init(this.ctx);
	}
	close(): Promise<void> {
		return lifecycle.close(this.ctx);
	}
	testConnection(): Promise<boolean> {
		return lifecycle.testConnection(this.ctx);
	}

	// ---- accounts, rooms, participants ----

	getAccountById(userId: T.UUID): Promise<T.Account | null> {
		return accounts.getAccountById(this.ctx, userId);
	}
	createAccount(account: T.Account): Promise<boolean> {
		return accounts.createAccount(this.ctx, account);
	}
	getRoom(roomId: T.UUID): Promise<T.UUID | null> {
		return rooms.getRoom(this.ctx, roomId);
	}
	createRoom(roomId?: T.UUID, name?: string): Promise<T.UUID> {
		return rooms.createRoom(this.ctx, roomId, name);
	}
	removeRoom(roomId: T.UUID): Promise<void> {
		return rooms.removeRoom(this.ctx, roomId);
	}
	getRoomsForParticipant(userId: T.UUID): Promise<T.UUID[]> {
		return rooms.getRoomsForParticipant(this.ctx, userId);
	}
	getRoomsForParticipants(userIds: T.UUID[]): Promise<T.UUID[]> {
		return rooms.getRoomsForParticipants(this.ctx, userIds);
	}
	addParticipant(userId: T.UUID, roomId: T.UUID): Promise<boolean> {
		return participants.addParticipant(this.ctx, userId, roomId);
	}
	removeParticipant(userId: T.UUID, roomId: T.UUID): Promise<boolean> {
		return participants.removeParticipant(this.ctx, userId, roomId);
	}
	getParticipantsForAccount(userId: T.UUID): Promise<T.Participant[]> {
		return participants.getParticipantsForAccount(this.ctx, userId);
	}
	getParticipantsForRoom(roomId: T.UUID): Promise<T.UUID[]> {
		return participants.getParticipantsForRoom(this.ctx, roomId);
	}
	getParticipantUserState(roomId: T.UUID, userId: T.UUID): Promise<T.ParticipantUserState> {
		return participants.getParticipantUserState(this.ctx, roomId, userId);
	}
	setParticipantUserState(
		roomId: T.UUID,
		userId: T.UUID,
		state: T.ParticipantUserState,
	): Promise<void> {
		return participants.setParticipantUserState(this.ctx, roomId, userId, state);
	}
	getActorDetails(params: { roomId: T.UUID }): Promise<T.Actor[]> {
		return participants.getActorDetails(this.ctx, params);
	}

	// ---- memories and search ----

	createMemory(memory: T.Memory, tableName: string, unique = false): Promise<void> {
		return memories.createMemory(this.ctx, memory, tableName, unique);
	}
	createMemories(items: T.CreateMemoryItem[]): Promise<void> {
		return memories.createMemories(this.ctx, items);
	}
	getMemories(params: T.GetMemoriesParams): Promise<T.Memory[]> {
		return reads.getMemories(this.ctx, params);
	}
	getMemoryById(id: T.UUID): Promise<T.Memory | null> {
		return reads.getMemoryById(this.ctx, id);
	}
	getMemoriesByIds(ids: T.UUID[], tableName?: string): Promise<T.Memory[]> {
		return reads.getMemoriesByIds(this.ctx, ids, tableName);
	}
	getMemoriesByRoomIds(params: {
		roomIds: T.UUID[];
		tableName: string;
		agentId?: T.UUID;
		limit?: number;
	}): Promise<T.Memory[]> {
		return reads.getMemoriesByRoomIds(this.ctx, params);
	}
	countMemories(roomId: T.UUID, unique = true, tableName?: string): Promise<number> {
		return reads.countMemories(this.ctx, roomId, unique, tableName);
	}
	removeMemory(memoryId: T.UUID, tableName: string): Promise<void> {
		return reads.removeMemory(this.ctx, memoryId, tableName);
	}
	removeAllMemories(roomId: T.UUID, tableName: string): Promise<void> {
		return reads.removeAllMemories(this.ctx, roomId, tableName);
	}
	getMemoriesMissingEmbeddings(
		params: { tableName?: string; count?: number } = {},
	): Promise<T.Memory[]> {
		return reads.getMemoriesMissingEmbeddings(this.ctx, params);
	}
	updateMemoryEmbedding(id: T.UUID, embedding: T.EmbeddingInput): Promise<void> {
		return reads.updateMemoryEmbedding(this.ctx, id, embedding);
	}
	searchMemoriesByEmbedding(
		embedding: T.EmbeddingInput,
		params: T.SearchMemoriesByEmbeddingParams,
	): Promise<T.Memory[]> {
		return search.searchMemoriesByEmbedding(this.ctx, embedding, params);
	}
	searchMemories(params: T.SearchMemoriesParams): Promise<T.Memory[]> {
		return search.searchMemories(this.ctx, params);
	}
	getCachedEmbeddings(params: T.GetCachedEmbeddingsParams): Promise<T.CachedEmbedding[]> {
		return getCachedEmbeddings(this.ctx, params);
	}

	// ---- goals, relationships, logs, cache ----

	getGoals(params: {
		roomId: T.UUID;
		userId?: T.UUID | null;
		onlyInProgress?: boolean;
		count?: number;
	}): Promise<T.Goal[]> {
		return goals.getGoals(this.ctx, params);
	}
	createGoal(goal: T.Goal): Promise<void> {
		return goals.createGoal(this.ctx, goal);
	}
	updateGoal(goal: T.Goal): Promise<void> {
		return goals.updateGoal(this.ctx, goal);
	}
	updateGoalStatus(params: { goalId: T.UUID; status: T.GoalStatus }): Promise<void> {
		return goals.updateGoalStatus(this.ctx, params);
	}
	removeGoal(goalId: T.UUID): Promise<void> {
		return goals.removeGoal(this.ctx, goalId);
	}
	removeAllGoals(roomId: T.UUID): Promise<void> {
		return goals.removeAllGoals(this.ctx, roomId);
	}
	createRelationship(params: { userA: T.UUID; userB: T.UUID }): Promise<boolean> {
		return relationships.createRelationship(this.ctx, params);
	}
	getRelationship(params: { userA: T.UUID; userB: T.UUID }): Promise<T.Relationship | null> {
		return relationships.getRelationship(this.ctx, params);
	}
	getRelationships(params: { userId: T.UUID }): Promise<T.Relationship[]> {
		return relationships.getRelationships(this.ctx, params);
	}
	log(params: T.LogParams): Promise<void> {
		return logs.log(this.ctx, params);
	}
	getCache(params: T.CacheKey): Promise<string | undefined> {
		return cache.getCache(this.ctx, params);
	}
	setCache(params: L.SetCacheParams): Promise<boolean> {
		return cache.setCache(this.ctx, params);
	}
	deleteCache(params: T.CacheKey): Promise<boolean> {
		return cache.deleteCache(this.ctx, params);
	}

	// ---- lifecycle: rooms listed and named, memories forgotten ----

	listRooms(params?: L.ListRoomsParams): Promise<L.RoomSummary[]> {
		return listRooms(this.ctx, params);
	}
	getRoomName(roomId: T.UUID): Promise<string | null> {
		return rooms.getRoomName(this.ctx, roomId);
	}
	setRoomName(roomId: T.UUID, name: string | null): Promise<void> {
		return rooms.setRoomName(this.ctx, roomId, name);
	}
	deleteMemories(filter: L.DeleteMemoriesFilter): Promise<number> {
		return forget.deleteMemories(this.ctx, filter);
	}
	pruneMemories(params: L.PruneMemoriesParams): Promise<number> {
		return forget.pruneMemories(this.ctx, params);
	}

	// ---- knowledge, stats, export/import ----

	getKnowledge(params: T.GetKnowledgeParams): Promise<T.KnowledgeItem[]> {
		return knowledge.getKnowledge(this.ctx, params);
	}
	searchKnowledge(params: T.SearchKnowledgeParams): Promise<T.KnowledgeItem[]> {
		return knowledge.searchKnowledge(this.ctx, params);
	}
	createKnowledge(item: T.KnowledgeItem): Promise<void> {
		return knowledge.createKnowledge(this.ctx, item);
	}
	removeKnowledge(id: T.UUID): Promise<void> {
		return knowledge.removeKnowledge(this.ctx, id);
	}
	clearKnowledge(agentId: T.UUID, shared = false): Promise<void> {
		return knowledge.clearKnowledge(this.ctx, agentId, shared);
	}
	stats(): Promise<T.AdapterStats> {
		return stats(this.ctx);
	}
	exportRecords(): AsyncIterable<PortableRecord> {
		return portable.exportRecords(this.ctx);
	}
	importRecords(
		records: AsyncIterable<PortableRecord> | Iterable<PortableRecord>,
		options: ImportOptions = {},
	): Promise<ImportSummary> {
		return portable.importRecords(this.ctx, records, options);
	}
	/** Schema version, index names and vector extension version (for `agentmem doctor`). */
	diagnostics(): Promise<Diagnostics> {
		return portable.diagnostics(this.ctx);
	}

	// ---- re-embedding (outside the contract: the embedder is a function, it cannot be remote) ----

	/** Re-embeds every vector with `options.embedder`, online and resumable (see reembed.ts). */
	reembed(options: ReembedOptions): Promise<ReembedResult> {
		return reembedding.reembed(this.ctx, options);
	}
	/** The recorded model and dimension, and the re-embed in progress, if any. */
	reembedStatus(): Promise<ReembedStatus> {
		return reembedding.reembedStatus(this.ctx);
	}
	/** Abandons a re-embed in progress (drops its next vectors); false when none was. */
	abortReembed(): Promise<boolean> {
		return reembedding.abortReembed(this.ctx);
	}

	// ---- transactions and events ----

	async transaction<T>(fn: (tx: DatabaseAdapter) => Promise<T>): Promise<T> {
		if (typeof fn !== "function") throw new ValidationError("fn", "expected a function");
		return runTransaction(this.ctx, (ctx) => fn(this.view(ctx)));
	}

	subscribe(
		filter: T.SubscribeFilter,
		listener: (event: T.MemoryEvent) => void,
	): Promise<T.Unsubscribe> {
		return subscribe(this.ctx, filter, listener);
	}
}
