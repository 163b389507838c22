/** Chunking of the ingest command's text and Markdown sources. */
import { describe, expect, it } from "vitest";
import { chunkText, MAX_CHUNK_CHARS } from "../../src/cli/sources.js";

describe("chunkText", () => {
	it("merges short paragraphs and starts a chunk at each Markdown heading", () => {
		expect(chunkText("one\n\ntwo\r\n\r\nthree", false)).toEqual(["one\n\ntwo\n\nthree"]);
		expect(chunkText("# A\n\nx\n\n## B\ny", true)).toEqual(["# A\n\nx", "## B\ny"]);
		expect(chunkText("  \n\n ", false)).toEqual([]);
	});

	it("splits long text at sentence ends, then words, never exceeding the limit or losing words", () => {
		const sentence = "This sentence has exactly a few words in it. ";
		const text = sentence.repeat(100) + "x".repeat(2500);
		const chunks = chunkText(text, false);
		expect(chunks.length).toBeGreaterThan(4);
		for (const c of chunks) expect(c.length).toBeLessThanOrEqual(MAX_CHUNK_CHARS);
		expect(chunks.join(" ").replace(/\s+/g, "")).toBe(text.replace(/\s+/g, ""));
		expect(chunks[0]?.endsWith(".")).toBe(true);
	});
});
