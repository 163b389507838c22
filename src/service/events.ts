/**
 * `GET /v1/events?tableName=&roomId=`: memory events as Server-Sent Events.
 *
 * The server holds one service-role subscription (EventLog) that numbers every committed memory
 * event (`id: <boot>-<seq>`) and keeps the last `resumeBuffer` of them, so a client reconnecting
 * with `Last-Event-ID` from the same server process gets what it missed (a `gap` event says when
 * the buffer no longer reaches back that far, or the id is from another process). Service-role
 * streams fan out from that log. A user's stream subscribes through the user's `asUser` view, so
 * only events of rows row-level security lets them read arrive; on resume, buffered events are
 * replayed only when the view can still read the memory.
 *
 * Each `event: memory` carries `data` = a MemoryEvent, the embedding in base64 Float32 (wire.ts).
 * A comment line (`: ping`) every `heartbeatMs` keeps proxies from closing an idle stream.
 */
import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { DatabaseAdapter } from "../core/adapter.js";
import type { MemoryEvent, SubscribeFilter, Unsubscribe } from "../core/types.js";
import { MEMORY_OUT } from "./schemas.js";
import { toWire } from "./wire.js";

interface Logged {
	seq: number;
	event: MemoryEvent;
}

type Sink = (entry: Logged) => void;

export class EventLog {
	readonly boot = randomBytes(4).toString("hex");
	#seq = 0;
	readonly #ring: Logged[] = [];
	readonly #sinks = new Set<Sink>();
	readonly #bySeqOfMemory = new Map<string, number>();
	#unsubscribe: Promise<Unsubscribe> | undefined;

	constructor(
		private readonly adapter: DatabaseAdapter,
		private readonly capacity: number,
	) {}

	/** Starts the one service-role subscription (first stream opens it). */
	start(): Promise<Unsubscribe> {
		this.#unsubscribe ??= this.adapter.subscribe({}, (event) => this.#push(event));
		return this.#unsubscribe;
	}

	#push(event: MemoryEvent): void {
		const entry = { seq: ++this.#seq, event };
		if (this.capacity > 0) {
			this.#ring.push(entry);
			if (this.#ring.length > this.capacity) {
				const old = this.#ring.shift();
				if (old?.event.memory.id && this.#bySeqOfMemory.get(old.event.memory.id) === old.seq)
					this.#bySeqOfMemory.delete(old.event.memory.id);
			}
			if (event.memory.id) this.#bySeqOfMemory.set(event.memory.id, entry.seq);
		}
		for (const sink of this.#sinks) sink(entry);
	}

	idOf(seq: number): string {
		return `${this.boot}-${seq}`;
	}

	/** The log's id of the latest event of this memory, when still buffered. */
	seqOfMemory(memoryId: string | undefined): number | undefined {
		return memoryId ? this.#bySeqOfMemory.get(memoryId) : undefined;
	}

	listen(sink: Sink): () => void {
		this.#sinks.add(sink);
		return () => this.#sinks.delete(sink);
	}

	/** Buffered events after `lastEventId`, and whether some may have been missed. */
	since(lastEventId: string): { events: Logged[]; gap: boolean } {
		const m = /^([0-9a-f]+)-(\d+)$/.exec(lastEventId);
		if (!m || m[1] !== this.boot) return { events: [], gap: true };
		const after = Number(m[2]);
		const events = this.#ring.filter((e) => e.seq > after);
		const oldest = this.#ring[0]?.seq ?? this.#seq + 1;
		return { events, gap: after < oldest - 1 };
	}

	async stop(): Promise<void> {
		const u = this.#unsubscribe;
		this.#unsubscribe = undefined;
		this.#sinks.clear();
		if (u) await (await u)();
	}
}

const matches = (filter: SubscribeFilter, e: MemoryEvent) =>
	(filter.tableName === undefined || filter.tableName === e.tableName) &&
	(filter.roomId === undefined || filter.roomId === e.memory.roomId);

/** One open SSE response. `close()` ends it from the server's side (shutdown). */
export interface SseStream {
	close(): void;
}

export interface StreamOptions {
	log: EventLog;
	/** The service adapter, or the user's view. */
	target: DatabaseAdapter;
	asUser: boolean;
	filter: SubscribeFilter;
	lastEventId: string | undefined;
	heartbeatMs: number;
	onEnd: () => void;
}

/** Writes the stream's head and events until the client goes or `close()` is called. */
export async function openStream(res: ServerResponse, o: StreamOptions): Promise<SseStream> {
	let ended = false;
	let stopSource: (() => Promise<void> | void) | undefined;
	const write = (text: string) => {
		if (!ended) res.write(text);
	};
	const send = (event: MemoryEvent, seq: number | undefined) => {
		const data = JSON.stringify({ ...event, memory: toWire(MEMORY_OUT, event.memory) });
		write(`${seq !== undefined ? `id: ${o.log.idOf(seq)}\n` : ""}event: memory\ndata: ${data}\n\n`);
	};
	await o.log.start();
	// Subscribe first, then replay, so nothing falls between the two (duplicates are skipped by seq).
	let replayedUpTo = 0;
	if (o.asUser) {
		const unsubscribe = await o.target.subscribe(o.filter, (event) => {
			const seq = o.log.seqOfMemory(event.memory.id);
			if (seq === undefined || seq > replayedUpTo) send(event, seq);
		});
		stopSource = unsubscribe;
	} else {
		stopSource = o.log.listen(({ seq, event }) => {
			if (seq > replayedUpTo && matches(o.filter, event)) send(event, seq);
		});
	}
	res.writeHead(200, {
		"content-type": "text/event-stream; charset=utf-8",
		"cache-control": "no-cache, no-transform",
		connection: "keep-alive",
		"x-accel-buffering": "no",
	});
	write(": agentmem events\n\n");
	if (o.lastEventId !== undefined) {
		const { events, gap } = o.log.since(o.lastEventId);
		if (gap)
			write(
				`event: gap\ndata: {"reason":"events before the buffer or from another server process may be missing"}\n\n`,
			);
		for (const { seq, event } of events) {
			if (!matches(o.filter, event)) continue;
			if (o.asUser && event.memory.id && !(await visible(o.target, event.memory.id))) continue;
			send(event, seq);
			replayedUpTo = seq;
		}
	}
	const heartbeat = setInterval(() => write(": ping\n\n"), o.heartbeatMs);
	heartbeat.unref();
	const end = () => {
		if (ended) return;
		ended = true;
		clearInterval(heartbeat);
		void Promise.resolve(stopSource?.()).catch(() => {});
		o.onEnd();
	};
	res.on("close", end);
	return {
		close() {
			end();
			res.end();
		},
	};
}

async function visible(view: DatabaseAdapter, id: string): Promise<boolean> {
	try {
		return (
			(await view.getMemoryById(id as `${string}-${string}-${string}-${string}-${string}`)) !== null
		);
	} catch {
		return false;
	}
}
