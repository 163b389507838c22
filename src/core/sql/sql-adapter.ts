/**
 * The contract, implemented once over SQL. A backend subclass supplies its family (statements and
 * encodings), a driver and a vector search through `open()`; everything else (validation,
 * dedup, transactions, events, error mapping) lives here, so four backends behave as one.
 */
import type { DatabaseAdapter } from "../adapter.js";
import {
	AgentmemError,
	ClosedError,
	ConflictError,
	NotFoundError,
	UnsupportedFeatureError,
	ValidationError,
} from "../errors.js";
import { levenshteinBounded } from "../levenshtein.js";
import type { ImportOptions, ImportSummary, PortableRecord } from "../portable-types.js";
import type {
	Account,
	Actor,
	AdapterCapabilities,
	AdapterStats,
	CachedEmbedding,
	CacheKey,
	CreateMemoryItem,
	EmbeddingInput,
	GetCachedEmbeddingsParams,
	GetKnowledgeParams,
	GetMemoriesParams,
	Goal,
	GoalStatus,
	KnowledgeItem,
	LogParams,
	Memory,
	MemoryEvent,
	Participant,
	ParticipantUserState,
	Relationship,
	SearchKnowledgeParams,
	SearchMemoriesByEmbeddingParams,
	SearchMemoriesParams,
	SubscribeFilter,
	Unsubscribe,
	UUID,
} from "../types.js";
import * as v from "../validation.js";
import { toNumberArray } from "../vector.js";
import type { Row, SqlDriver, SqlSession } from "./driver.js";
import type { Migration, SqlFamily, VectorSearch } from "./family.js";
import { type DatabaseSettings, migrate, type SettingsOptions } from "./migrate.js";
import {
	type Diagnostics,
	exportRecords,
	importRecords,
	type PortableContext,
	readDiagnostics,
} from "./portable.js";
import {
	newId,
	type PreparedMemory,
	prepareGoal,
	prepareKnowledge,
	prepareMemory,
} from "./prepare.js";
import * as rows from "./rows.js";

/** What a backend's `open()` hands the shared adapter. */
export interface SqlBackend {
	driver: SqlDriver;
	vector: VectorSearch;
	capabilities: Omit<AdapterCapabilities, "embeddingDimension">;
	/** Backend-only migrations (e.g. a vector index), applied after the family's. */
	extraMigrations?: readonly Migration[];
	/** Runs once after migrations, before the adapter is usable (e.g. to check a derived index). */
	afterMigrate?(settings: DatabaseSettings): Promise<void>;
	/** New memories delivered by the database itself (across connections); replaces in-process events. */
	memoryEvents?: MemoryEventSource;
}

/** A statement with its bound parameters. */
export interface SqlStatement {
	sql: string;
	params?: readonly unknown[];
}

/** Delivers committed memories from the database (e.g. LISTEN/NOTIFY). */
export interface MemoryEventSource {
	/** Delivers each committed memory matching `filter`, read through `read` (the subscriber's view). */
	subscribe(
		filter: SubscribeFilter,
		listener: (event: MemoryEvent) => void,
		read: (id: UUID) => Promise<Memory | null>,
	): Promise<Unsubscribe>;
	close(): Promise<void>;
}

/** Cosine similarity at or above which a memory counts as a near-duplicate (ElizaOS semantics). */
export const DUPLICATE_SIMILARITY = 0.95;
const DEFAULT_SEARCH_COUNT = 10;
const JSON_KEY_RE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

interface SharedState {
	backend?: SqlBackend;
	settings?: DatabaseSettings;
	capabilities?: AdapterCapabilities;
	opening?: Promise<void>;
	closed: boolean;
	listeners: Set<{ filter: SubscribeFilter; listener: (event: MemoryEvent) => void }>;
}

/** A transaction-bound view's session and the events it will publish after commit. */
interface Scope {
	session: SqlSession;
	depth: number;
	pending: MemoryEvent[];
	done: boolean;
}

export abstract class SqlDatabaseAdapter implements DatabaseAdapter {
	protected abstract readonly family: SqlFamily;
	/** Opens the database (no migrations): called once by `init()`. */
	protected abstract open(): Promise<SqlBackend>;
	/** Releases what `open()` acquired beyond the driver (lock files, …). */
	protected async release(): Promise<void> {}
	/**
	 * Told after rows were written to a table that has a vector index (also inside transactions,
	 * before commit). Backends that maintain statistics themselves (PGlite) count them here.
	 */
	protected afterInsert(_table: "memories" | "knowledge", _rows: number): void {}
	/** True on a `transaction()` view (its calls run inside the open transaction). */
	protected get inTransaction(): boolean {
		return this.scope !== null;
	}

	protected readonly settingsOptions: SettingsOptions;
	private readonly state: SharedState = { closed: false, listeners: new Set() };
	private readonly scope: Scope | null = null;
	/** Statements a `withPrelude` view runs first in each of its transactions. */
	private readonly prelude: readonly SqlStatement[] | null = null;

	constructor(options: SettingsOptions = {}) {
		this.settingsOptions = { ...options };
	}

	// ---- lifecycle ----

	get capabilities(): AdapterCapabilities {
		if (!this.state.capabilities) throw new ClosedError("capabilities are known after init()");
		return this.state.capabilities;
	}

	/** The recorded embedding dimension (after `init()`). */
	get embeddingDimension(): number {
		return this.ready().settings.embeddingDimension;
	}

	async init(): Promise<void> {
		if (this.state.closed) throw new ClosedError("this adapter was closed; create a new one");
		this.state.opening ??= this.openAndMigrate();
		await this.state.opening;
	}

	private async openAndMigrate(): Promise<void> {
		try {
			const backend = await this.open();
			try {
				const settings = await migrate(
					backend.driver,
					this.family,
					this.settingsOptions,
					backend.extraMigrations,
				);
				await backend.afterMigrate?.(settings);
				this.state.backend = backend;
				this.state.settings = settings;
				this.state.capabilities = Object.freeze({
					...backend.capabilities,
					embeddingDimension: settings.embeddingDimension,
				});
			} catch (err) {
				await backend.driver.close();
				await this.release();
				throw err instanceof AgentmemError
					? err
					: backend.driver.wrapError(err, "applying migrations");
			}
		} catch (err) {
			this.state.opening = undefined;
			throw err;
		}
	}

	async close(): Promise<void> {
		if (this.scope) throw new ValidationError("close", "cannot close from inside a transaction");
		if (this.state.closed) return;
		this.state.closed = true;
		this.state.listeners.clear();
		const opening = this.state.opening;
		if (!opening) return;
		await opening.catch(() => undefined);
		if (this.state.backend) {
			await this.state.backend.memoryEvents?.close();
			await this.state.backend.driver.close();
			await this.release();
		}
	}

	async testConnection(): Promise<boolean> {
		await this.op("testConnection", (s) => s.all("SELECT 1 AS ok"));
		return true;
	}

	/** The backend and settings, or a ClosedError saying why they are not available. */
	protected ready(): { backend: SqlBackend; settings: DatabaseSettings } {
		const { backend, settings, closed } = this.state;
		if (closed) throw new ClosedError("this adapter is closed");
		if (!backend || !settings) throw new ClosedError("call init() before using the adapter");
		if (this.scope?.done)
			throw new ClosedError(
				"this transaction has ended; use the adapter, not tx, outside transaction()",
			);
		return { backend, settings };
	}

	/** Runs `fn` on this view's session, mapping driver errors to typed ones. */
	protected async op<T>(
		what: string,
		fn: (s: SqlSession, b: SqlBackend) => Promise<T>,
	): Promise<T> {
		const { backend } = this.ready();
		try {
			if (this.scope) return await fn(this.scope.session, backend);
			const prelude = this.prelude;
			if (!prelude) return await fn(backend.driver.session, backend);
			return await backend.driver.transaction(async (s) => {
				await runPrelude(s, prelude);
				return fn(s, backend);
			});
		} catch (err) {
			if (err instanceof AgentmemError) throw err;
			throw backend.driver.wrapError(err, what);
		}
	}

	/** Runs a write; a foreign-key violation becomes a NotFoundError naming what is missing. */
	protected async write<T>(
		what: string,
		refs: { field: string; table: "accounts" | "rooms"; id: string }[],
		fn: (s: SqlSession) => Promise<T>,
	): Promise<T> {
		return this.op(what, async (s, b) => {
			try {
				return await fn(s);
			} catch (err) {
				if (b.driver.constraintOf(err) !== "foreign_key") throw err;
				throw new NotFoundError(`${what}: ${await this.describeMissing(refs, s)}`, { cause: err });
			}
		});
	}

	private async describeMissing(
		refs: { field: string; table: "accounts" | "rooms"; id: string }[],
		session: SqlSession,
	): Promise<string> {
		const s = this.family.statements;
		const missing: string[] = [];
		try {
			// In a PostgreSQL transaction this fails (the transaction is aborted) and the generic
			// message below is used; SQLite transactions survive a failed statement.
			for (const r of refs) {
				const found = await session.all(r.table === "rooms" ? s.roomGet : s.accountGet, [r.id]);
				if (found.length === 0) missing.push(`${r.field} ${r.id} does not exist`);
			}
		} catch {
			// The diagnosis is best effort; the generic message below still names the candidates.
		}
		if (missing.length > 0) return `${missing.join("; ")}; create it first`;
		return `one of ${refs.map((r) => `${r.field} ${r.id}`).join(", ")} does not exist; create it first`;
	}

	/** A view of this adapter bound to a transaction's session (shares state, not scope). */
	private bind(scope: Scope): this {
		const view = Object.create(this) as this;
		Object.defineProperty(view, "scope", { value: scope });
		return view;
	}

	/**
	 * A view whose every call runs in its own transaction, after `prelude` (e.g. a role and request
	 * settings for row-level security); its `transaction()` runs the prelude once after BEGIN.
	 */
	protected withPrelude(prelude: readonly SqlStatement[]): this {
		if (this.scope) throw new ValidationError("prelude", "derive the view outside a transaction");
		const view = Object.create(this) as this;
		Object.defineProperty(view, "prelude", { value: [...prelude] });
		return view;
	}

	// ---- transactions and events ----

	async transaction<T>(fn: (tx: DatabaseAdapter) => Promise<T>): Promise<T> {
		if (typeof fn !== "function") throw new ValidationError("fn", "expected a function");
		const { backend } = this.ready();
		const outer = this.scope;
		if (!outer) {
			const pending: MemoryEvent[] = [];
			let scope: Scope | undefined;
			try {
				const result = await backend.driver.transaction(async (session) => {
					if (this.prelude) await runPrelude(session, this.prelude);
					// A driver may run this again after a transient failure before COMMIT (the first
					// attempt was rolled back): drop its events and retire its view.
					if (scope) scope.done = true;
					pending.length = 0;
					scope = { session, depth: 1, pending, done: false };
					return fn(this.bind(scope));
				});
				this.dispatch(pending);
				return result;
			} finally {
				if (scope) scope.done = true;
			}
		}
		const name = `agentmem_sp${outer.depth}`;
		const mark = outer.pending.length;
		const inner: Scope = { ...outer, depth: outer.depth + 1 };
		await this.op("transaction", (s) => s.run(`SAVEPOINT ${name}`));
		try {
			const result = await fn(this.bind(inner));
			await this.op("transaction", (s) => s.run(`RELEASE SAVEPOINT ${name}`));
			return result;
		} catch (err) {
			outer.pending.length = mark;
			await this.op("transaction", async (s) => {
				await s.run(`ROLLBACK TO SAVEPOINT ${name}`);
				await s.run(`RELEASE SAVEPOINT ${name}`);
			});
			throw err;
		} finally {
			inner.done = true;
		}
	}

	/** Queues an event until commit (in a transaction) or dispatches it now. */
	protected publish(event: MemoryEvent): void {
		if (this.state.backend?.memoryEvents) return; // the database delivers it
		if (this.scope) this.scope.pending.push(event);
		else this.dispatch([event]);
	}

	private dispatch(events: MemoryEvent[]): void {
		for (const event of events) {
			for (const { filter, listener } of this.state.listeners) {
				if (filter.tableName !== undefined && filter.tableName !== event.tableName) continue;
				if (filter.roomId !== undefined && filter.roomId !== event.memory.roomId) continue;
				try {
					listener(event);
				} catch {
					// A listener's failure must not undo or fail a committed write.
				}
			}
		}
	}

	async subscribe(
		filter: SubscribeFilter,
		listener: (event: MemoryEvent) => void,
	): Promise<Unsubscribe> {
		this.ready();
		if (filter === null || typeof filter !== "object")
			throw new ValidationError("filter", "expected an object");
		if (filter.tableName !== undefined) v.assertTableName(filter.tableName, "filter.tableName");
		v.assertOptionalUuid(filter.roomId, "filter.roomId");
		if (typeof listener !== "function")
			throw new ValidationError("listener", "expected a function");
		const source = this.ready().backend.memoryEvents;
		if (source) return source.subscribe({ ...filter }, listener, (id) => this.getMemoryById(id));
		const entry = { filter: { ...filter }, listener };
		this.state.listeners.add(entry);
		return async () => {
			this.state.listeners.delete(entry);
		};
	}

	// ---- accounts ----

	async getAccountById(userId: UUID): Promise<Account | null> {
		v.assertUuid(userId, "userId");
		const found = await this.op("getAccountById", (s) =>
			s.all(this.family.statements.accountGet, [userId]),
		);
		return found[0] ? rows.toAccount(found[0]) : null;
	}

	async createAccount(account: Account): Promise<boolean> {
		if (account === null || typeof account !== "object")
			throw new ValidationError("account", "expected an account object");
		v.assertUuid(account.id, "account.id");
		v.assertString(account.name, "account.name", { allowEmpty: true });
		v.assertString(account.username, "account.username", { allowEmpty: true });
		v.assertOptionalString(account.email, "account.email");
		v.assertOptionalString(account.avatarUrl, "account.avatarUrl");
		const details = v.jsonObjectText(account.details ?? {}, "account.details");
		const changed = await this.op("createAccount", (s) =>
			s.run(this.family.statements.accountInsert, [
				account.id,
				account.name,
				account.username,
				account.email ?? null,
				account.avatarUrl ?? null,
				details,
				Date.now(),
			]),
		);
		return changed > 0;
	}

	// ---- rooms and participants ----

	async getRoom(roomId: UUID): Promise<UUID | null> {
		v.assertUuid(roomId, "roomId");
		const found = await this.op("getRoom", (s) => s.all(this.family.statements.roomGet, [roomId]));
		return found[0] ? (found[0].id as UUID) : null;
	}

	async createRoom(roomId?: UUID): Promise<UUID> {
		v.assertOptionalUuid(roomId, "roomId");
		const id = roomId ?? newId();
		await this.op("createRoom", (s) => s.run(this.family.statements.roomInsert, [id, Date.now()]));
		return id;
	}

	async removeRoom(roomId: UUID): Promise<void> {
		v.assertUuid(roomId, "roomId");
		await this.op("removeRoom", (s) => s.run(this.family.statements.roomDelete, [roomId]));
	}

	async getRoomsForParticipant(userId: UUID): Promise<UUID[]> {
		v.assertUuid(userId, "userId");
		return this.roomsFor([userId]);
	}

	async getRoomsForParticipants(userIds: UUID[]): Promise<UUID[]> {
		v.assertUuidArray(userIds, "userIds");
		return userIds.length === 0 ? [] : this.roomsFor(userIds);
	}

	private async roomsFor(userIds: UUID[]): Promise<UUID[]> {
		const found = await this.op("getRoomsForParticipants", (s) =>
			s.all(this.family.statements.roomsForParticipants, [JSON.stringify(userIds)]),
		);
		return found.map((r) => r.room_id as UUID);
	}

	async addParticipant(userId: UUID, roomId: UUID): Promise<boolean> {
		v.assertUuid(userId, "userId");
		v.assertUuid(roomId, "roomId");
		const refs = [
			{ field: "userId", table: "accounts" as const, id: userId },
			{ field: "roomId", table: "rooms" as const, id: roomId },
		];
		await this.write("addParticipant", refs, (s) =>
			s.run(this.family.statements.participantInsert, [newId(), userId, roomId, Date.now()]),
		);
		return true;
	}

	async removeParticipant(userId: UUID, roomId: UUID): Promise<boolean> {
		v.assertUuid(userId, "userId");
		v.assertUuid(roomId, "roomId");
		const changed = await this.op("removeParticipant", (s) =>
			s.run(this.family.statements.participantDelete, [userId, roomId]),
		);
		return changed > 0;
	}

	async getParticipantsForAccount(userId: UUID): Promise<Participant[]> {
		v.assertUuid(userId, "userId");
		const found = await this.op("getParticipantsForAccount", (s) =>
			s.all(this.family.statements.participantsForAccount, [userId]),
		);
		return found.map(rows.toParticipant);
	}

	async getParticipantsForRoom(roomId: UUID): Promise<UUID[]> {
		v.assertUuid(roomId, "roomId");
		const found = await this.op("getParticipantsForRoom", (s) =>
			s.all(this.family.statements.participantsForRoom, [roomId]),
		);
		return found.map((r) => r.user_id as UUID);
	}

	async getParticipantUserState(roomId: UUID, userId: UUID): Promise<ParticipantUserState> {
		v.assertUuid(roomId, "roomId");
		v.assertUuid(userId, "userId");
		const found = await this.op("getParticipantUserState", (s) =>
			s.all(this.family.statements.participantStateGet, [roomId, userId]),
		);
		return (found[0]?.user_state as ParticipantUserState | undefined) ?? null;
	}

	async setParticipantUserState(
		roomId: UUID,
		userId: UUID,
		state: ParticipantUserState,
	): Promise<void> {
		v.assertUuid(roomId, "roomId");
		v.assertUuid(userId, "userId");
		v.assertUserState(state, "state");
		const changed = await this.op("setParticipantUserState", (s) =>
			s.run(this.family.statements.participantStateSet, [roomId, userId, state]),
		);
		if (changed === 0) {
			throw new NotFoundError(
				`setParticipantUserState: user ${userId} is not a participant of room ${roomId}`,
			);
		}
	}

	async getActorDetails(params: { roomId: UUID }): Promise<Actor[]> {
		v.assertUuid(params?.roomId, "roomId");
		const found = await this.op("getActorDetails", (s) =>
			s.all(this.family.statements.actorDetails, [params.roomId]),
		);
		return found.map(rows.toActor);
	}

	// ---- memories ----

	async createMemory(memory: Memory, tableName: string, unique = false): Promise<void> {
		const { settings } = this.ready();
		const item = prepareMemory(memory, tableName, unique, settings.embeddingDimension);
		if (item.checkUnique && !this.scope) {
			// The duplicate check and the insert must see the same table: one transaction.
			await this.transaction((tx) => (tx as SqlDatabaseAdapter).insertMemory(item));
		} else {
			await this.insertMemory(item);
		}
	}

	async createMemories(items: CreateMemoryItem[]): Promise<void> {
		const { settings } = this.ready();
		if (!Array.isArray(items)) throw new ValidationError("items", "expected an array");
		const prepared = items.map((it, i) => {
			if (it === null || typeof it !== "object")
				throw new ValidationError(`items[${i}]`, "expected { memory, tableName, unique? }");
			return prepareMemory(
				it.memory,
				it.tableName,
				it.unique,
				settings.embeddingDimension,
				`items[${i}].memory`,
			);
		});
		if (prepared.length === 0) return;
		await this.transaction(async (tx) => {
			for (const item of prepared) await (tx as SqlDatabaseAdapter).insertMemory(item);
		});
	}

	private async insertMemory(item: PreparedMemory): Promise<void> {
		const refs = [
			{ field: "roomId", table: "rooms" as const, id: item.roomId },
			{ field: "agentId", table: "accounts" as const, id: item.agentId },
			{ field: "userId", table: "accounts" as const, id: item.userId },
		];
		const isUnique =
			item.checkUnique && item.vector ? !(await this.hasNearDuplicate(item, item.vector)) : true;
		const changed = await this.write("createMemory", refs, (s) =>
			s.run(this.family.statements.memoryUpsert, [
				item.id,
				item.tableName,
				item.roomId,
				item.agentId,
				item.userId,
				item.contentJson,
				item.vector ? this.family.encodeEmbedding(item.vector) : null,
				this.family.encodeBool(isUnique),
				item.createdAt,
			]),
		);
		if (changed === 0) {
			throw new ConflictError(
				`createMemory: id ${item.id} already belongs to a memory of another type than "${item.tableName}"`,
			);
		}
		this.afterInsert("memories", 1);
		// Building the event costs as much as the insert; skip it when nobody listens.
		if (this.state.listeners.size === 0) return;
		const memory: Memory = {
			id: item.id,
			userId: item.userId,
			agentId: item.agentId,
			roomId: item.roomId,
			createdAt: item.createdAt,
			content: JSON.parse(item.contentJson),
			unique: isUnique,
		};
		if (item.vector) memory.embedding = toNumberArray(item.vector);
		this.publish({ tableName: item.tableName, memory });
	}

	private async hasNearDuplicate(item: PreparedMemory, vector: Float32Array): Promise<boolean> {
		const found = await this.op("createMemory", (s, b) =>
			b.vector.searchMemories(s, vector, {
				tableName: item.tableName,
				roomId: item.roomId,
				agentId: item.agentId,
				uniqueOnly: false,
				count: 2,
				threshold: DUPLICATE_SIMILARITY,
			}),
		);
		return found.some((r) => r.id !== item.id);
	}

	async getMemories(params: GetMemoriesParams): Promise<Memory[]> {
		if (params === null || typeof params !== "object")
			throw new ValidationError("params", "expected an object");
		v.assertUuid(params.roomId, "roomId");
		v.assertTableName(params.tableName);
		v.assertOptionalUuid(params.agentId, "agentId");
		v.assertOptionalCount(params.count, "count");
		v.assertOptionalBoolean(params.unique, "unique");
		v.assertOptionalTimestamp(params.start, "start");
		v.assertOptionalTimestamp(params.end, "end");
		const f = this.family;
		const found = await this.op("getMemories", (s) =>
			s.all(f.statements.memoriesByRoom, [
				params.tableName,
				params.roomId,
				params.agentId ?? null,
				f.encodeBool(params.unique === true),
				params.start ?? null,
				params.end ?? null,
				params.count ?? null,
			]),
		);
		return found.map((r) => rows.toMemory(r, f));
	}

	async getMemoryById(id: UUID): Promise<Memory | null> {
		v.assertUuid(id, "id");
		const found = await this.op("getMemoryById", (s) =>
			s.all(this.family.statements.memoryById, [id]),
		);
		return found[0] ? rows.toMemory(found[0], this.family) : null;
	}

	async getMemoriesByIds(ids: UUID[], tableName?: string): Promise<Memory[]> {
		v.assertUuidArray(ids, "ids");
		if (tableName !== undefined) v.assertTableName(tableName);
		if (ids.length === 0) return [];
		const found = await this.op("getMemoriesByIds", (s) =>
			s.all(this.family.statements.memoriesByIds, [JSON.stringify(ids), tableName ?? null]),
		);
		return found.map((r) => rows.toMemory(r, this.family));
	}

	async getMemoriesByRoomIds(params: {
		roomIds: UUID[];
		tableName: string;
		agentId?: UUID;
		limit?: number;
	}): Promise<Memory[]> {
		if (params === null || typeof params !== "object")
			throw new ValidationError("params", "expected an object");
		v.assertUuidArray(params.roomIds, "roomIds");
		v.assertTableName(params.tableName);
		v.assertOptionalUuid(params.agentId, "agentId");
		v.assertOptionalCount(params.limit, "limit");
		if (params.roomIds.length === 0) return [];
		const found = await this.op("getMemoriesByRoomIds", (s) =>
			s.all(this.family.statements.memoriesByRoomIds, [
				params.tableName,
				JSON.stringify(params.roomIds),
				params.agentId ?? null,
				params.limit ?? null,
			]),
		);
		return found.map((r) => rows.toMemory(r, this.family));
	}

	async countMemories(roomId: UUID, unique = true, tableName?: string): Promise<number> {
		v.assertUuid(roomId, "roomId");
		v.assertBoolean(unique, "unique");
		if (tableName !== undefined && tableName !== "") v.assertTableName(tableName);
		const found = await this.op("countMemories", (s) =>
			s.all(this.family.statements.memoryCount, [
				roomId,
				tableName || null,
				this.family.encodeBool(unique),
			]),
		);
		return rows.int(found[0]?.n ?? 0);
	}

	async removeMemory(memoryId: UUID, tableName: string): Promise<void> {
		v.assertUuid(memoryId, "memoryId");
		v.assertTableName(tableName);
		await this.op("removeMemory", (s) =>
			s.run(this.family.statements.memoryDelete, [memoryId, tableName]),
		);
	}

	async removeAllMemories(roomId: UUID, tableName: string): Promise<void> {
		v.assertUuid(roomId, "roomId");
		v.assertTableName(tableName);
		await this.op("removeAllMemories", (s) =>
			s.run(this.family.statements.memoriesDeleteByRoom, [roomId, tableName]),
		);
	}

	async searchMemoriesByEmbedding(
		embedding: EmbeddingInput,
		params: SearchMemoriesByEmbeddingParams,
	): Promise<Memory[]> {
		const { settings } = this.ready();
		if (params === null || typeof params !== "object")
			throw new ValidationError("params", "expected an object");
		const query = v.checkQueryEmbedding(embedding, settings.embeddingDimension);
		v.assertTableName(params.tableName);
		v.assertOptionalUuid(params.roomId, "roomId");
		v.assertOptionalUuid(params.agentId, "agentId");
		v.assertOptionalCount(params.count, "count");
		v.assertOptionalBoolean(params.unique, "unique");
		if (params.match_threshold !== undefined && params.match_threshold !== null) {
			v.assertSimilarity(params.match_threshold, "match_threshold");
		}
		const count = params.count ?? DEFAULT_SEARCH_COUNT;
		if (count === 0) return [];
		const found = await this.op("searchMemoriesByEmbedding", (s, b) =>
			b.vector.searchMemories(s, query, {
				tableName: params.tableName,
				roomId: params.roomId,
				agentId: params.agentId,
				uniqueOnly: params.unique === true,
				count,
				threshold: params.match_threshold ?? undefined,
			}),
		);
		return found.map((r) => rows.toMemory(r, this.family));
	}

	async searchMemories(params: SearchMemoriesParams): Promise<Memory[]> {
		if (params === null || typeof params !== "object")
			throw new ValidationError("params", "expected an object");
		v.assertUuid(params.roomId, "roomId");
		v.assertCount(params.match_count, "match_count");
		return this.searchMemoriesByEmbedding(params.embedding, {
			tableName: params.tableName,
			roomId: params.roomId,
			agentId: params.agentId,
			match_threshold: params.match_threshold,
			count: params.match_count,
			unique: params.unique,
		});
	}

	async getCachedEmbeddings(params: GetCachedEmbeddingsParams): Promise<CachedEmbedding[]> {
		if (params === null || typeof params !== "object")
			throw new ValidationError("params", "expected an object");
		v.assertTableName(params.query_table_name, "query_table_name");
		v.assertCount(params.query_threshold, "query_threshold");
		v.assertString(params.query_input, "query_input", { allowEmpty: true });
		v.assertCount(params.query_match_count, "query_match_count");
		if (params.query_field_name !== "content") {
			throw new ValidationError(
				"query_field_name",
				`only "content" holds JSON, got ${v.describe(params.query_field_name)}`,
			);
		}
		if (
			typeof params.query_field_sub_name !== "string" ||
			!JSON_KEY_RE.test(params.query_field_sub_name)
		) {
			throw new ValidationError(
				"query_field_sub_name",
				`expected a key such as "text", got ${v.describe(params.query_field_sub_name)}`,
			);
		}
		if (params.query_match_count === 0) return [];
		const input = params.query_input;
		const threshold = params.query_threshold;
		const length = Array.from(input).length;
		const found = await this.op("getCachedEmbeddings", (s) =>
			s.all(this.family.statements.cachedEmbeddingCandidates, [
				params.query_table_name,
				params.query_field_sub_name,
				Math.max(0, length - threshold),
				length + threshold,
				input,
				threshold,
			]),
		);
		const scored: { text: string; row: Row; score: number }[] = [];
		for (const row of found) {
			const text = row.text as string;
			const score = levenshteinBounded(text, input, threshold);
			if (score <= threshold) scored.push({ text, row, score });
		}
		scored.sort((a, b) => a.score - b.score || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
		return scored.slice(0, params.query_match_count).map(({ row, score }) => ({
			embedding: toNumberArray(this.family.decodeEmbedding(row.embedding) ?? []),
			levenshtein_score: score,
		}));
	}

	async getMemoriesMissingEmbeddings(
		params: { tableName?: string; count?: number } = {},
	): Promise<Memory[]> {
		if (params.tableName !== undefined) v.assertTableName(params.tableName);
		v.assertOptionalCount(params.count, "count");
		const found = await this.op("getMemoriesMissingEmbeddings", (s) =>
			s.all(this.family.statements.memoriesMissingEmbedding, [
				params.tableName ?? null,
				params.count ?? null,
			]),
		);
		return found.map((r) => rows.toMemory(r, this.family));
	}

	async updateMemoryEmbedding(id: UUID, embedding: EmbeddingInput): Promise<void> {
		const { settings } = this.ready();
		v.assertUuid(id, "id");
		const checked = v.checkStoredEmbedding(embedding, settings.embeddingDimension, "embedding");
		const value = checked.kind === "vector" ? this.family.encodeEmbedding(checked.vector) : null;
		const changed = await this.op("updateMemoryEmbedding", (s) =>
			s.run(this.family.statements.memoryEmbeddingUpdate, [id, value]),
		);
		if (changed === 0)
			throw new NotFoundError(`updateMemoryEmbedding: memory ${id} does not exist`);
	}

	// ---- goals ----

	async getGoals(params: {
		roomId: UUID;
		userId?: UUID | null;
		onlyInProgress?: boolean;
		count?: number;
	}): Promise<Goal[]> {
		if (params === null || typeof params !== "object")
			throw new ValidationError("params", "expected an object");
		v.assertUuid(params.roomId, "roomId");
		v.assertOptionalUuid(params.userId, "userId");
		v.assertOptionalBoolean(params.onlyInProgress, "onlyInProgress");
		v.assertOptionalCount(params.count, "count");
		const found = await this.op("getGoals", (s) =>
			s.all(this.family.statements.goalsByRoom, [
				params.roomId,
				params.userId ?? null,
				this.family.encodeBool(params.onlyInProgress === true),
				params.count ?? null,
			]),
		);
		return found.map(rows.toGoal);
	}

	async createGoal(goal: Goal): Promise<void> {
		const { id, objectivesJson } = prepareGoal(goal, false);
		const refs: { field: string; table: "accounts" | "rooms"; id: string }[] = [
			{ field: "roomId", table: "rooms", id: goal.roomId },
		];
		if (goal.userId) refs.push({ field: "userId", table: "accounts" as const, id: goal.userId });
		await this.write("createGoal", refs, (s) =>
			s.run(this.family.statements.goalInsert, [
				id,
				goal.roomId,
				goal.userId ?? null,
				goal.name,
				goal.status,
				objectivesJson,
				Date.now(),
			]),
		);
	}

	async updateGoal(goal: Goal): Promise<void> {
		const { objectivesJson } = prepareGoal(goal, true);
		const changed = await this.op("updateGoal", (s) =>
			s.run(this.family.statements.goalUpdate, [goal.id, goal.name, goal.status, objectivesJson]),
		);
		if (changed === 0) throw new NotFoundError(`updateGoal: goal ${goal.id} does not exist`);
	}

	async updateGoalStatus(params: { goalId: UUID; status: GoalStatus }): Promise<void> {
		v.assertUuid(params?.goalId, "goalId");
		v.assertGoalStatus(params.status, "status");
		const changed = await this.op("updateGoalStatus", (s) =>
			s.run(this.family.statements.goalStatusUpdate, [params.goalId, params.status]),
		);
		if (changed === 0)
			throw new NotFoundError(`updateGoalStatus: goal ${params.goalId} does not exist`);
	}

	async removeGoal(goalId: UUID): Promise<void> {
		v.assertUuid(goalId, "goalId");
		await this.op("removeGoal", (s) => s.run(this.family.statements.goalDelete, [goalId]));
	}

	async removeAllGoals(roomId: UUID): Promise<void> {
		v.assertUuid(roomId, "roomId");
		await this.op("removeAllGoals", (s) =>
			s.run(this.family.statements.goalsDeleteByRoom, [roomId]),
		);
	}

	// ---- relationships ----

	async createRelationship(params: { userA: UUID; userB: UUID }): Promise<boolean> {
		v.assertUuid(params?.userA, "userA");
		v.assertUuid(params.userB, "userB");
		const refs = [
			{ field: "userA", table: "accounts" as const, id: params.userA },
			{ field: "userB", table: "accounts" as const, id: params.userB },
		];
		await this.write("createRelationship", refs, (s) =>
			s.run(this.family.statements.relationshipInsert, [
				newId(),
				params.userA,
				params.userB,
				params.userA,
				"FRIENDS",
				Date.now(),
			]),
		);
		return true;
	}

	async getRelationship(params: { userA: UUID; userB: UUID }): Promise<Relationship | null> {
		v.assertUuid(params?.userA, "userA");
		v.assertUuid(params.userB, "userB");
		const found = await this.op("getRelationship", (s) =>
			s.all(this.family.statements.relationshipGet, [params.userA, params.userB]),
		);
		return found[0] ? rows.toRelationship(found[0]) : null;
	}

	async getRelationships(params: { userId: UUID }): Promise<Relationship[]> {
		v.assertUuid(params?.userId, "userId");
		const found = await this.op("getRelationships", (s) =>
			s.all(this.family.statements.relationshipsForUser, [params.userId]),
		);
		return found.map(rows.toRelationship);
	}

	// ---- logs and cache ----

	async log(params: LogParams): Promise<void> {
		if (params === null || typeof params !== "object")
			throw new ValidationError("params", "expected an object");
		const body = v.jsonObjectText(params.body, "body");
		v.assertUuid(params.userId, "userId");
		v.assertUuid(params.roomId, "roomId");
		v.assertString(params.type, "type");
		const refs = [
			{ field: "userId", table: "accounts" as const, id: params.userId },
			{ field: "roomId", table: "rooms" as const, id: params.roomId },
		];
		await this.write("log", refs, (s) =>
			s.run(this.family.statements.logInsert, [
				newId(),
				body,
				params.userId,
				params.roomId,
				params.type,
				Date.now(),
			]),
		);
	}

	private cacheKey(params: CacheKey): void {
		if (params === null || typeof params !== "object")
			throw new ValidationError("params", "expected an object");
		v.assertUuid(params.agentId, "agentId");
		v.assertString(params.key, "key");
	}

	async getCache(params: CacheKey): Promise<string | undefined> {
		this.cacheKey(params);
		const found = await this.op("getCache", (s) =>
			s.all(this.family.statements.cacheGet, [params.agentId, params.key]),
		);
		return found[0] ? (found[0].value as string) : undefined;
	}

	async setCache(params: CacheKey & { value: string }): Promise<boolean> {
		this.cacheKey(params);
		v.assertString(params.value, "value", { allowEmpty: true });
		await this.op("setCache", (s) =>
			s.run(this.family.statements.cacheSet, [
				params.agentId,
				params.key,
				params.value,
				Date.now(),
			]),
		);
		return true;
	}

	async deleteCache(params: CacheKey): Promise<boolean> {
		this.cacheKey(params);
		const changed = await this.op("deleteCache", (s) =>
			s.run(this.family.statements.cacheDelete, [params.agentId, params.key]),
		);
		return changed > 0;
	}

	// ---- knowledge ----

	async getKnowledge(params: GetKnowledgeParams): Promise<KnowledgeItem[]> {
		if (params === null || typeof params !== "object")
			throw new ValidationError("params", "expected an object");
		v.assertUuid(params.agentId, "agentId");
		v.assertOptionalUuid(params.id, "id");
		v.assertOptionalCount(params.limit, "limit");
		if (params.query !== undefined || params.conversationContext !== undefined) {
			throw new UnsupportedFeatureError(
				"getKnowledge does not filter by text; embed the query and call searchKnowledge instead",
			);
		}
		const found = await this.op("getKnowledge", (s) =>
			params.id
				? s.all(this.family.statements.knowledgeById, [params.id, params.agentId])
				: s.all(this.family.statements.knowledgeForAgent, [params.agentId, params.limit ?? null]),
		);
		return found.map((r) => rows.toKnowledge(r, this.family));
	}

	async searchKnowledge(params: SearchKnowledgeParams): Promise<KnowledgeItem[]> {
		const { settings } = this.ready();
		if (params === null || typeof params !== "object")
			throw new ValidationError("params", "expected an object");
		v.assertUuid(params.agentId, "agentId");
		const query = v.checkQueryEmbedding(params.embedding, settings.embeddingDimension);
		v.assertSimilarity(params.match_threshold, "match_threshold");
		v.assertCount(params.match_count, "match_count");
		v.assertOptionalString(params.searchText, "searchText");
		if (params.match_count === 0) return [];
		const found = await this.op("searchKnowledge", (s, b) =>
			b.vector.searchKnowledge(s, query, {
				agentId: params.agentId,
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

	async removeKnowledge(id: UUID): Promise<void> {
		v.assertUuid(id, "id");
		await this.op("removeKnowledge", (s) => s.run(this.family.statements.knowledgeDelete, [id]));
	}

	async clearKnowledge(agentId: UUID, shared = false): Promise<void> {
		v.assertUuid(agentId, "agentId");
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

async function runPrelude(session: SqlSession, prelude: readonly SqlStatement[]): Promise<void> {
	for (const statement of prelude) await session.all(statement.sql, statement.params);
}
