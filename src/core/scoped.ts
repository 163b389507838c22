/**
 * Scoped handles: `forAgent(adapter, agentId)` and `forRoom(adapter, roomId)` give the memory,
 * search and (for an agent) knowledge calls of any `DatabaseAdapter` (a backend, a wrapper, a
 * transaction's `tx`, a remote adapter) with that agent or room filled in and enforced, so one
 * agent's code cannot read or forget another's memories by mistake:
 * - an id the caller leaves out is filled from the scope;
 * - a call naming another agent or room throws `ValidationError` (naming the field and both ids)
 *   before anything is sent to the database;
 * - reads by id (`getMemoryById`, `getMemoriesByIds`) return only memories inside the scope;
 * - removals run as `deleteMemories` with the scope's ids as criteria, so they never touch
 *   memories outside it.
 * A handle holds no state beyond the ids; it is a convenience, not a security boundary (row-level
 * security is: docs/postgres.md).
 */
import type { DatabaseAdapter } from "./adapter.js";
import { ValidationError } from "./errors.js";
import type {
	DeleteMemoriesFilter,
	ListRoomsParams,
	PruneMemoriesParams,
	RoomSummary,
} from "./lifecycle-types.js";
import type {
	EmbeddingInput,
	GetKnowledgeParams,
	GetMemoriesParams,
	KnowledgeItem,
	Memory,
	SearchKnowledgeParams,
	SearchMemoriesByEmbeddingParams,
	SearchMemoriesParams,
	UUID,
} from "./types.js";
import * as v from "./validation.js";

/** A value whose scoped ids may be left out (they are filled from the scope). */
type Scoped<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;
type Ids = "agentId" | "roomId";
/** A memory for a scoped handle: `agentId` and `roomId` may be left to the scope. */
export type ScopedMemory = Scoped<Memory, Ids>;

export interface Scope {
	agentId?: UUID;
	roomId?: UUID;
}

const KNOWLEDGE_WILDCARD = "-chunk-*";

export class ScopedAdapter {
	readonly agentId: UUID | undefined;
	readonly roomId: UUID | undefined;

	constructor(
		readonly adapter: DatabaseAdapter,
		scope: Scope,
	) {
		this.agentId = v.optionalUuid(scope.agentId, "agentId");
		this.roomId = v.optionalUuid(scope.roomId, "roomId");
		if (!this.agentId && !this.roomId)
			throw new ValidationError("scope", "give an agentId or a roomId");
	}

	/** This handle, further scoped to an agent (it must agree with the agent already scoped). */
	forAgent(agentId: UUID): ScopedAdapter {
		return new ScopedAdapter(this.adapter, {
			roomId: this.roomId,
			agentId: this.fill("agentId", agentId, "agentId"),
		});
	}

	/** This handle, further scoped to a room (it must agree with the room already scoped). */
	forRoom(roomId: UUID): ScopedAdapter {
		return new ScopedAdapter(this.adapter, {
			agentId: this.agentId,
			roomId: this.fill("roomId", roomId, "roomId"),
		});
	}

	// ---- memories ----

	createMemory(memory: ScopedMemory, tableName: string, unique?: boolean): Promise<void> {
		return this.adapter.createMemory(this.memory(memory, "memory"), tableName, unique);
	}
	createMemories(
		items: { memory: ScopedMemory; tableName: string; unique?: boolean }[],
	): Promise<void> {
		if (!Array.isArray(items)) throw new ValidationError("items", "expected an array");
		return this.adapter.createMemories(
			items.map((it, i) => ({ ...it, memory: this.memory(it?.memory, `items[${i}].memory`) })),
		);
	}
	getMemories(params: Scoped<GetMemoriesParams, Ids>): Promise<Memory[]> {
		return this.adapter.getMemories(this.params(params) as GetMemoriesParams);
	}
	/** The memory, or `null` when absent or outside the scope. */
	async getMemoryById(id: UUID): Promise<Memory | null> {
		const found = await this.adapter.getMemoryById(id);
		return found && this.contains(found) ? found : null;
	}
	/** The memories with these ids that exist inside the scope. */
	async getMemoriesByIds(ids: UUID[], tableName?: string): Promise<Memory[]> {
		return (await this.adapter.getMemoriesByIds(ids, tableName)).filter((m) => this.contains(m));
	}
	searchMemoriesByEmbedding(
		embedding: EmbeddingInput,
		params: SearchMemoriesByEmbeddingParams,
	): Promise<Memory[]> {
		return this.adapter.searchMemoriesByEmbedding(embedding, this.params(params));
	}
	searchMemories(params: Scoped<SearchMemoriesParams, Ids>): Promise<Memory[]> {
		return this.adapter.searchMemories(this.params(params) as SearchMemoriesParams);
	}
	/** Removes the memory when it is inside the scope (else nothing happens, as for an absent id). */
	async removeMemory(memoryId: UUID, tableName: string): Promise<void> {
		await this.deleteMemories({ ids: [memoryId], tableName });
	}
	/** Removes the scope's memories of this type in the room (`undefined`: the scoped room). */
	async removeAllMemories(roomId: UUID | undefined, tableName: string): Promise<void> {
		await this.deleteMemories({ roomId, tableName });
	}
	/** `deleteMemories` within the scope: its ids are criteria too. */
	deleteMemories(filter: DeleteMemoriesFilter): Promise<number> {
		return this.adapter.deleteMemories(this.params(filter ?? {}));
	}
	/** `pruneMemories` within the scope. */
	pruneMemories(params: PruneMemoriesParams): Promise<number> {
		return this.adapter.pruneMemories(this.params(params ?? {}));
	}
	/** The rooms of the scoped agent (or the scoped room), with the agent's counts. */
	async listRooms(params: Omit<ListRoomsParams, "agentId"> = {}): Promise<RoomSummary[]> {
		const rooms = await this.adapter.listRooms({ ...params, agentId: this.agentId });
		return this.roomId ? rooms.filter((r) => r.id === this.roomId) : rooms;
	}

	// ---- knowledge (agent scope) ----

	getKnowledge(params: Scoped<GetKnowledgeParams, "agentId"> = {}): Promise<KnowledgeItem[]> {
		return this.adapter.getKnowledge({ ...params, agentId: this.agent(params.agentId) });
	}
	searchKnowledge(params: Scoped<SearchKnowledgeParams, "agentId">): Promise<KnowledgeItem[]> {
		return this.adapter.searchKnowledge({ ...params, agentId: this.agent(params?.agentId) });
	}
	createKnowledge(item: Scoped<KnowledgeItem, "agentId">): Promise<void> {
		return this.adapter.createKnowledge({
			...item,
			agentId: this.agent(item?.agentId, "item.agentId"),
		});
	}
	/**
	 * Removes the agent's own item (and, for a UUID, its chunks); an item of another agent (a
	 * shared one) throws. `<uuid>-chunk-*` removes the agent's own chunks of that file.
	 */
	async removeKnowledge(id: UUID): Promise<void> {
		const agentId = this.agent(undefined);
		if (typeof id === "string" && id.endsWith(KNOWLEDGE_WILDCARD)) {
			const prefix = id.slice(0, -1).toLowerCase();
			const items = await this.adapter.getKnowledge({ agentId });
			for (const item of items)
				if (item.agentId === agentId && item.id.startsWith(prefix))
					await this.adapter.removeKnowledge(item.id);
			return;
		}
		const [item] = await this.adapter.getKnowledge({ id, agentId });
		if (!item) return;
		if (item.agentId !== agentId)
			throw new ValidationError(
				"id",
				`knowledge item ${item.id} belongs to agent ${item.agentId}; this handle is scoped to agent ${agentId}`,
			);
		await this.adapter.removeKnowledge(id);
	}
	clearKnowledge(shared?: boolean): Promise<void> {
		return this.adapter.clearKnowledge(this.agent(undefined), shared);
	}

	// ---- filling and enforcing the scope ----

	/** The scoped id for `key`, or `given` when unscoped; another id than the scope's throws. */
	private fill(key: Ids, given: unknown, field: string): UUID | undefined {
		const scoped = this[key];
		if (given === undefined || given === null) return scoped;
		const id = v.uuid(given, field);
		if (scoped && id !== scoped)
			throw new ValidationError(
				field,
				`this handle is scoped to ${key === "agentId" ? "agent" : "room"} ${scoped}; got ${id}`,
			);
		return id;
	}

	private agent(given: unknown, field = "agentId"): UUID {
		const id = this.fill("agentId", given, field);
		if (!id) throw new ValidationError(field, "this handle has no agent: use forAgent(…)");
		return id;
	}

	/** `value` with the scope's ids filled in (and checked). */
	private params<T extends Partial<Record<Ids, UUID>>>(value: T, at = "params"): T {
		if (value === null || typeof value !== "object")
			throw new ValidationError(at, `expected an object, got ${v.describe(value)}`);
		const out: T = { ...value };
		const agentId = this.fill("agentId", value.agentId, `${at}.agentId`);
		const roomId = this.fill("roomId", value.roomId, `${at}.roomId`);
		if (agentId) out.agentId = agentId;
		if (roomId) out.roomId = roomId;
		return out;
	}

	private memory(memory: ScopedMemory | undefined, at: string): Memory {
		return this.params(memory as Memory, at);
	}

	private contains(m: Memory): boolean {
		return (
			(!this.agentId || m.agentId === this.agentId) && (!this.roomId || m.roomId === this.roomId)
		);
	}
}

/** The adapter's memory, search and knowledge calls scoped to one agent (see ScopedAdapter). */
export function forAgent(adapter: DatabaseAdapter, agentId: UUID): ScopedAdapter {
	return new ScopedAdapter(adapter, { agentId: v.uuid(agentId, "agentId") });
}

/** The adapter's memory and search calls scoped to one room (see ScopedAdapter). */
export function forRoom(adapter: DatabaseAdapter, roomId: UUID): ScopedAdapter {
	return new ScopedAdapter(adapter, { roomId: v.uuid(roomId, "roomId") });
}
