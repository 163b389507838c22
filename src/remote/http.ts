/**
 * The remote adapter's HTTP client: one base URL, the key sent as `Authorization: Bearer`, JSON in
 * and out, a timeout per request, keep-alive connections (node-transport.ts), retries of GETs only
 * (a GET changes nothing, so sending it again is safe; a POST that failed in flight may have been
 * applied) and only when the connection failed, with the shared backoff. A failed response becomes
 * the typed error the call throws in-process (decode-error.ts). No message carries the key or a
 * URL's password.
 */
import { backoffDelay } from "../core/backoff.js";
import {
	type AgentmemError,
	ClosedError,
	ConfigurationError,
	ConnectionError,
} from "../core/errors.js";
import { redactUrl } from "../core/redact.js";
import { decodeError, parseRetryAfter } from "./decode-error.js";
import { nodeTransport } from "./node-transport.js";
import { globalTransport, type Transport } from "./transport.js";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export type QueryValue = string | number | boolean | undefined | null;

export interface HttpClientOptions {
	/** `http://host:port` or `https://…`, optionally with a path prefix. */
	baseUrl: string;
	/** Sent as `Authorization: Bearer <key>` (a service key or a user's JWT). */
	apiKey?: string | undefined;
	/** Per-request timeout in ms (default 30 000; 0 for none). */
	timeoutMs?: number;
	/** Retries of a GET whose connection failed (default 2). */
	retries?: number;
	/** A `fetch` to use instead of the built-in keep-alive agent (tests, custom proxies). */
	fetch?: typeof fetch;
	/** Extra headers sent with every request. */
	headers?: Record<string, string>;
}

export interface HttpRequest {
	method: HttpMethod;
	/** Path below the base URL, already encoded, e.g. `/v1/memories/…`. */
	path: string;
	query?: Record<string, QueryValue>;
	/** A JSON body (serialised here), or raw text with its content type. */
	body?: unknown;
	raw?: { contentType: string; text: string };
	headers?: Record<string, string>;
	/** Overrides the client's timeout; 0 for none (a stream). */
	timeoutMs?: number;
	signal?: AbortSignal;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

export class HttpClient {
	readonly baseUrl: string;
	private readonly options: HttpClientOptions;
	private transport: Promise<Transport> | undefined;
	private closed = false;

	constructor(options: HttpClientOptions) {
		this.options = options;
		this.baseUrl = checkedBaseUrl(options.baseUrl);
	}

	/** The URL for messages and logs, any password masked. */
	get shownUrl(): string {
		return redactUrl(this.baseUrl);
	}

	/** Sends the request; resolves to a 2xx response, else throws the decoded typed error. */
	async send(req: HttpRequest): Promise<Response> {
		const retries = req.method === "GET" ? (this.options.retries ?? 2) : 0;
		for (let attempt = 0; ; attempt++) {
			try {
				return await this.sendOnce(req);
			} catch (err) {
				if (!(err instanceof ConnectionError) || !isRetryable(err) || attempt >= retries) throw err;
				await sleep(backoffDelay(attempt, 100, 2000));
			}
		}
	}

	/** Sends the request and parses the JSON answer (`undefined` for 204 or an empty body). */
	async json<T>(req: HttpRequest): Promise<T> {
		const res = await this.send(req);
		const text = await res.text();
		if (text === "") return undefined as T;
		try {
			return JSON.parse(text) as T;
		} catch (err) {
			// A proxy's page, or something else that is not an agentmem service, answered 2xx.
			throw new ConnectionError(
				`${req.method} ${this.shownUrl}${req.path.split("?")[0]}: the answer is not JSON; is this URL an agentmem service?`,
				{ cause: err },
			);
		}
	}

	async close(): Promise<void> {
		this.closed = true;
		const transport = this.transport;
		this.transport = undefined;
		if (transport) await (await transport).close();
	}

	private getTransport(): Promise<Transport> {
		if (this.options.fetch) {
			const f = this.options.fetch;
			return Promise.resolve({ fetch: f, close: async () => undefined });
		}
		// A browser bundle maps node-transport.js to an empty module (package.json `browser`).
		const node = typeof nodeTransport === "function" ? nodeTransport() : Promise.resolve(undefined);
		this.transport ??= node.then((t) => t ?? globalTransport());
		return this.transport;
	}

	private async sendOnce(req: HttpRequest): Promise<Response> {
		if (this.closed) throw new ClosedError("The remote adapter was closed.");
		const { fetch: doFetch } = await this.getTransport();
		const url = this.url(req);
		const headers: Record<string, string> = {
			accept: "application/json",
			...this.options.headers,
			...req.headers,
		};
		if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
		let body: string | undefined;
		if (req.raw) {
			headers["content-type"] = req.raw.contentType;
			body = req.raw.text;
		} else if (req.body !== undefined) {
			headers["content-type"] = "application/json";
			body = JSON.stringify(req.body);
		}
		const timeoutMs = req.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
		const signals = [req.signal, timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined];
		const signal = anySignal(signals.filter((s): s is AbortSignal => s !== undefined));
		let res: Response;
		try {
			res = await doFetch(url, { method: req.method, headers, body, signal });
		} catch (err) {
			throw this.transportError(req, err, timeoutMs);
		}
		if (res.ok) return res;
		const retryAfterMs = parseRetryAfter(res.headers.get("retry-after"));
		let parsed: unknown;
		try {
			parsed = JSON.parse(await res.text());
		} catch {
			parsed = undefined;
		}
		throw decodeError(parsed, { status: res.status, retryAfterMs });
	}

	private url(req: HttpRequest): string {
		const params = new URLSearchParams();
		for (const [key, value] of Object.entries(req.query ?? {}))
			if (value !== undefined && value !== null) params.append(key, String(value));
		const qs = params.toString();
		return `${this.baseUrl}${req.path}${qs ? `?${qs}` : ""}`;
	}

	private transportError(req: HttpRequest, err: unknown, timeoutMs: number): AgentmemError {
		const where = `${req.method} ${redactUrl(this.baseUrl)}${req.path}`;
		const name = (err as { name?: string } | null)?.name;
		if (name === "TimeoutError")
			return tagged(
				new ConnectionError(`${where}: no answer within ${timeoutMs} ms`, { cause: err }),
				"timeout",
			);
		if (name === "AbortError") return new ConnectionError(`${where}: aborted`, { cause: err });
		const code = causeCode(err);
		return tagged(
			new ConnectionError(
				`${where}: cannot reach the agentmem service${code ? ` (${code})` : ""}`,
				{ cause: err },
			),
			"connect",
		);
	}
}

/** The base URL without a trailing slash; credentials in it are refused (fetch cannot send them). */
function checkedBaseUrl(baseUrl: string): string {
	let url: URL;
	try {
		url = new URL(baseUrl);
	} catch (err) {
		throw new ConfigurationError(
			`${JSON.stringify(redactUrl(String(baseUrl)))} is not a URL of an agentmem service`,
			{ cause: err },
		);
	}
	if (url.protocol !== "http:" && url.protocol !== "https:")
		throw new ConfigurationError(
			`${JSON.stringify(redactUrl(baseUrl))}: an agentmem service URL is http:// or https://`,
		);
	if (url.username || url.password)
		throw new ConfigurationError(
			`${JSON.stringify(redactUrl(baseUrl))}: put no credentials in the service URL; pass the key as apiKey (or AGENTMEM_API_KEY)`,
		);
	return baseUrl.replace(/\/+$/, "");
}

const KIND = Symbol("agentmem.remote.failure");

function tagged(err: ConnectionError, kind: "timeout" | "connect"): ConnectionError {
	Object.defineProperty(err, KIND, { value: kind, enumerable: false });
	return err;
}

/** Only a connection that failed is retried: a timeout may mean the service is still working. */
function isRetryable(err: ConnectionError): boolean {
	return (err as unknown as Record<symbol, unknown>)[KIND] === "connect";
}

function causeCode(err: unknown): string | undefined {
	for (let e = err, depth = 0; e && typeof e === "object" && depth < 5; depth++) {
		const code = (e as { code?: unknown }).code;
		if (typeof code === "string") return code;
		e = (e as { cause?: unknown }).cause;
	}
	return undefined;
}

function anySignal(signals: AbortSignal[]): AbortSignal | undefined {
	if (signals.length <= 1) return signals[0];
	const any = (AbortSignal as { any?: (s: AbortSignal[]) => AbortSignal }).any;
	if (any) return any(signals);
	const controller = new AbortController();
	for (const s of signals) s.addEventListener("abort", () => controller.abort(s.reason));
	return controller.signal;
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
