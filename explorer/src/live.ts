/**
 * The service's SSE stream of new memories (GET /v1/events), read with fetch so the key/token goes
 * in the Authorization header (EventSource cannot send one). Reconnects after a drop, with backoff.
 */
import { decodeVector } from "./api.js";
import { request } from "./http.js";
import type { Memory } from "./types.js";

export interface LiveEvent {
	tableName: string;
	memory: Memory;
}

/** Starts listening; returns a function that stops. `onState` reports "live", "reconnecting" or an error text. */
export function listen(
	filter: { roomId?: string; tableName?: string },
	onEvent: (e: LiveEvent) => void,
	onState: (state: string) => void,
): () => void {
	const abort = new AbortController();
	let delay = 500;
	const run = async () => {
		while (!abort.signal.aborted) {
			try {
				const q = new URLSearchParams();
				if (filter.roomId) q.set("roomId", filter.roomId);
				if (filter.tableName) q.set("tableName", filter.tableName);
				const res = await request(
					"GET",
					`/v1/events?${q}`,
					undefined,
					"text/event-stream",
					abort.signal,
				);
				onState("live");
				delay = 500;
				await readEvents(res, onEvent);
			} catch (e) {
				if (abort.signal.aborted) return;
				onState(e instanceof Error ? `reconnecting (${e.message})` : "reconnecting");
			}
			if (abort.signal.aborted) return;
			await new Promise((r) => setTimeout(r, delay));
			delay = Math.min(delay * 2, 15_000);
		}
	};
	void run();
	return () => abort.abort();
}

const SEPARATOR = /\r?\n\r?\n/;

async function readEvents(res: Response, onEvent: (e: LiveEvent) => void): Promise<void> {
	if (!res.body) return;
	const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
	let buffer = "";
	for (;;) {
		const { value, done } = await reader.read();
		if (done) return;
		buffer += value;
		for (let m = SEPARATOR.exec(buffer); m; m = SEPARATOR.exec(buffer)) {
			dispatch(buffer.slice(0, m.index), onEvent);
			buffer = buffer.slice(m.index + m[0].length);
		}
	}
}

function dispatch(block: string, onEvent: (e: LiveEvent) => void): void {
	let event = "message";
	const data: string[] = [];
	for (const line of block.split(/\r?\n/)) {
		if (line.startsWith(":")) continue;
		const colon = line.indexOf(":");
		const field = colon < 0 ? line : line.slice(0, colon);
		const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
		if (field === "event") event = value;
		else if (field === "data") data.push(value);
	}
	if (data.length === 0 || (event !== "message" && event !== "memory")) return;
	try {
		const parsed = JSON.parse(data.join("\n")) as Partial<LiveEvent>;
		const memory = parsed.memory;
		if (!memory || typeof parsed.tableName !== "string") return;
		// Vectors travel as base64 Float32 (src/service/wire.ts).
		const embedding = memory.embedding as unknown;
		if (typeof embedding === "string") memory.embedding = decodeVector(embedding);
		onEvent({ tableName: parsed.tableName, memory });
	} catch {
		// A malformed event is skipped; the stream goes on.
	}
}
