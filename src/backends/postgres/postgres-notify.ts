/**
 * Real-time `subscribe` for the PostgreSQL family. Migration 002_notify announces each committed
 * memory on one channel with a small payload (id, type, room_id); this hub filters it against the
 * subscriptions and reads the memory by id through each subscriber's view, so an `asUser` view's
 * row-level security applies to what it receives. Notifications arrive in commit order and are
 * handled one at a time, so listeners see memories in commit order. Driver-independent: the pg
 * backend plugs in `PgChannelListener` (postgres-listener.ts); PGlite can plug in `pg.listen`.
 *
 * Any role that can connect may NOTIFY the channel (PostgreSQL has no privilege for it), so a
 * payload is only a hint: it skips subscriptions cheaply, then the stored row's real type and room
 * decide (a payload that does not match its row is dropped), and the memory delivered is the one
 * the subscriber's own view reads. Likewise any role may LISTEN: the payloads reveal the id, type
 * and room id of each new memory (never its content) to whoever can connect to the database.
 */
import { ClosedError } from "../../core/errors.js";
import type { SqlSession } from "../../core/sql/driver.js";
import { newId } from "../../core/sql/prepare.js";
import type { MemoryEventSource } from "../../core/sql/sql-adapter.js";
import type { Memory, MemoryEvent, SubscribeFilter, Unsubscribe, UUID } from "../../core/types.js";

/** The channel migration 002_notify.sql notifies. */
export const MEMORY_CHANNEL = "agentmem_memories";
/** Sends a payload on a channel: (channel, payload). */
export const NOTIFY_SQL = "SELECT pg_notify($1, $2)";

/** A connection that LISTENs on one channel and hands over each payload. */
export interface ChannelListener {
	/** Resolves once LISTEN is active; rejects when the first connection fails. */
	start(onPayload: (payload: string) => void): Promise<void>;
	/** Sends `payload` on the channel from the listening connection itself. */
	notify(payload: string): Promise<void>;
	/** Stops listening and releases the connection. Idempotent. */
	stop(): Promise<void>;
}

interface Subscription {
	filter: SubscribeFilter;
	listener: (event: MemoryEvent) => void;
	read: (id: UUID) => Promise<Memory | null>;
}

/** Where a memory really is: its stored type and room (read by the adapter's own connection). */
export type MemoryLocator = (id: UUID) => Promise<{ type: string; roomId: UUID } | null>;

/** A memory's stored type and room; the one statement a `MemoryLocator` runs. */
export const LOCATE_MEMORY_SQL = "SELECT type, room_id FROM memories WHERE id = $1::uuid";

/** A `MemoryLocator` on a session of the adapter's own (owner) connection. */
export function memoryLocator(session: SqlSession): MemoryLocator {
	return async (id) => {
		const [row] = await session.all<{ type: string; room_id: string }>(LOCATE_MEMORY_SQL, [id]);
		return row ? { type: row.type, roomId: row.room_id as UUID } : null;
	};
}

/** How long subscribe waits for its start marker before starting anyway (connection trouble). */
const MARKER_TIMEOUT_MS = 5000;

interface Announcement {
	id: UUID;
	type: string;
	room_id: UUID;
}

export class NotifiedMemoryEvents implements MemoryEventSource {
	readonly #channel: ChannelListener;
	readonly #locate: MemoryLocator;
	readonly #subscriptions = new Set<Subscription>();
	#queue: Promise<void> = Promise.resolve();
	#listening?: Promise<void>;
	/** Subscriptions waiting for their start marker, by marker id. */
	readonly #starting = new Map<string, () => void>();
	#closed = false;

	constructor(channel: ChannelListener, locate: MemoryLocator) {
		this.#channel = channel;
		this.#locate = locate;
	}

	async subscribe(
		filter: SubscribeFilter,
		listener: (event: MemoryEvent) => void,
		read: (id: UUID) => Promise<Memory | null>,
	): Promise<Unsubscribe> {
		if (this.#closed) throw new ClosedError("this adapter is closed");
		const subscription = { filter, listener, read };
		// One LISTEN connection, opened at the first subscription and kept until close().
		this.#listening ??= this.#channel.start((payload) => this.#enqueue(payload));
		try {
			await this.#listening;
		} catch (err) {
			this.#listening = undefined;
			throw err;
		}
		await this.#startAfterMarker(subscription);
		return async () => {
			this.#subscriptions.delete(subscription);
		};
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
		const note = parseAnnouncement(payload);
		if (!note) return;
		// The payload's type and room only pick candidate subscriptions; the row decides below.
		const matches = (sub: Subscription, type: string, room: string) =>
			(sub.filter.tableName === undefined || sub.filter.tableName === type) &&
			(sub.filter.roomId === undefined || sub.filter.roomId === room);
		const candidates = [...this.#subscriptions].filter((sub) =>
			matches(sub, note.type, note.room_id),
		);
		if (candidates.length === 0) return;
		let stored: Awaited<ReturnType<MemoryLocator>>;
		try {
			stored = await this.#locate(note.id);
		} catch {
			return; // unreadable now (closed, connection lost): this event is lost
		}
		// Gone meanwhile, or a payload that misstates its row (forged, or stale after a move).
		if (!stored || stored.type !== note.type || stored.roomId !== note.room_id) return;
		for (const sub of candidates) {
			let memory: Memory | null;
			try {
				memory = await sub.read(note.id);
			} catch {
				continue; // unreadable now (closed, connection lost): this event is lost for it
			}
			// Removed meanwhile, invisible to this subscriber's role, or unsubscribed during the read.
			if (!memory || !this.#subscriptions.has(sub)) continue;
			// Moved between the two reads: its own notification follows.
			if (!matches(sub, stored.type, memory.roomId)) continue;
			try {
				sub.listener({ tableName: stored.type, memory });
			} catch {
				// A listener's failure must not stop delivery to the others.
			}
		}
	}
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

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function parseAnnouncement(payload: string): Announcement | null {
	try {
		const value = JSON.parse(payload) as Partial<Announcement>;
		// A forged id that is not a UUID is dropped here rather than failing the locating query.
		if (typeof value.id === "string" && UUID_RE.test(value.id) && typeof value.type === "string") {
			return { id: value.id, type: value.type, room_id: String(value.room_id) as UUID };
		}
	} catch {
		// Not ours: someone else notifying the same channel.
	}
	return null;
}
