/**
 * The service routes the explorer adds (src/service/explorer-routes.ts), over HTTP without a
 * browser: the page without credentials, query texts embedded with the database's model (and
 * refused when the service's embedder is another), the map's binary points and their limits.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteDatabaseAdapter } from "../../src/backends/sqlite/index.js";
import type { UUID } from "../../src/core/types.js";
import { createHashingEmbedder } from "../../src/embed/hashing.js";
import { tempFiles } from "../backends/sqlite/harness.js";
import { buildExplorer, DIM, embedder, type Service, seedBulk, startService } from "./harness.js";

/** Decodes GET /v1/explorer/points: uint32 header length, JSON header, padding, float32 rows. */
function decodePoints(buf: ArrayBuffer) {
	const length = new DataView(buf).getUint32(0, true);
	const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 4, length))) as {
		ids: string[];
		rooms: string[];
		types: string[];
		texts: string[];
		dimension: number;
		truncated: boolean;
	};
	const offset = 4 + length + ((4 - (length % 4)) % 4);
	return { header, vectors: new Float32Array(buf, offset, header.ids.length * header.dimension) };
}

describe("the explorer's service routes", () => {
	const files = tempFiles("explorer-routes");
	let adapter: SqliteDatabaseAdapter;
	let service: Service;
	let dispose: () => void;
	let room: UUID;

	beforeAll(async () => {
		const build = await buildExplorer();
		dispose = build.dispose;
		adapter = new SqliteDatabaseAdapter({
			path: files.file(),
			embeddingDimension: DIM,
			embeddingModel: embedder.model,
		});
		await adapter.init();
		room = await seedBulk(adapter, "small", 30);
		service = await startService(adapter, build.dir);
	}, 120_000);

	afterAll(async () => {
		await service?.app.close();
		await adapter?.close();
		dispose?.();
	});

	it("serves the page and its files without credentials", async () => {
		const page = await fetch(`${service.base}/`);
		expect(page.status).toBe(200);
		expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
		for (const file of ["app.js", "app.css", "map-worker.js"])
			expect((await fetch(`${service.base}/${file}`)).status).toBe(200);
	});

	it("embeds a query text with the database's model, exactly as stored vectors were", async () => {
		const res = await service.call("/v1/explorer/embed", { text: "note about hiking" });
		expect(res.status).toBe(200);
		const body = (await res.json()) as { embedding: number[]; model: string };
		expect(body.model).toBe(embedder.model);
		expect(body.embedding).toEqual(Array.from(await embedder.embedOne("note about hiking")));
		const empty = await service.call("/v1/explorer/embed", { text: " " });
		expect(empty.status).toBe(400);
		expect(((await empty.json()) as { error: { code: string } }).error.code).toBe("VALIDATION");
	});

	it("refuses to embed with a model other than the database's", async () => {
		const other = await startService(adapter, "/nonexistent", {
			explorer: { dir: "/nonexistent", embedder: createHashingEmbedder({ dimension: 16 }) },
		});
		try {
			const res = await other.call("/v1/explorer/embed", { text: "hello" });
			expect(res.status).toBe(409);
			const body = (await res.json()) as { error: { code: string; message: string } };
			expect(body.error.code).toBe("CONFIGURATION");
			expect(body.error.message).toContain(embedder.model);
			// Without its files the page says how to build it.
			const page = await fetch(`${other.base}/`);
			expect(page.status).toBe(404);
			expect(await page.text()).toContain("npm run build");
		} finally {
			await other.app.close();
		}
	});

	it("returns a room's embeddings in one binary response, cut at the limit", async () => {
		const res = await service.call(`/v1/explorer/points?roomId=${room}`);
		expect(res.headers.get("content-type")).toBe("application/octet-stream");
		const { header, vectors } = decodePoints(await res.arrayBuffer());
		expect(header.ids).toHaveLength(30);
		expect(header.dimension).toBe(DIM);
		expect(header.truncated).toBe(false);
		expect(new Set(header.types)).toEqual(new Set(["messages", "facts"]));
		const first = await adapter.getMemoryById(header.ids[0] as UUID);
		expect(Array.from(vectors.subarray(0, DIM))).toEqual(first?.embedding);
		expect(header.texts[0]).toBe(first?.content.text);

		const cut = decodePoints(
			await (await service.call(`/v1/explorer/points?roomId=${room}&limit=7`)).arrayBuffer(),
		);
		expect(cut.header.ids).toHaveLength(7);
		expect(cut.header.truncated).toBe(true);
		for (const bad of ["0", "100001", "x"])
			expect((await service.call(`/v1/explorer/points?limit=${bad}`)).status).toBe(400);
		expect((await fetch(`${service.base}/v1/explorer/points`)).status).toBe(401);
	});
});
