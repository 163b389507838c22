/**
 * Real-time `subscribe` for the PostgreSQL family. Migrations 006 and 010 record each committed
 * memory in an outbox (`agentmem_memory_events`: a snapshot of the row as written, in the writing
 * transaction) and notify one channel with only "<memories table oid>:<event id>" (a row written by
 * an UPDATE) or "<oid>:<first>-<last>@<xid>" (the rows of an INSERT statement: transaction xid's
 * events with ids in that range). This hub reads the events through each subscriber's own view, so an `asUser` view's row-level security applies
 * (the outbox has memories' read policy), and filters on the event as stored. Notifications arrive
 * in commit order and are handled one at a time, so listeners see memories in commit order.
 * Driver-independent: the pg backend plugs in `PgChannelListener` (postgres-listener.ts); PGlite
 * plugs in `pg.listen`.
 *
 * The rule (src/core/adapter.ts `subscribe`): each committed memory once per transaction, with the
 * content it was committed with, whether or not it still exists when the listener runs.
 *
 * Any role that can connect may NOTIFY the channel (PostgreSQL has no privilege for it), so a
 * notification is only a hint: it can name nothing but an event that really exists, an event is
 * delivered at most once (ids already delivered are remembered while their rows exist), and never
 * one committed before the subscription started (its transaction is visible in the snapshot taken
 * at `subscribe`). Likewise any role may LISTEN: the payloads reveal only how many memories are
 * written, never ids, rooms or content.
 */
import { ClosedError } from "../../core/errors.js";
import type { MemoryEventSource } from "../../core/sql/context.js";
import type { Row, SqlSession } from "../../core/sql/driver.js";
import { newId } from "../../core/sql/prepare.js";
import { toMemory } from "../../core/sql/rows.js";
import type { MemoryEvent, SubscribeFilter, Unsubscribe } from "../../core/types.js";
import { postgresFamily } from "./postgres-family.js";

/** The channel migration 006 notifies. */
export const MEMORY_CHANNEL = "agentmem_memories";
/** Sends a payload on a channel: (channel, payload). */
export const NOTIFY_SQL = "SELECT pg_notify($1, $2)";

/** A connection that LISTENs on one channel and hands over each payload. */
export interface ChannelListener {
	/**
	 * Resolves once LISTEN is active; rejects when the first connection fails. `onResume` is called
	 * when LISTEN is active again after the connection was lost (notifications meanwhile are gone).
	 */
	start(onPayload: (payload: string) => void, onResume?: () => void): Promise<void>;
	/** Sends `payload` on the channel from the listening connection itself. */
	notify(payload: string): Promise<void>;
	/** Stops listening and releases the connection. Idempotent. */
	stop(): Promise<void>;
}

/** Runs a read on some connection: the adapter's own, or a subscriber's view. */
export type ReadRows = (sql: string, params: readonly unknown[]) => Promise<Row[]>;

interface Subscription {
	filter: SubscribeFilter;
	listener: (event: MemoryEvent) => void;
	read: ReadRows;
	/** Transactions committed before `subscribe` (pg_snapshot text); null when it was unreadable. */
	snapshot: string | null;
}

/** Reads on the adapter's own (owner) connection, for what no subscriber's view decides. */
export type MemoryLocator = ReadRows;

/** The owner's reads on a session of the adapter's own connection. */
export function memoryLocator(session: SqlSession): MemoryLocator {
	return (sql, params) => session.all(sql, params);
}

/** This schema's memories table, as the trigger names it in payloads. */
export const MEMORIES_OID_SQL = "SELECT 'memories'::regclass::oid::text AS oid";
/** Which transactions have committed now. */
export const SNAPSHOT_SQL = "SELECT pg_current_snapshot()::text AS snapshot";
/** Events read per statement (a bulk load's notification names all of its rows). */
const PAGE = 500;
/**
 * The next page of the events a payload names (ids after $1 up to $2, of transaction $3 when
 * given) as the memories they record, oldest first: those the subscription's filter ($5 type,
 * $6 room) matches, unless committed before its snapshot ($4). `e.id`: the output's `id` is the memory's.
 */
export const READ_EVENTS_SQL = `SELECT id::text AS event_id, memory_id AS id, type, room_id,
  agent_id, user_id, content, vector_send(embedding) AS embedding, is_unique, created_at
  FROM agentmem_memory_events e
  WHERE e.id > $1::bigint AND e.id <= $2::bigint AND ($3::text IS NULL OR xid = $3::text::xid8)
    AND ($4::text IS NULL OR NOT pg_visible_in_snapshot(xid, $4::text::pg_snapshot))
    AND ($5::text IS NULL OR type = $5::text) AND ($6::text IS NULL OR room_id::text = $6::text)
  ORDER BY e.id LIMIT ${PAGE}`;
/** Events not committed before a snapshot (all of them without one), oldest first. */
export const REPLAY_EVENTS_SQL = `SELECT id::text AS id FROM agentmem_memory_events
  WHERE $1::text IS NULL OR NOT pg_visible_in_snapshot(xid, $1::text::pg_snapshot) ORDER BY id`;
/** The oldest event still kept (older delivered ids need not be remembered). */
export const OLDEST_EVENT_SQL = "SELECT min(id)::text AS id FROM agentmem_memory_events";

/** How long subscribe waits for its start marker before starting anyway (connection trouble). */
const MARKER_TIMEOUT_MS = 5000;
/** Delivered ids remembered before asking which events still exist. */
const DELIVERED_CHECK = 1000;

export class NotifiedMemoryEvents implements MemoryEventSource {
	readonly #channel: ChannelListener;
	readonly #owner: MemoryLocator;
	readonly #subscriptions = new Set<Subscription>();
	#queue: Promise<void> = Promise.resolve();
	#listening?: Promise<void>;
	/** "<oid>:" of this schema's memories table: the prefix of our payloads. */
	#prefix?: string;
	/** Subscriptions waiting for their start marker, by marker id. */
	readonly #starting = new Map<string, () => void>();
	/** Events delivered (to every subscription they matched), until their rows are pruned. */
	readonly #delivered = new Set<bigint>();
	#deliveredSinceCheck = 0;
	#closed = false;

	constructor(channel: ChannelListener, owner: MemoryLocator) {
		this.#channel = channel;
		this.#owner = owner;
	}

	async subscribe(
		filter: SubscribeFilter,
		listener: (event: MemoryEvent) => void,
		read: ReadRows,
	): Promise<Unsubscribe> {
		if (this.#closed) throw new ClosedError("this adapter is closed");
		// One LISTEN connection, opened at the first subscription and kept until close().
		this.#listening ??= this.#listen();
		try {
			await this.#listening;
		} catch (err) {
			this.#listening = undefined;
			throw err;
		}
		const subscription: Subscription = { filter, listener, read, snapshot: await this.#snapshot() };
		await this.#startAfterMarker(subscription);
		return async () => {
			this.#subscriptions.delete(subscription);
		};
	}

	async #listen(): Promise<void> {
		const [row] = await this.#owner(MEMORIES_OID_SQL, []);
		this.#prefix = `${String(row?.oid)}:`;
		await this.#channel.start(
			(payload) => this.#enqueue(payload),
			() => {
				this.#queue = this.#queue.then(() => this.#replay());
			},
		);
	}

	/**
	 * After a lost LISTEN connection: every event committed since the earliest subscription started
	 * that was not delivered yet, in event id order (the outbox keeps what notifications lost).
	 */
	async #replay(): Promise<void> {
		if (this.#subscriptions.size === 0 || !this.#prefix) return;
		let rows: Row[];
		try {
			rows = await this.#owner(REPLAY_EVENTS_SQL, [earliest([...this.#subscriptions])]);
		} catch {
			return; // unreadable now: what was missed stays missed
		}
		for (const row of rows) await this.#deliver(`${this.#prefix}${String(row.id)}`);
	}

	/** What has committed before this subscription: never delivered to it, even when named again. */
	async #snapshot(): Promise<string | null> {
		try {
			const [row] = await this.#owner(SNAPSHOT_SQL, []);
			return typeof row?.snapshot === "string" ? row.snapshot : null;
		} catch {
			return null; // unreadable now: dedup of delivered ids still applies
		}
	}

	/**
	 * Notifications arrive in commit order, so a marker sent now and received back splits them: the
	 * subscription starts at its marker and gets exactly the memories committed after it, not
	 * those committed before `subscribe` that were still in flight.
	 */
	async #startAfterMarker(subscription: Subscription): Promise<void> {
		const marker = newId();
		const started = new Promise<void>((resolve) => {
			// Runs inside the delivery queue, so no later notification can slip past the start.
			this.#starting.set(marker, () => {
				if (!this.#closed) this.#subscriptions.add(subscription);
				resolve();
			});
		});
		const timer = setTimeout(() => this.#start(marker), MARKER_TIMEOUT_MS);
		try {
			await this.#channel.notify(JSON.stringify({ marker }));
		} catch {
			this.#start(marker); // the connection is down (it reconnects by itself): start now
		}
		await started;
		clearTimeout(timer);
	}

	#start(marker: string): void {
		const start = this.#starting.get(marker);
		this.#starting.delete(marker);
		start?.();
	}

	async close(): Promise<void> {
		this.#closed = true;
		this.#subscriptions.clear();
		for (const marker of [...this.#starting.keys()]) this.#start(marker);
		await this.#channel.stop();
		await this.#queue;
	}

	#enqueue(payload: string): void {
		this.#queue = this.#queue.then(() => this.#deliver(payload));
	}

	async #deliver(payload: string): Promise<void> {
		const marker = parseMarker(payload);
		if (marker) this.#start(marker);
		const named = this.#prefix ? parseEvents(payload, this.#prefix) : null;
		if (!named || this.#subscriptions.size === 0) return;
		// Ids delivered before this payload are skipped; those it delivers are remembered after
		// every subscription has read them.
		const seen = new Set<bigint>();
		for (const sub of [...this.#subscriptions]) await this.#read(sub, named, seen);
		for (const id of seen) await this.#remember(id);
	}

	/** Delivers to `sub` the named events its filter matches, a page at a time, in id order. */
	async #read(sub: Subscription, named: NamedEvents, seen: Set<bigint>): Promise<void> {
		let after = named.first - 1n;
		for (;;) {
			let rows: Row[];
			try {
				rows = await sub.read(READ_EVENTS_SQL, [
					after.toString(),
					named.last.toString(),
					named.xid,
					sub.snapshot,
					sub.filter.tableName ?? null,
					sub.filter.roomId ?? null,
				]);
			} catch {
				return; // unreadable now (closed, connection lost): these events are lost for it
			}
			for (const row of rows) {
				const id = BigInt(String(row.event_id));
				after = id;
				// Delivered already, or unsubscribed meanwhile.
				if (this.#delivered.has(id) || !this.#subscriptions.has(sub)) continue;
				seen.add(id);
				try {
					sub.listener({ tableName: String(row.type), memory: toMemory(row, postgresFamily) });
				} catch {
					// A listener's failure must not stop delivery to the others.
				}
			}
			if (rows.length < PAGE) return;
		}
	}

	/** Remembers a delivered event; forgets those whose rows are gone (they can no longer be named). */
	async #remember(eventId: bigint): Promise<void> {
		this.#delivered.add(eventId);
		if (++this.#deliveredSinceCheck < DELIVERED_CHECK) return;
		this.#deliveredSinceCheck = 0;
		try {
			const [row] = await this.#owner(OLDEST_EVENT_SQL, []);
			const oldest = typeof row?.id === "string" ? BigInt(row.id) : null;
			for (const id of this.#delivered)
				if (oldest === null || id < oldest) this.#delivered.delete(id);
		} catch {
			// Unreadable now: checked again after the next batch.
		}
	}
}

/** The earliest of the subscriptions' snapshots (smallest xmax); null when one is unknown. */
function earliest(subscriptions: Subscription[]): string | null {
	let found: { snapshot: string; xmax: bigint } | null = null;
	for (const { snapshot } of subscriptions) {
		const xmax = snapshot?.split(":")[1];
		if (!snapshot || !xmax || !/^[0-9]+$/.test(xmax)) return null;
		if (!found || BigInt(xmax) < found.xmax) found = { snapshot, xmax: BigInt(xmax) };
	}
	return found?.snapshot ?? null;
}

function parseMarker(payload: string): string | null {
	if (!payload.startsWith('{"marker"')) return null;
	try {
		const value = JSON.parse(payload) as { marker?: unknown };
		return typeof value.marker === "string" ? value.marker : null;
	} catch {
		return null;
	}
}

/** The events a payload names: ids in [first, last], of transaction `xid` when given. */
interface NamedEvents {
	first: bigint;
	last: bigint;
	xid: string | null;
}

const EVENT_ID_RE = /^[1-9][0-9]{0,17}$/;
const STATEMENT_RE = /^([1-9][0-9]{0,17})-([1-9][0-9]{0,17})@([0-9]{1,19})$/;

/**
 * The events one of our payloads names: "<oid>:<id>" or "<oid>:<first>-<last>@<xid>"; null for
 * anything else on the channel (a forged id that is not a bigint is dropped here rather than
 * failing the read).
 */
function parseEvents(payload: string, prefix: string): NamedEvents | null {
	if (!payload.startsWith(prefix)) return null;
	const rest = payload.slice(prefix.length);
	if (EVENT_ID_RE.test(rest)) return { first: BigInt(rest), last: BigInt(rest), xid: null };
	const m = STATEMENT_RE.exec(rest);
	if (!m?.[1] || !m[2] || !m[3]) return null;
	const first = BigInt(m[1]);
	const last = BigInt(m[2]);
	return first <= last ? { first, last, xid: m[3] } : null;
}
