/**
 * What `agentmem serve` adds for the explorer (explorer/, bundled into dist/explorer/): the page's
 * static files at `/`, and the two calls the contract has no single route for:
 *
 * - `POST /v1/explorer/embed` `{ text }` → `{ embedding, model }`: the text embedded with the
 *   database's recorded embedder, so a search box can search by meaning. Refused (CONFIGURATION)
 *   when the service's embedder is not the model the database's vectors come from.
 * - `GET /v1/explorer/points?roomId=&limit=` → the map's data in one response: a little-endian
 *   uint32 header length, the JSON header (ids, rooms, types, speakers, texts, createdAt,
 *   dimension, truncated), padding to 4 bytes, then every vector as float32, row after row.
 *   Read through the request's adapter, so a user token sees only what row-level security allows.
 *
 * The service decides who the request acts as; these routes take its adapter from `adapterFor`.
 */
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { DatabaseAdapter } from "../core/adapter.js";
import { ConfigurationError, ValidationError } from "../core/errors.js";
import type { Memory } from "../core/types.js";
import { createHashingEmbedder } from "../embed/hashing.js";
import type { EmbeddingProvider } from "../embed/provider.js";

export interface ExplorerRoutesOptions {
	/** The adapter this request acts through (the service key's adapter, or a user's `asUser` view). */
	adapterFor(request: FastifyRequest): DatabaseAdapter | Promise<DatabaseAdapter>;
	/** The embedder for query texts; default: the offline hashing embedder when the database records it. */
	embedder?: EmbeddingProvider;
	/** Where the built page is (default: dist/explorer/ of this package). */
	dir?: string;
}

/** The most points one map request returns. */
export const MAX_POINTS = 100_000;
const DEFAULT_POINTS = 20_000;
const TEXT_CHARS = 200;
const MAX_EMBED_TEXT = 100_000;

/** The static files the page consists of, and their types. */
const FILES: Record<string, string> = {
	"index.html": "text/html; charset=utf-8",
	"app.js": "text/javascript; charset=utf-8",
	"map-worker.js": "text/javascript; charset=utf-8",
	"app.css": "text/css; charset=utf-8",
};

/** dist/explorer/ next to this module when running from dist/, or the built copy when running from src/. */
export function defaultExplorerDir(): string {
	const here = dirname(fileURLToPath(import.meta.url));
	return here.includes(`${"/"}src${"/"}service`)
		? join(here, "../../dist/explorer")
		: join(here, "../explorer");
}

export async function registerExplorerRoutes(
	app: FastifyInstance,
	options: ExplorerRoutesOptions,
): Promise<void> {
	const dir = options.dir ?? defaultExplorerDir();
	const files = new Map<string, Buffer>();
	for (const name of Object.keys(FILES)) {
		try {
			files.set(name, await readFile(join(dir, name)));
		} catch {
			// Not built (a checkout without `npm run build`): `/` says so instead of failing.
		}
	}
	const page = async (name: string) => {
		const body = files.get(name);
		return body
			? { status: 200, type: FILES[name] as string, body }
			: {
					status: 404,
					type: "text/plain; charset=utf-8",
					body: Buffer.from(`The explorer is not built here (${dir}): run npm run build.\n`),
				};
	};
	for (const name of Object.keys(FILES)) {
		const path = name === "index.html" ? "/" : `/${name}`;
		app.get(path, { config: { public: true } }, async (_req, reply) => {
			const p = await page(name);
			reply
				.code(p.status)
				.type(p.type)
				.header("cache-control", "no-cache")
				.header("x-content-type-options", "nosniff");
			if (name === "index.html")
				reply.header(
					"content-security-policy",
					"default-src 'self'; script-src 'self'; worker-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'",
				);
			return reply.send(p.body);
		});
	}

	let cachedEmbedder: EmbeddingProvider | undefined = options.embedder;
	app.post<{ Body: { text?: unknown } }>("/v1/explorer/embed", async (req) => {
		const text = req.body?.text;
		if (typeof text !== "string" || text.trim() === "")
			throw new ValidationError("text", "expected a non-empty string");
		if (text.length > MAX_EMBED_TEXT)
			throw new ValidationError("text", `at most ${MAX_EMBED_TEXT} characters`);
		const db = await options.adapterFor(req);
		const { embeddingModel, embeddingDimension } = await db.stats();
		cachedEmbedder ??= embedderFor(embeddingModel);
		if (embeddingModel && cachedEmbedder.model !== embeddingModel)
			throw new ConfigurationError(
				`This database's vectors come from ${embeddingModel}, but the service embeds with ${cachedEmbedder.model}: start it with that model (e.g. --embedding-url) to search by text, or use "more like this".`,
			);
		const vector = await cachedEmbedder.embedOne(text);
		if (embeddingDimension && vector.length !== embeddingDimension)
			throw new ConfigurationError(
				`The service's embedder gives ${vector.length} dimensions; the database stores ${embeddingDimension}.`,
			);
		return { embedding: Array.from(vector), model: cachedEmbedder.model };
	});

	app.get<{ Querystring: { roomId?: string; limit?: string } }>(
		"/v1/explorer/points",
		async (req, reply) => {
			const limit = parseLimit(req.query.limit);
			const db = await options.adapterFor(req);
			const body = encodePoints(await collectPoints(db, req.query.roomId, limit));
			return reply.type("application/octet-stream").header("cache-control", "no-store").send(body);
		},
	);
}

function parseLimit(raw: string | undefined): number {
	if (raw === undefined || raw === "") return DEFAULT_POINTS;
	const n = Number(raw);
	if (!Number.isSafeInteger(n) || n < 1 || n > MAX_POINTS)
		throw new ValidationError("limit", `expected an integer from 1 to ${MAX_POINTS}`);
	return n;
}

/** The hashing embedder when the database records one of its models; otherwise the service must be given one. */
function embedderFor(model: string | null): EmbeddingProvider {
	const hashing = model ? /^agentmem-hashing-v1-(\d+)$/.exec(model) : null;
	if (hashing) return createHashingEmbedder({ dimension: Number(hashing[1]) });
	throw new ConfigurationError(
		model
			? `This database's vectors come from ${model}; the service has no embedder for it (start it with --embedding-url) to search by text. "More like this" works without one.`
			: "This database records no embedding model yet: there is nothing to search.",
	);
}

export interface Points {
	memories: { memory: Memory; tableName: string }[];
	dimension: number;
	truncated: boolean;
}

/** The newest `limit` embedded memories of the room (or of every room), every type. */
export async function collectPoints(
	db: DatabaseAdapter,
	roomId: string | undefined,
	limit: number,
): Promise<Points> {
	const rooms = (await db.listRooms()).filter((r) => !roomId || r.id === roomId.toLowerCase());
	if (roomId && rooms.length === 0) return { memories: [], dimension: 0, truncated: false };
	const out: Points["memories"] = [];
	let truncated = false;
	let dimension = 0;
	for (const room of rooms) {
		for (const tableName of Object.keys(room.memories)) {
			if (out.length >= limit) {
				truncated = true;
				break;
			}
			const count = limit - out.length;
			const got = await db.getMemories({ roomId: room.id, tableName, count });
			if (got.length >= count) truncated = true;
			for (const memory of got) {
				if (!memory.embedding) continue;
				dimension = memory.embedding.length;
				out.push({ memory, tableName });
			}
		}
	}
	return { memories: out, dimension, truncated };
}

export function encodePoints(points: Points): Buffer {
	const { memories, dimension } = points;
	const header = Buffer.from(
		JSON.stringify({
			ids: memories.map((m) => m.memory.id),
			rooms: memories.map((m) => m.memory.roomId),
			types: memories.map((m) => m.tableName),
			speakers: memories.map((m) => {
				const name = (m.memory.content as { name?: unknown }).name;
				return typeof name === "string" && name ? name : m.memory.userId;
			}),
			texts: memories.map((m) => snippet(m.memory)),
			createdAt: memories.map((m) => m.memory.createdAt ?? 0),
			dimension,
			truncated: points.truncated,
		}),
	);
	const pad = (4 - (header.length % 4)) % 4;
	const vectors = new Float32Array(memories.length * dimension);
	for (const [i, m] of memories.entries())
		vectors.set(m.memory.embedding as number[], i * dimension);
	const length = Buffer.alloc(4);
	length.writeUInt32LE(header.length);
	return Buffer.concat([
		length,
		header,
		Buffer.alloc(pad),
		Buffer.from(vectors.buffer, vectors.byteOffset, vectors.byteLength),
	]);
}

function snippet(m: Memory): string {
	const text = typeof m.content.text === "string" ? m.content.text : JSON.stringify(m.content);
	return text.length > TEXT_CHARS ? `${text.slice(0, TEXT_CHARS - 1)}…` : text;
}
