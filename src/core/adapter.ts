import type { BeyondElizaCalls } from "./contract/beyond.js";
import type { KnowledgeCalls } from "./contract/knowledge.js";
import type { LifecycleCalls } from "./contract/lifecycle.js";
import type { MemoryCalls } from "./contract/memories.js";
import type { SocialCalls } from "./contract/social.js";
import type { AdapterCapabilities } from "./types.js";

/**
 * The one interface every backend implements: a superset of ElizaOS 0.1's `IDatabaseAdapter` and
 * `IDatabaseCacheAdapter`, composed of one interface per topic (src/core/contract/). Each method is
 * documented once, where it is declared; backends do not repeat it.
 *
 * Rules that hold for every method:
 * - Bad input throws a `ValidationError` (or `EmbeddingDimensionError`) and writes nothing.
 * - A write naming a room, user or agent that does not exist throws `NotFoundError`.
 * - A read scoped to something that does not exist returns `[]` or `null`, never an error.
 * - Failures throw typed `AgentmemError`s; no method returns an empty result to hide one. Storage
 *   that cannot be written throws `ReadOnlyDatabaseError` (`READ_ONLY`), a full disk
 *   `StorageFullError` (`STORAGE_FULL`); either way the write is rolled back whole.
 * - Error messages, stacks and causes never carry credentials: a URL's password shows as `***`.
 * - `similarity` is always cosine similarity in [-1, 1], higher is closer; `match_threshold` is a
 *   cosine similarity too, inclusive.
 * - Timestamps are milliseconds since the epoch.
 * - Ids are UUIDs (knowledge also takes ElizaOS's `<uuid>-chunk-<n>`), normalised to lower case on
 *   every backend: an id given in upper case is stored, found and returned in lower case, so case
 *   never creates a duplicate. A missing id (`undefined` or `null`) on a lookup by id
 *   (`getMemoryById`, `getAccountById`, `getRoom`, `getKnowledge`'s `id`) is "not found": `null`
 *   (or every item, for `getKnowledge`), as in ElizaOS's adapters. A malformed id still throws.
 * - Counts and limits (`count`, `limit`, `match_count`, `query_match_count`, …) are integers from 0
 *   to 2^31 - 1 (what PostgreSQL binds); anything else is a `ValidationError` on every backend.
 * - Strings that are stored (names, usernames, emails, goal names, log types, cache keys and values,
 *   and every string inside JSON) must be Unicode text: a lone surrogate or U+0000 is a
 *   `ValidationError` on every backend (PostgreSQL cannot store them).
 *
 * The JSON rule, for every JSON-valued field (memory `content`, account `details`, goal
 * `objectives`, log `body`, knowledge `content`; cache values are plain strings), on every backend:
 * - A value is stored exactly as `JSON.stringify` writes it, and reads back as `JSON.parse` of that
 *   text. What is not data is dropped as `JSON.stringify` drops it: functions, symbols and
 *   `undefined` as object members are left out; as array elements, and array holes, they become
 *   `null` (`[1, , 3]` is stored as `[1,null,3]`); `toJSON()` is honoured (a `Date` is stored as its
 *   ISO string); a class instance keeps its own enumerable properties. So ElizaOS's runtime can store
 *   a whole character, plugins with their functions included, as an agent's `details`.
 * - The members of an object may read back in another order: PostgreSQL and PGlite store `jsonb`,
 *   which orders keys by length, then bytes (`{"zz":1,"a":2}` reads back as `{"a":2,"zz":1}`);
 *   SQLite and SQL.js keep the order written. Values, and the order of array elements, are kept.
 * - Data that JSON would silently change, or that a backend cannot store, is refused with a
 *   `ValidationError` naming its path (e.g. `content.a[2]`), and nothing is written: `NaN`,
 *   `±Infinity`, `BigInt`, cycles, `Map`/`Set`/typed arrays (JSON writes them as `{}`), lone
 *   surrogates and U+0000 in strings or keys, nesting deeper than 100 objects/arrays (SQLite's JSON
 *   functions stop at 1,000 and PostgreSQL's at its stack depth; 100 is far inside both), and more
 *   than 16 Mi characters of JSON text.
 * - Rows an older version wrote with array holes as nothing (`[1,,3]`, SQLite/SQL.js) read back as
 *   `[1,null,3]`.
 */
export interface DatabaseAdapter
	extends SocialCalls,
		MemoryCalls,
		KnowledgeCalls,
		BeyondElizaCalls,
		LifecycleCalls {
	/** What this backend supports. Valid after `init()`. */
	readonly capabilities: AdapterCapabilities;

	// ---- lifecycle ----

	/**
	 * Opens the database and applies pending migrations (a backend opened read-only, e.g. SQLite's
	 * `readonly: true`, applies none and refuses a database that needs one). Idempotent.
	 */
	init(): Promise<void>;
	/** Releases what the adapter opened; never closes a connection the caller passed in. Idempotent. */
	close(): Promise<void>;
	/** The health check: resolves `true`, or throws a typed error saying what is wrong. */
	testConnection(): Promise<boolean>;
}
