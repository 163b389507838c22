/**
 * The offline default embedder: feature hashing ("the hashing trick") of word unigrams and bigrams.
 *
 * It captures WORD OVERLAP, NOT MEANING: "car" and "automobile" share nothing, while two sentences
 * using the same words in the same order score high. It needs no network and no model download, and
 * gives the same vector for the same text on every run and platform, which makes it a reliable
 * default for demos, tests and keyword-ish recall. Use an HTTP provider (openai.ts) for semantics.
 *
 * Text with no letters or digits (e.g. "", "…", "!!") has no features: it yields the all-zero
 * vector (as, in the rare case where their hashed features cancel exactly, would other text). The adapters store an all-zero vector as "missing, needs embedding" (never indexed, never
 * an error), and refuse it as a search query, which is the honest outcome for such text.
 */
import { ConfigurationError } from "../core/errors.js";
import { fnv1a32 } from "./hash32.js";
import { assertTexts, type EmbeddingProvider, embedOneWith } from "./provider.js";

export interface HashingEmbedderOptions {
	/** Vector length; more dimensions mean fewer hash collisions. Default 384. */
	dimension?: number;
}

export const DEFAULT_HASHING_DIMENSION = 384;

/** Letters, digits and combining marks (so scripts such as Devanagari keep whole words). */
const WORD_RE = /[\p{L}\p{N}\p{M}]+/gu;

/** NFKC-normalised, lower-cased words. */
export function tokenize(text: string): string[] {
	return text.normalize("NFKC").toLowerCase().match(WORD_RE) ?? [];
}

export function createHashingEmbedder(options: HashingEmbedderOptions = {}): EmbeddingProvider {
	const dimension = options.dimension ?? DEFAULT_HASHING_DIMENSION;
	if (!Number.isSafeInteger(dimension) || dimension < 1) {
		throw new ConfigurationError(`dimension must be a positive integer, got ${String(dimension)}`);
	}
	const embed = async (texts: string[]): Promise<Float32Array[]> => {
		assertTexts(texts);
		return texts.map((text) => hashingVector(tokenize(text), dimension));
	};
	return {
		model: `agentmem-hashing-v1-${dimension}`,
		dimension,
		embed,
		embedOne: (text: string) => embedOneWith(embed, text),
	};
}

function hashingVector(words: string[], dimension: number): Float32Array {
	const acc = new Float64Array(dimension);
	const add = (feature: string): void => {
		const h = fnv1a32(feature);
		// Low bits pick the slot, the top bit the sign, so collisions cancel out on average.
		const slot = h % dimension;
		acc[slot] = (acc[slot] as number) + (h & 0x80000000 ? -1 : 1);
	};
	words.forEach((word, i) => {
		add(word);
		// A space never occurs inside a word, so bigram features never collide with unigram ones.
		if (i > 0) add(`${words[i - 1]} ${word}`);
	});
	let sumSquares = 0;
	for (const x of acc) sumSquares += x * x;
	const out = new Float32Array(dimension);
	if (sumSquares === 0) return out;
	const scale = 1 / Math.sqrt(sumSquares);
	for (let i = 0; i < dimension; i++) out[i] = (acc[i] as number) * scale;
	return out;
}
