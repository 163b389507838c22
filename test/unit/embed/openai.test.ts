import { afterEach, describe, expect, it } from "vitest";
import {
	ConfigurationError,
	EmbeddingProviderError,
	ValidationError,
} from "../../../src/core/errors.js";
import { createOpenAIEmbedder, type OpenAIEmbedderOptions } from "../../../src/embed/openai.js";
import {
	type EmbeddingServer,
	expectedVectors,
	type ReceivedRequest,
	type Reply,
	SERVER_DIMENSION,
	startEmbeddingServer,
} from "./embedding-server.js";

let server: EmbeddingServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

async function serve(reply?: (req: ReceivedRequest, n: number) => Reply) {
	server = await startEmbeddingServer(reply);
	return server;
}

/** Tiny retry delays so retries finish at once; no real env leaks in. */
function embedder(baseUrl: string, options: OpenAIEmbedderOptions = {}) {
	return createOpenAIEmbedder({
		baseUrl,
		model: "test-model",
		env: {},
		retryBaseDelayMs: 1,
		maxRetryDelayMs: 5,
		...options,
	});
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
	status,
	headers,
	body: JSON.stringify(body),
});

async function failure(promise: Promise<unknown>): Promise<EmbeddingProviderError> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(EmbeddingProviderError);
	return error as EmbeddingProviderError;
}

describe("OpenAI-compatible HTTP embedder against a real local server", () => {
	it("batches, keeps input order through shuffled indexes, and learns the dimension", async () => {
		const { baseUrl, requests } = await serve();
		const provider = embedder(baseUrl, { batchSize: 4 });
		expect(() => provider.dimension).toThrow(ConfigurationError);
		const texts = Array.from({ length: 10 }, (_, i) => `message number ${i} about topic ${i % 3}`);
		const vectors = await provider.embed(texts);
		expect(requests.map((r) => r.body.input?.length)).toEqual([4, 4, 2]);
		expect(requests.flatMap((r) => r.body.input)).toEqual(texts);
		expect(requests.every((r) => r.method === "POST" && r.path === "/v1/embeddings")).toBe(true);
		expect(
			requests.every((r) => r.body.model === "test-model" && r.body.dimensions === undefined),
		).toBe(true);
		expect(vectors).toEqual(await expectedVectors(texts));
		expect(provider.dimension).toBe(SERVER_DIMENSION);
		expect(provider.model).toBe("test-model");
		expect(await provider.embed([])).toEqual([]);
		expect(requests).toHaveLength(3);
	});

	it("embedOne and detectDimension use the same protocol", async () => {
		const { baseUrl, requests } = await serve();
		const provider = embedder(`${baseUrl}/`);
		expect(await provider.detectDimension()).toBe(SERVER_DIMENSION);
		const [expected] = await expectedVectors(["hello there"]);
		expect(await provider.embedOne("hello there")).toEqual(expected);
		expect(requests.map((r) => r.path)).toEqual(["/v1/embeddings", "/v1/embeddings"]);
	});

	it("sends the API key as a bearer token, and none when there is no key", async () => {
		const { baseUrl, requests } = await serve();
		await embedder(baseUrl, { apiKey: "sk-test-123" }).embedOne("a");
		await embedder(baseUrl).embedOne("b");
		expect(requests[0]?.headers.authorization).toBe("Bearer sk-test-123");
		expect(requests[0]?.headers["content-type"]).toBe("application/json");
		expect(requests[1]?.headers.authorization).toBeUndefined();
	});

	it("reads URL, model, key and dimension from the environment, the key falling back to OPENAI_API_KEY", async () => {
		const { baseUrl, requests } = await serve();
		const env = {
			AGENTMEM_EMBEDDING_URL: baseUrl,
			AGENTMEM_EMBEDDING_MODEL: "env-model",
			OPENAI_API_KEY: "sk-openai",
			AGENTMEM_EMBEDDING_DIMENSION: String(SERVER_DIMENSION),
		};
		const provider = createOpenAIEmbedder({ env });
		expect(provider.dimension).toBe(SERVER_DIMENSION);
		await provider.embedOne("x");
		await createOpenAIEmbedder({
			env: { ...env, AGENTMEM_EMBEDDING_API_KEY: "sk-agentmem" },
		}).embedOne("y");
		expect(requests.map((r) => [r.body.model, r.headers.authorization])).toEqual([
			["env-model", "Bearer sk-openai"],
			["env-model", "Bearer sk-agentmem"],
		]);
	});

	it("sends `dimensions` only when asked to", async () => {
		const { baseUrl, requests } = await serve();
		await embedder(baseUrl, { dimension: SERVER_DIMENSION, requestDimensions: true }).embedOne("x");
		expect(requests[0]?.body.dimensions).toBe(SERVER_DIMENSION);
	});

	it("retries a 429 with Retry-After, then succeeds", async () => {
		const { baseUrl, requests } = await serve((_, n) =>
			n === 1
				? json(429, { error: { message: "Rate limit reached" } }, { "retry-after": "1" })
				: "embed",
		);
		const [expected] = await expectedVectors(["retry me"]);
		expect(await embedder(baseUrl).embedOne("retry me")).toEqual(expected);
		expect(requests).toHaveLength(2);
	});

	it("retries a 500, then succeeds", async () => {
		const { baseUrl, requests } = await serve((_, n) =>
			n === 1 ? { status: 500, body: "boom" } : "embed",
		);
		expect(await embedder(baseUrl).embed(["a", "b"])).toEqual(await expectedVectors(["a", "b"]));
		expect(requests).toHaveLength(2);
	});

	it("gives up on a persistent 503 after maxRetries, with the status and the server's message", async () => {
		const { baseUrl, requests } = await serve(() => json(503, { error: "model is loading" }));
		const error = await failure(embedder(baseUrl, { maxRetries: 2 }).embedOne("x"));
		expect(requests).toHaveLength(3);
		expect(error.status).toBe(503);
		expect(error.code).toBe("EMBEDDING_PROVIDER");
		expect(error.message).toMatch(/HTTP 503.*model is loading.*gave up after 3 attempts/);
	});

	it("fails a 400 at once with the server's message, never showing the API key", async () => {
		const key = "sk-secret-abcdef";
		const { baseUrl, requests } = await serve(() =>
			json(400, {
				error: {
					message: `Invalid input for key ${key}: '$.input' is invalid`,
					type: "invalid_request_error",
				},
			}),
		);
		const error = await failure(embedder(baseUrl, { apiKey: key, maxRetries: 3 }).embedOne("x"));
		expect(requests).toHaveLength(1);
		expect(error.status).toBe(400);
		expect(error.message).toContain("HTTP 400");
		expect(error.message).toContain("'$.input' is invalid");
		expect(error.message).toContain("test-model");
		expect(error.message).not.toContain(key);
	});

	it("times out a request that never completes, after retrying", async () => {
		const { baseUrl, requests } = await serve(() => "hang");
		// 500 ms, not less: on a loaded machine a shorter timeout can fire before the hanging server
		// has even seen the request, and the count below would be short.
		const error = await failure(embedder(baseUrl, { timeoutMs: 500, maxRetries: 1 }).embedOne("x"));
		expect(error.message).toMatch(/no complete response within 500 ms/);
		expect(error.status).toBeUndefined();
		expect(requests).toHaveLength(2);
	});

	it("reports connection refused after its retries", async () => {
		const closed = await startEmbeddingServer();
		await closed.close();
		const error = await failure(embedder(closed.baseUrl, { maxRetries: 2 }).embedOne("x"));
		expect(error.message).toMatch(/network error.*ECONNREFUSED.*gave up after 3 attempts/);
	});

	it.each<[string, () => unknown, RegExp]>([
		[
			"a wrong count",
			() => ({ data: [{ index: 0, embedding: [1] }] }),
			/sent 2 texts but received 1/,
		],
		["no data array", () => ({ object: "list" }), /no "data" array/],
		[
			"a duplicate index",
			() => ({
				data: [
					{ index: 0, embedding: [1] },
					{ index: 0, embedding: [1] },
				],
			}),
			/index 0 occurs twice/,
		],
		[
			"uneven dimensions",
			() => ({
				data: [
					{ index: 0, embedding: [1, 2] },
					{ index: 1, embedding: [1] },
				],
			}),
			/1 dimensions, expected 2/,
		],
		[
			"a null component",
			() => ({
				data: [
					{ index: 0, embedding: [1, null] },
					{ index: 1, embedding: [1, 2] },
				],
			}),
			/component 1 is null/,
		],
		[
			"a float32 overflow",
			() => ({
				data: [
					{ index: 0, embedding: [1, 1e40] },
					{ index: 1, embedding: [1, 2] },
				],
			}),
			/component 1 is 1e\+40/,
		],
	])("refuses a response with %s", async (_, body, pattern) => {
		const { baseUrl, requests } = await serve(() => json(200, body()));
		const error = await failure(embedder(baseUrl).embed(["a", "b"]));
		expect(error.message).toMatch(pattern);
		expect(requests).toHaveLength(1);
	});

	it("refuses malformed JSON without retrying", async () => {
		const { baseUrl, requests } = await serve(() => ({ body: '{"data": [' }));
		const error = await failure(embedder(baseUrl).embedOne("x"));
		expect(error.message).toMatch(/not JSON: \{"data": \[/);
		expect(requests).toHaveLength(1);
	});

	it("refuses vectors of another dimension than the configured one", async () => {
		const { baseUrl } = await serve();
		const error = await failure(embedder(baseUrl, { dimension: 16 }).embedOne("x"));
		expect(error.message).toMatch(
			new RegExp(`${SERVER_DIMENSION} dimensions, expected 16 \\(the configured dimension\\)`),
		);
	});

	it("refuses a later response whose dimension differs from the learnt one", async () => {
		const { baseUrl } = await serve((req, n) =>
			n === 1
				? "embed"
				: json(200, {
						data: (req.body.input ?? []).map((_, index) => ({ index, embedding: [1, 2, 3] })),
					}),
		);
		const provider = embedder(baseUrl);
		await provider.embedOne("first");
		const error = await failure(provider.embedOne("second"));
		expect(error.message).toMatch(new RegExp(`3 dimensions, expected ${SERVER_DIMENSION}`));
	});
});

describe("OpenAI-compatible HTTP embedder configuration", () => {
	it("requires a model", () => {
		expect(() => createOpenAIEmbedder({ env: {} })).toThrow(/AGENTMEM_EMBEDDING_MODEL/);
	});

	it.each<[string, OpenAIEmbedderOptions]>([
		["a malformed base URL", { baseUrl: "not a url" }],
		["a non-http base URL", { baseUrl: "ftp://example.com/v1" }],
		["credentials in the base URL", { baseUrl: "http://user:pw@localhost/v1" }],
		["a zero batch size", { batchSize: 0 }],
		["a negative retry count", { maxRetries: -1 }],
		["a fractional dimension", { dimension: 1.5 }],
		["requestDimensions without a dimension", { requestDimensions: true }],
	])("refuses %s", (_, options) => {
		expect(() => createOpenAIEmbedder({ model: "m", env: {}, ...options })).toThrow(
			ConfigurationError,
		);
	});

	it("refuses a bad AGENTMEM_EMBEDDING_DIMENSION", () => {
		expect(() =>
			createOpenAIEmbedder({ model: "m", env: { AGENTMEM_EMBEDDING_DIMENSION: "abc" } }),
		).toThrow(/AGENTMEM_EMBEDDING_DIMENSION/);
	});

	it("refuses non-string texts before any request", async () => {
		const provider = createOpenAIEmbedder({
			model: "m",
			baseUrl: "http://127.0.0.1:9/v1",
			env: {},
			maxRetries: 0,
		});
		await expect(provider.embed([1 as unknown as string])).rejects.toThrow(ValidationError);
	});
});
