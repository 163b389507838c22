/**
 * Real-time `subscribe` for the PostgreSQL family. Migration 002_notify announces each committed
 * memory on one channel with a small payload (id, type, room_id); this hub filters it against the
 * subscriptions and reads the memory by id through each subscriber's view, so an `asUser` view's
 * row-level security applies to what it receives. Notifications arrive in commit order and are
 * handled one at a time, so listeners see memories in commit order. Driver-independent: the pg
 * backend plugs in `PgChannelListener` (postgres-listener.ts); PGlite can plug in `pg.listen`.
 */
import { ClosedError } from "../../core/errors.js";
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

/** How long subscribe waits for its start marker before starting anyway (connection trouble). */
const MARKER_TIMEOUT_MS = 5000;

interface Announcement {
	id: UUID;
	type: string;
	room_id: UUID;
}

export class NotifiedMemoryEvents implements MemoryEventSource {
	readonly #channel: ChannelListener;
	readonly #subscriptions = new Set<Subscription>();
	#queue: Promise<void> = Promise.resolve();
	#listening?: Promise<void>;
	/** Subscriptions waiting for their start marker, by marker id. */
	readonly #starting = new Map<string, () => void>();
	#closed = false;

	constructor(channel: ChannelListener) {
		this.#channel = channel;
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
		for (const sub of [...this.#subscriptions]) {
			const { tableName, roomId } = sub.filter;
			if (tableName !== undefined && tableName !== note.type) continue;
			if (roomId !== undefined && roomId !== note.room_id) continue;
			let memory: Memory | null;
			try {
				memory = await sub.read(note.id);
			} catch {
				continue; // unreadable now (closed, connection lost): this event is lost for it
			}
			// Removed meanwhile, invisible to this subscriber's role, or unsubscribed during the read.
			if (!memory || !this.#subscriptions.has(sub)) continue;
			try {
				sub.listener({ tableName: note.type, memory });
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

function parseAnnouncement(payload: string): Announcement | null {
	try {
		const value = JSON.parse(payload) as Partial<Announcement>;
		if (typeof value.id === "string" && typeof value.type === "string") {
			return { id: value.id, type: value.type, room_id: String(value.room_id) as UUID };
		}
	} catch {
		// Not ours: someone else notifying the same channel.
	}
	return null;
}
