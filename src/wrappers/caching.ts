/**
 * `createCachingDatabaseAdapter`: an LRU cache in front of the read-mostly calls of any adapter
 * (accounts, rooms, participants, cached embeddings). The key-value cache is read through: its
 * entries may expire, which a cached copy would not notice.
 *
 * Invalidation is deliberately coarse, so it is never wrong: any call that is not a known read
 * clears the whole cache, before it starts and again when it settles (success or failure).
 * Reads inside a transaction bypass the cache, and the cache is cleared when a transaction ends,
 * committed or rolled back. A generation counter keeps a read that raced with a write from
 * storing what it saw. Writes by OTHER processes are not seen: bound staleness with `ttlMs`.
 */
import { LRUCache } from "lru-cache";
import type { DatabaseAdapter } from "../core/adapter.js";
import { ConfigurationError } from "../core/errors.js";

export interface CachingOptions {
	/** Results kept, least recently used evicted first. Default 1000. */
	maxEntries?: number;
	/** How long a result may be served, in ms (bounds staleness from other processes). Default 30 000; 0 = no expiry. */
	ttlMs?: number;
}

export interface CachingControls {
	/** Drops every cached result. */
	clearCache(): void;
	/** Results currently cached. */
	readonly cacheSize: number;
}

/** Calls whose results are cached. */
const CACHED = new Set<string>([
	"getAccountById",
	"getRoom",
	"getRoomsForParticipant",
	"getRoomsForParticipants",
	"getParticipantsForAccount",
	"getParticipantsForRoom",
	"getParticipantUserState",
	"getActorDetails",
	"getCachedEmbeddings",
]);

/** Calls that change nothing and are passed through uncached. Anything else counts as a write. */
const READS = new Set<string>([
	"init",
	"testConnection",
	"getMemories",
	"getMemoryById",
	"getMemoriesByIds",
	"getMemoriesByRoomIds",
	"countMemories",
	"searchMemoriesByEmbedding",
	"searchMemories",
	"getMemoriesMissingEmbeddings",
	"getGoals",
	"getRelationship",
	"getRelationships",
	// Not cached: an entry may expire (setCache's ttlMs) while a cached copy would still be served.
	"getCache",
	"listRooms",
	"getRoomName",
	"getKnowledge",
	"searchKnowledge",
	"stats",
	"exportRecords",
	"subscribe",
	"diagnostics",
]);

export function createCachingDatabaseAdapter<T extends DatabaseAdapter>(
	adapter: T,
	options: CachingOptions = {},
): T & CachingControls {
	const maxEntries = options.maxEntries ?? 1000;
	const ttlMs = options.ttlMs ?? 30_000;
	if (!Number.isSafeInteger(maxEntries) || maxEntries < 1)
		throw new ConfigurationError(
			`maxEntries must be a positive integer, got ${String(maxEntries)}`,
		);
	if (!Number.isSafeInteger(ttlMs) || ttlMs < 0)
		throw new ConfigurationError(`ttlMs must be a non-negative integer, got ${String(ttlMs)}`);
	const cache = new LRUCache<string, { value: unknown }>({
		max: maxEntries,
		...(ttlMs > 0 ? { ttl: ttlMs } : {}),
	});
	let generation = 0;
	const invalidate = (): void => {
		generation++;
		cache.clear();
	};

	/** Runs a write: the cache is cleared before it starts and after it settles. */
	const write = (run: () => unknown): unknown => {
		invalidate();
		let result: unknown;
		try {
			result = run();
		} catch (err) {
			invalidate();
			throw err;
		}
		if (!(result instanceof Promise)) {
			invalidate();
			return result;
		}
		return result.finally(invalidate);
	};

	/** A transaction's adapter: reads bypass the cache, writes invalidate it. */
	const bindTx = (tx: DatabaseAdapter): DatabaseAdapter =>
		new Proxy(tx, {
			get(obj, prop, receiver) {
				const value = Reflect.get(obj, prop, receiver);
				if (typeof value !== "function" || typeof prop !== "string") return value;
				if (prop === "transaction") return wrapTransaction(obj);
				if (READS.has(prop) || CACHED.has(prop)) return value.bind(obj);
				return (...args: unknown[]) => write(() => value.apply(obj, args));
			},
		});

	const wrapTransaction =
		(owner: DatabaseAdapter) =>
		<R>(fn: (tx: DatabaseAdapter) => Promise<R>): Promise<R> =>
			write(() =>
				owner.transaction((tx) =>
					typeof fn === "function" ? fn(bindTx(tx)) : (fn as unknown as Promise<R>),
				),
			) as Promise<R>;

	const cachedRead =
		(obj: DatabaseAdapter, prop: string, fn: (...args: unknown[]) => Promise<unknown>) =>
		async (...args: unknown[]): Promise<unknown> => {
			const key = `${prop}\u0000${JSON.stringify(args)}`;
			const hit = cache.get(key);
			if (hit) return structuredClone(hit.value);
			const seen = generation;
			const value = await fn.apply(obj, args);
			if (seen === generation) cache.set(key, { value: structuredClone(value) });
			return value;
		};

	return new Proxy(adapter, {
		get(obj, prop, receiver) {
			if (prop === "clearCache") return invalidate;
			if (prop === "cacheSize") return cache.size;
			const value = Reflect.get(obj, prop, receiver);
			if (typeof value !== "function" || typeof prop !== "string" || prop === "constructor")
				return value;
			if (prop === "transaction") return wrapTransaction(obj);
			if (CACHED.has(prop))
				return cachedRead(obj, prop, value as (...args: unknown[]) => Promise<unknown>);
			if (READS.has(prop)) return value.bind(obj);
			return (...args: unknown[]) => write(() => value.apply(obj, args));
		},
	}) as T & CachingControls;
}
