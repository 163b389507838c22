/**
 * An embedding provider for any server speaking the OpenAI embeddings protocol
 * (`POST {baseUrl}/embeddings` with `{ model, input: string[] }` → `{ data: [{ index, embedding }] }`):
 * OpenAI, Ollama (`http://localhost:11434/v1`), LM Studio (`http://localhost:1234/v1`), vLLM, ….
 *
 * Texts are sent in batches of `batchSize`, one batch at a time, and come back in input order.
 * Each request has its own timeout; 429, 5xx, timeouts and network errors are retried with
 * exponential backoff and jitter, honouring `Retry-After` (capped at `maxRetryDelayMs`); other 4xx
 * fail at once. Every failure is an `EmbeddingProviderError` carrying the HTTP status and the
 * server's own message; the API key never appears in a message.
 *
 * Dimension: with `dimension` (or `AGENTMEM_EMBEDDING_DIMENSION`) every vector must have that
 * length. Without it, the first response fixes it; reading `dimension` before then throws a
 * `ConfigurationError` — call `detectDimension()` first when the dimension is needed up front.
 */
import { ConfigurationError, EmbeddingProviderError } from "../core/errors.js";
import { excerpt, parseEmbeddingResponse } from "./openai-response.js";
import { assertTexts, type EmbeddingProvider, embedOneWith } from "./provider.js";
import { backoffDelay, parseRetryAfter, sleep } from "./retry.js";

export interface OpenAIEmbedderOptions {
	/** Default: `AGENTMEM_EMBEDDING_URL`, else `https://api.openai.com/v1`. */
	baseUrl?: string;
	/** Required here or in `AGENTMEM_EMBEDDING_MODEL`. */
	model?: string;
	/** Sent as `Authorization: Bearer`. Default: `AGENTMEM_EMBEDDING_API_KEY`, else `OPENAI_API_KEY`. */
	apiKey?: string;
	/** Expected vector length. Default: `AGENTMEM_EMBEDDING_DIMENSION`, else learnt from the first response. */
	dimension?: number;
	/**
	 * Also send `dimensions: dimension` so the server shortens its vectors (OpenAI text-embedding-3,
	 * Matryoshka models). Off by default: servers and models without that feature answer 400.
	 */
	requestDimensions?: boolean;
	/** Texts per request. Default 64. */
	batchSize?: number;
	/** Per-request timeout in ms, including reading the body. Default 30 000. */
	timeoutMs?: number;
	/** Retries after the first attempt. Default 4. */
	maxRetries?: number;
	/** First backoff step in ms. Default 500. */
	retryBaseDelayMs?: number;
	/** Cap on any wait, backoff or `Retry-After`, in ms. Default 30 000. */
	maxRetryDelayMs?: number;
	/** A fetch implementation. Default: the global `fetch`. */
	fetch?: typeof globalThis.fetch;
	/** Where the `AGENTMEM_EMBEDDING_*` settings are read. Default: `process.env` (none in a browser). */
	env?: Record<string, string | undefined>;
}

export interface OpenAIEmbedder extends EmbeddingProvider {
	/** The `/embeddings` endpoint requests go to. */
	readonly endpoint: string;
	/** The dimension, asking the server (one short request) if it is not known yet. */
	detectDimension(): Promise<number>;
}

interface Attempt {
	ok: boolean;
	/** The response body, on success. */
	body?: string;
	retryable: boolean;
	status?: number;
	message: string;
	retryAfterMs?: number;
	cause?: unknown;
}

export function createOpenAIEmbedder(options: OpenAIEmbedderOptions = {}): OpenAIEmbedder {
	const env = options.env ?? globalThis.process?.env ?? {};
	const setting = (name: string): string | undefined =>
		env[name]?.trim() ? env[name]?.trim() : undefined;
	const model = options.model ?? setting("AGENTMEM_EMBEDDING_MODEL");
	if (!model) {
		throw new ConfigurationError(
			"No embedding model: pass `model` or set AGENTMEM_EMBEDDING_MODEL (e.g. text-embedding-3-small, nomic-embed-text).",
		);
	}
	const endpoint = embeddingsEndpoint(
		options.baseUrl ?? setting("AGENTMEM_EMBEDDING_URL") ?? "https://api.openai.com/v1",
	);
	const apiKey =
		options.apiKey ?? setting("AGENTMEM_EMBEDDING_API_KEY") ?? setting("OPENAI_API_KEY");
	const envDimension = setting("AGENTMEM_EMBEDDING_DIMENSION");
	const configured =
		options.dimension ?? (envDimension === undefined ? undefined : Number(envDimension));
	if (configured !== undefined)
		integerAtLeast(configured, "dimension (or AGENTMEM_EMBEDDING_DIMENSION)", 1);
	if (options.requestDimensions && configured === undefined) {
		throw new ConfigurationError("requestDimensions needs a `dimension` to request.");
	}
	const batchSize = integerAtLeast(options.batchSize ?? 64, "batchSize", 1);
	const timeoutMs = integerAtLeast(options.timeoutMs ?? 30_000, "timeoutMs", 1);
	const maxRetries = integerAtLeast(options.maxRetries ?? 4, "maxRetries", 0);
	const baseDelay = integerAtLeast(options.retryBaseDelayMs ?? 500, "retryBaseDelayMs", 0);
	const maxDelay = integerAtLeast(options.maxRetryDelayMs ?? 30_000, "maxRetryDelayMs", 0);
	const fetchImpl = options.fetch ?? globalThis.fetch;
	const context = `Embedding request to ${endpoint} (model ${model})`;
	let learnt = configured;

	const redact = (text: string): string => (apiKey ? text.split(apiKey).join("[redacted]") : text);
	const headers: Record<string, string> = {
		"content-type": "application/json",
		accept: "application/json",
	};
	if (apiKey) headers.authorization = `Bearer ${apiKey}`;

	async function attemptOnce(body: string): Promise<Attempt> {
		const controller = new AbortController();
		const timer = setTimeout(() => controller.abort(), timeoutMs);
		try {
			const res = await fetchImpl(endpoint, {
				method: "POST",
				headers,
				body,
				signal: controller.signal,
			});
			const text = await res.text();
			if (res.ok) return { ok: true, body: text, retryable: false, message: "" };
			return {
				ok: false,
				retryable: res.status === 429 || res.status >= 500,
				status: res.status,
				message: `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""}: ${serverMessage(text)}`,
				retryAfterMs: retryAfter(res.headers),
			};
		} catch (cause) {
			const message = controller.signal.aborted
				? `no complete response within ${timeoutMs} ms (timeoutMs)`
				: `network error: ${networkMessage(cause)}`;
			return { ok: false, retryable: true, message, cause };
		} finally {
			clearTimeout(timer);
		}
	}

	async function post(input: string[]): Promise<string> {
		const payload: Record<string, unknown> = { model, input };
		if (options.requestDimensions) payload.dimensions = configured;
		const body = JSON.stringify(payload);
		for (let attempt = 0; ; attempt++) {
			const outcome = await attemptOnce(body);
			if (outcome.ok) return outcome.body as string;
			if (!outcome.retryable || attempt >= maxRetries) {
				const tries = attempt === 0 ? "" : ` (gave up after ${attempt + 1} attempts)`;
				throw new EmbeddingProviderError(redact(`${context} failed: ${outcome.message}${tries}`), {
					cause: outcome.cause,
					status: outcome.status,
				});
			}
			const wait = outcome.retryAfterMs ?? backoffDelay(attempt, baseDelay, maxDelay);
			await sleep(Math.min(wait, maxDelay));
		}
	}

	async function embed(texts: string[]): Promise<Float32Array[]> {
		assertTexts(texts);
		const out: Float32Array[] = [];
		for (let start = 0; start < texts.length; start += batchSize) {
			const batch = texts.slice(start, start + batchSize);
			const vectors = parseEmbeddingResponse(
				await post(batch),
				batch.length,
				learnt,
				redact(context),
			);
			learnt ??= vectors[0]?.length;
			out.push(...vectors);
		}
		return out;
	}

	return {
		model,
		endpoint,
		get dimension(): number {
			if (learnt === undefined) {
				throw new ConfigurationError(
					`The dimension of embedding model ${model} is not known before its first response: pass \`dimension\` ` +
						"(or set AGENTMEM_EMBEDDING_DIMENSION), or await detectDimension() first.",
				);
			}
			return learnt;
		},
		embed,
		embedOne: (text: string) => embedOneWith(embed, text),
		async detectDimension(): Promise<number> {
			if (learnt === undefined) await embed(["dimension probe"]);
			return learnt as number;
		},
	};
}

/** `{baseUrl}/embeddings`, refusing what is not an http(s) URL. */
function embeddingsEndpoint(baseUrl: string): string {
	let url: URL;
	try {
		url = new URL(baseUrl);
	} catch {
		throw new ConfigurationError(
			`Embedding base URL ${JSON.stringify(baseUrl)} is not a URL; expected e.g. https://api.openai.com/v1 or http://localhost:11434/v1.`,
		);
	}
	if (url.protocol !== "http:" && url.protocol !== "https:") {
		throw new ConfigurationError(
			`Embedding base URL must be http:// or https://, got ${url.protocol}`,
		);
	}
	if (url.username || url.password) {
		throw new ConfigurationError(
			"Embedding base URL must not contain credentials; pass `apiKey` instead.",
		);
	}
	return `${url.origin}${url.pathname.replace(/\/+$/, "")}/embeddings${url.search}`;
}

function integerAtLeast(value: number, name: string, min: number): number {
	if (!Number.isSafeInteger(value) || value < min) {
		throw new ConfigurationError(`${name} must be an integer >= ${min}, got ${String(value)}`);
	}
	return value;
}

/** The server's error text: OpenAI/vLLM `{ error: { message } }`, Ollama `{ error }`, or the body. */
function serverMessage(text: string): string {
	try {
		const body = JSON.parse(text) as { error?: unknown; message?: unknown };
		const error = body.error as { message?: unknown } | string | undefined;
		const message = typeof error === "string" ? error : (error?.message ?? body.message);
		if (typeof message === "string" && message.trim()) return excerpt(message);
	} catch {
		// Not JSON: show the body itself.
	}
	return excerpt(text);
}

/** The wait the server asks for: OpenAI's `retry-after-ms`, else the standard `Retry-After`. */
function retryAfter(headers: Headers): number | undefined {
	const ms = Number(headers.get("retry-after-ms")?.trim() || Number.NaN);
	return Number.isFinite(ms) && ms >= 0 ? ms : parseRetryAfter(headers.get("retry-after"));
}

/** Node's fetch hides the reason (ECONNREFUSED, ENOTFOUND…) in `cause`. */
function networkMessage(error: unknown): string {
	const err = error as { message?: string; cause?: { code?: string; message?: string } };
	const detail = err.cause?.code ?? err.cause?.message;
	return detail ? `${err.message ?? "fetch failed"} (${detail})` : String(err.message ?? error);
}
