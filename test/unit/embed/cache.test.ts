import { describe, expect, it } from "vitest";
import { ConfigurationError, EmbeddingProviderError } from "../../../src/core/errors.js";
import { withEmbeddingCache } from "../../../src/embed/cache.js";
import { createHashingEmbedder } from "../../../src/embed/hashing.js";
import type { EmbeddingProvider } from "../../../src/embed/provider.js";

/** The real hashing embedder, recording every batch it is asked for; can be told to fail once. */
class CountingProvider implements EmbeddingProvider {
	readonly inner = createHashingEmbedder({ dimension: 32 });
	readonly model = this.inner.model;
	readonly dimension = this.inner.dimension;
	readonly batches: string[][] = [];
	failNext = false;

	async embed(texts: string[]): Promise<Float32Array[]> {
		this.batches.push([...texts]);
		if (this.failNext) {
			this.failNext = false;
			throw new EmbeddingProviderError("provider down", { status: 503 });
		}
		return this.inner.embed(texts);
	}

	async embedOne(text: string): Promise<Float32Array> {
		return (await this.embed([text]))[0] as Float32Array;
	}
}

describe("query-embedding cache", () => {
	it("forwards model and dimension", () => {
		const provider = new CountingProvider();
		const cached = withEmbeddingCache(provider);
		expect(cached.model).toBe("agentmem-hashing-v1-32");
		expect(cached.dimension).toBe(32);
	});

	it("embeds a text once across calls and returns the provider's vectors", async () => {
		const provider = new CountingProvider();
		const cached = withEmbeddingCache(provider);
		const first = await cached.embedOne("hello world");
		const second = await cached.embedOne("hello world");
		expect(first).toEqual(await provider.inner.embedOne("hello world"));
		expect(second).toEqual(first);
		expect(provider.batches).toEqual([["hello world"]]);
	});

	it("dedupes within a batch and sends only the misses, keeping the caller's order", async () => {
		const provider = new CountingProvider();
		const cached = withEmbeddingCache(provider);
		await cached.embed(["b"]);
		const vectors = await cached.embed(["a", "b", "a", "c", "b"]);
		expect(provider.batches).toEqual([["b"], ["a", "c"]]);
		expect(vectors).toEqual(await provider.inner.embed(["a", "b", "a", "c", "b"]));
		expect(cached.cacheSize).toBe(3);
	});

	it("shares an in-flight request between concurrent callers", async () => {
		const provider = new CountingProvider();
		const cached = withEmbeddingCache(provider);
		const [x, y, z] = await Promise.all([
			cached.embedOne("q"),
			cached.embedOne("q"),
			cached.embed(["q", "r"]),
		]);
		expect(provider.batches).toEqual([["q"], ["r"]]);
		expect(x).toEqual(y);
		expect(z?.[0]).toEqual(x);
	});

	it("hands out copies, so mutating a result never corrupts the cache", async () => {
		const provider = new CountingProvider();
		const cached = withEmbeddingCache(provider);
		const first = await cached.embedOne("stable");
		first.fill(0);
		expect(await cached.embedOne("stable")).toEqual(await provider.inner.embedOne("stable"));
	});

	it("evicts the least recently used text beyond maxEntries", async () => {
		const provider = new CountingProvider();
		const cached = withEmbeddingCache(provider, { maxEntries: 2 });
		await cached.embed(["a", "b"]);
		await cached.embedOne("a");
		await cached.embedOne("c");
		expect(cached.cacheSize).toBe(2);
		await cached.embedOne("a");
		await cached.embedOne("b");
		expect(provider.batches).toEqual([["a", "b"], ["c"], ["b"]]);
	});

	it("does not cache failures: the next call asks again", async () => {
		const provider = new CountingProvider();
		const cached = withEmbeddingCache(provider);
		provider.failNext = true;
		await expect(cached.embedOne("x")).rejects.toThrow(EmbeddingProviderError);
		expect(await cached.embedOne("x")).toEqual(await provider.inner.embedOne("x"));
		expect(provider.batches).toEqual([["x"], ["x"]]);
	});

	it("clear() empties the cache", async () => {
		const provider = new CountingProvider();
		const cached = withEmbeddingCache(provider);
		await cached.embedOne("x");
		cached.clear();
		expect(cached.cacheSize).toBe(0);
		await cached.embedOne("x");
		expect(provider.batches).toHaveLength(2);
	});

	it("refuses a bad maxEntries", () => {
		expect(() => withEmbeddingCache(new CountingProvider(), { maxEntries: 0 })).toThrow(
			ConfigurationError,
		);
	});
});
