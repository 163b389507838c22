/**
 * A query-embedding cache in front of any provider: the same text is embedded once, whether it
 * repeats across calls, within one batch, or in calls that are still in flight. Vectors are copied
 * out, so a caller that mutates its result never changes what others get.
 */
import { LRUCache } from "lru-cache";
import { ConfigurationError } from "../core/errors.js";
import { assertTexts, type EmbeddingProvider, embedOneWith } from "./provider.js";

export interface EmbeddingCacheOptions {
	/** Texts kept, least recently used evicted first. Default 1000. */
	maxEntries?: number;
}

export interface CachedEmbeddingProvider extends EmbeddingProvider {
	/** Texts currently cached. */
	readonly cacheSize: number;
	clear(): void;
}

export function withEmbeddingCache(
	provider: EmbeddingProvider,
	options: EmbeddingCacheOptions = {},
): CachedEmbeddingProvider {
	const maxEntries = options.maxEntries ?? 1000;
	if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
		throw new ConfigurationError(
			`maxEntries must be a positive integer, got ${String(maxEntries)}`,
		);
	}
	const cache = new LRUCache<string, Float32Array>({ max: maxEntries });
	const inFlight = new Map<string, Promise<Float32Array>>();

	/** Starts one provider call for `texts` (distinct, neither cached nor in flight). */
	function fetchMissing(texts: string[]): void {
		const batch = provider.embed(texts);
		texts.forEach((text, i) => {
			const one = batch.then((vectors) => {
				const vector = vectors[i] as Float32Array;
				cache.set(text, vector);
				return vector;
			});
			// Forget the attempt once settled, so a failure is retried by the next call.
			const forget = (): void => {
				inFlight.delete(text);
			};
			one.then(forget, forget);
			inFlight.set(text, one);
		});
	}

	async function embed(texts: string[]): Promise<Float32Array[]> {
		assertTexts(texts);
		const missing = [...new Set(texts)].filter((t) => !cache.has(t) && !inFlight.has(t));
		if (missing.length > 0) fetchMissing(missing);
		const vectors = await Promise.all(
			texts.map((text) => cache.get(text) ?? (inFlight.get(text) as Promise<Float32Array>)),
		);
		return vectors.map((v) => v.slice());
	}

	return {
		get model() {
			return provider.model;
		},
		get dimension() {
			return provider.dimension;
		},
		get cacheSize() {
			return cache.size;
		},
		embed,
		embedOne: (text: string) => embedOneWith(embed, text),
		clear(): void {
			cache.clear();
		},
	};
}
