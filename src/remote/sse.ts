/**
 * A Server-Sent Events client over the HTTP client's `fetch` (so it shares its key, keep-alive
 * agent and error decoding; the browser's `EventSource` cannot send an `Authorization` header).
 * Parsing is `eventsource-parser`'s. Comments (the service's heartbeats) are ignored. When the
 * stream drops, it reconnects with the shared backoff and sends `Last-Event-ID` (the last `id:`
 * seen) so a service that can resume does; a refusal the service states (401, 403, 400, …) ends the
 * stream instead, reported to `onError`.
 */
import { createParser, type EventSourceMessage } from "eventsource-parser";
import { backoffDelay } from "../core/backoff.js";
import { AgentmemError, ConnectionError } from "../core/errors.js";
import type { HttpClient, QueryValue } from "./http.js";

export interface SseOptions {
	path: string;
	query?: Record<string, QueryValue>;
	/** Extra request headers (a transaction's). */
	headers?: Record<string, string>;
	onMessage(message: EventSourceMessage): void;
	/** A refusal that ends the stream, or a message whose handling threw. */
	onError?(err: unknown): void;
	/** First and largest wait between reconnects, in ms (defaults 100 and 5 000). */
	reconnectBaseMs?: number;
	reconnectMaxMs?: number;
}

export interface SseStream {
	/** The `id:` of the last event received. */
	readonly lastEventId: string | undefined;
	/** Stops the stream (and any reconnect). */
	close(): Promise<void>;
}

/**
 * Opens the stream; resolves once the service has accepted it (its response headers arrived),
 * which the service sends only after it has subscribed, so nothing committed after this resolves
 * is missed. A refusal on the first connection rejects with the typed error.
 */
export async function openSse(http: HttpClient, options: SseOptions): Promise<SseStream> {
	const controller = new AbortController();
	let lastEventId: string | undefined;
	let retryMs: number | undefined;
	let closed = false;
	let pump: Promise<void> = Promise.resolve();

	const connect = (): Promise<Response> =>
		http.send({
			method: "GET",
			path: options.path,
			query: options.query,
			headers: {
				...options.headers,
				accept: "text/event-stream",
				...(lastEventId === undefined ? {} : { "last-event-id": lastEventId }),
			},
			timeoutMs: 0,
			signal: controller.signal,
		});

	const read = async (res: Response): Promise<void> => {
		const parser = createParser({
			onEvent(message) {
				if (message.id !== undefined) lastEventId = message.id;
				try {
					options.onMessage(message);
				} catch (err) {
					options.onError?.(err);
				}
			},
			onRetry(ms) {
				retryMs = ms;
			},
		});
		const body = res.body;
		if (!body) return;
		const reader = body.pipeThrough(new TextDecoderStream()).getReader();
		try {
			for (;;) {
				const { done, value } = await reader.read();
				if (done) return;
				parser.feed(value);
			}
		} finally {
			reader.releaseLock();
		}
	};

	const loop = async (first: Response): Promise<void> => {
		let res: Response | undefined = first;
		for (let attempt = 0; !closed; ) {
			if (res) {
				try {
					await read(res);
					attempt = 0;
				} catch {
					// The stream broke: reconnect below.
				}
				res = undefined;
			}
			if (closed) return;
			const base = retryMs ?? options.reconnectBaseMs ?? 100;
			await sleep(
				backoffDelay(attempt++, base, Math.max(base, options.reconnectMaxMs ?? 5000)),
				controller.signal,
			);
			if (closed) return;
			try {
				res = await connect();
			} catch (err) {
				if (closed) return;
				// The service said no (not a dropped connection): retrying will not change its mind.
				if (err instanceof AgentmemError && !(err instanceof ConnectionError)) {
					options.onError?.(err);
					return;
				}
			}
		}
	};

	const first = await connect();
	pump = loop(first);
	return {
		get lastEventId() {
			return lastEventId;
		},
		async close() {
			if (closed) return;
			closed = true;
			controller.abort();
			await pump.catch(() => undefined);
		},
	};
}

/** Waits `ms`, or less when `signal` aborts (so `close()` never waits out a backoff). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		const timer = setTimeout(done, ms);
		function done() {
			clearTimeout(timer);
			signal.removeEventListener("abort", done);
			resolve();
		}
		signal.addEventListener("abort", done);
	});
}
