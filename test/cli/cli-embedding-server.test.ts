/**
 * The CLI with an OpenAI-compatible embeddings server (real HTTP on loopback): the model and
 * dimension come from the server and are recorded; a different model is then refused.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, run, tempDir } from "./run.js";

/** Vectors of 4 dimensions: counts of a, e, i, o in the text (plus 1 so none is all zero). */
const vector = (text: string) => [..."aeio"].map((c) => text.split(c).length);
const requests: { model: string; input: string[] }[] = [];
let server: Server;
let env: Record<string, string>;

beforeAll(async () => {
	assertBuilt();
	server = createServer((req, res) => {
		let body = "";
		req.on("data", (d) => {
			body += d;
		});
		req.on("end", () => {
			const parsed = JSON.parse(body) as { model: string; input: string[] };
			requests.push(parsed);
			res.setHeader("content-type", "application/json");
			res.end(
				JSON.stringify({ data: parsed.input.map((t, index) => ({ index, embedding: vector(t) })) }),
			);
		});
	});
	await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
	const port = (server.address() as AddressInfo).port;
	env = {
		AGENTMEM_EMBEDDING_URL: `http://127.0.0.1:${port}/v1`,
		AGENTMEM_EMBEDDING_MODEL: "test-embed",
	};
});

afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe("agentmem CLI with an OpenAI-compatible server", () => {
	it("records the server's model and dimension, embeds through it, and refuses another model", async () => {
		const dir = tempDir();
		const init = await run(["init", "--json"], dir, env);
		expect(init.code, init.stderr).toBe(0);
		expect(JSON.parse(init.stdout)).toMatchObject({
			embeddingDimension: 4,
			embeddingModel: "test-embed",
		});
		expect((await run(["remember", "banana banana"], dir, env)).code).toBe(0);
		expect((await run(["remember", "kiwi"], dir, env)).code).toBe(0);
		const recall = await run(["recall", "a banana", "--json", "-k", "1"], dir, env);
		expect(JSON.parse(recall.stdout).results[0].text).toBe("banana banana");
		expect(requests.some((r) => r.model === "test-embed" && r.input.includes("kiwi"))).toBe(true);

		const other = await run(["recall", "kiwi"], dir, {
			...env,
			AGENTMEM_EMBEDDING_MODEL: "other-model",
		});
		expect(other.code).toBe(1);
		expect(other.stderr).toMatch(/made by "test-embed".*agentmem reembed/);
		const offline = await run(["recall", "kiwi"], dir);
		expect(offline.code).toBe(1);
		expect(offline.stderr).toMatch(/CONFIGURATION/);
	});
});
