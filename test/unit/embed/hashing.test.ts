import { describe, expect, it } from "vitest";
import { ConfigurationError, ValidationError } from "../../../src/core/errors.js";
import { cosineSimilarity, isZeroVector, norm } from "../../../src/core/vector.js";
import { fnv1a32 } from "../../../src/embed/hash32.js";
import { createHashingEmbedder, tokenize } from "../../../src/embed/hashing.js";

const embedder = createHashingEmbedder();
const sim = async (a: string, b: string) => {
	const [x, y] = await embedder.embed([a, b]);
	return cosineSimilarity(x as Float32Array, y as Float32Array);
};

describe("hashing embedder", () => {
	it("names its model after the algorithm and dimension", () => {
		expect(embedder.dimension).toBe(384);
		expect(embedder.model).toBe("agentmem-hashing-v1-384");
		const small = createHashingEmbedder({ dimension: 64 });
		expect(small.dimension).toBe(64);
		expect(small.model).toBe("agentmem-hashing-v1-64");
	});

	it("is deterministic across instances and pinned across platforms", async () => {
		const text = "The quick brown fox jumps over the lazy dog";
		const a = await embedder.embedOne(text);
		const b = await createHashingEmbedder().embedOne(text);
		expect(a).toEqual(b);
		// FNV-1a reference values: the same on every platform and run.
		expect(fnv1a32("")).toBe(0x811c9dc5);
		expect(fnv1a32("a")).toBe(0xe40c292c);
		expect(fnv1a32("foobar")).toBe(0xbf9cf968);
		// Pins the whole pipeline (tokens, hashing, sign, normalisation) for a short text.
		const v = await createHashingEmbedder({ dimension: 16 }).embedOne("hello world");
		const nonZero = Array.from(v, (x, i) => [i, Math.round(x * 1e6) / 1e6]).filter(
			([, x]) => x !== 0,
		);
		// Three features (hello, world, "hello world"), each ±1/√3.
		expect(nonZero).toEqual([
			[3, 0.57735],
			[7, -0.57735],
			[11, 0.57735],
		]);
	});

	it("returns unit-length vectors of the configured dimension", async () => {
		for (const dimension of [1, 7, 384, 1536]) {
			const v = await createHashingEmbedder({ dimension }).embedOne(
				"agents remember conversations in rooms",
			);
			expect(v).toBeInstanceOf(Float32Array);
			expect(v).toHaveLength(dimension);
			if (!isZeroVector(v)) expect(norm(v)).toBeCloseTo(1, 6);
		}
		expect(norm(await embedder.embedOne("a b c d e f g h"))).toBeCloseTo(1, 6);
	});

	it("scores sentences sharing words above unrelated ones", async () => {
		const query = "where did we put the deployment keys for the staging server";
		const related = await sim(query, "the staging server deployment keys are in the vault");
		const unrelated = await sim(query, "my cat loves sleeping on warm laundry");
		expect(related).toBeGreaterThan(0.3);
		expect(related).toBeGreaterThan(unrelated + 0.2);
	});

	it("is sensitive to word order through bigrams", async () => {
		const same = await sim("dog bites man", "dog bites man");
		const reordered = await sim("dog bites man", "man bites dog");
		expect(same).toBeCloseTo(1, 6);
		// Same unigrams, different bigrams: similar, but clearly not identical.
		expect(reordered).toBeLessThan(0.8);
		expect(reordered).toBeGreaterThan(0.3);
	});

	it("normalises case, Unicode compatibility forms and punctuation", async () => {
		expect(tokenize("Ｈｅｌｌｏ, WORLD! ﬁne café 42")).toEqual([
			"hello",
			"world",
			"fine",
			"café",
			"42",
		]);
		expect(tokenize("नमस्ते दुनिया")).toEqual(["नमस्ते", "दुनिया"]);
		expect(await sim("Hello, World!", "hello world")).toBeCloseTo(1, 6);
		expect(await sim("cafe\u0301", "café")).toBeCloseTo(1, 6);
	});

	it("returns the zero vector for text without words (stored as 'needs embedding')", async () => {
		for (const text of ["", "   ", "!!! ... ---"]) {
			const v = await embedder.embedOne(text);
			expect(v).toHaveLength(384);
			expect(isZeroVector(v)).toBe(true);
		}
	});

	it("embeds a batch in order, each like embedOne", async () => {
		const texts = ["first text", "second one", "", "third"];
		const batch = await embedder.embed(texts);
		expect(batch).toHaveLength(4);
		for (const [i, text] of texts.entries())
			expect(batch[i]).toEqual(await embedder.embedOne(text));
		expect(await embedder.embed([])).toEqual([]);
	});

	it("refuses a bad dimension (ConfigurationError) and non-string input (ValidationError)", async () => {
		for (const dimension of [0, -1, 1.5, Number.NaN]) {
			expect(() => createHashingEmbedder({ dimension })).toThrow(ConfigurationError);
		}
		await expect(embedder.embed("text" as unknown as string[])).rejects.toThrow(ValidationError);
		await expect(embedder.embed(["ok", 3 as unknown as string])).rejects.toThrow(/texts\[1\]/);
		await expect(embedder.embedOne(null as unknown as string)).rejects.toThrow(ValidationError);
	});
});
