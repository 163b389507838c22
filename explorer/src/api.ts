/**
 * The explorer's calls on the service. The library's contract is reached through its HTTP API
 * (routes declared in src/service/api-table.ts: results as `{"result": …}`, vectors as base64
 * little-endian Float32); the calls only the explorer needs (embedding a query text, the map's
 * bulk embeddings) through src/service/explorer-routes.ts. Every route the explorer uses is named
 * here and nowhere else.
 */
import { json, request } from "./http.js";
import type { AdapterStats, MapData, Memory, RoomSummary } from "./types.js";

/** Ids as the explorer holds them (from URLs and forms); the service checks them. */
type Id = string;

export interface MemoryQuery {
	roomId: Id;
	tableName: string;
	count: number;
	start?: number;
	end?: number;
}

export interface SearchQuery {
	tableName: string;
	count: number;
	match_threshold?: number;
	roomId?: Id;
	agentId?: Id;
}

export interface Actor {
	id: Id;
	name: string;
	username: string;
}

const enc = encodeURIComponent;

async function result<T>(method: string, path: string, body?: unknown): Promise<T> {
	const reply = await json<{ result: T } | undefined>(method, path, body);
	return reply?.result as T;
}

const ROOM_PAGE = 1000;

function queryString(params: object): string {
	const q = new URLSearchParams();
	for (const [k, v] of Object.entries(params))
		if (v !== undefined && v !== null) q.set(k, String(v));
	const s = q.toString();
	return s ? `?${s}` : "";
}

/** A response vector (base64 of little-endian Float32) as the contract's number[]. */
export function decodeVector(text: string): number[] {
	const bin = atob(text);
	const bytes = new Uint8Array(bin.length);
	for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
	return Array.from(new Float32Array(bytes.buffer));
}

function memoryFromWire(m: Memory | null): Memory | null {
	if (m && typeof m.embedding === "string") return { ...m, embedding: decodeVector(m.embedding) };
	return m;
}
const memoriesFromWire = (list: Memory[]) => list.map((m) => memoryFromWire(m) as Memory);

export const api = {
	/** Every room, a page at a time (the service refuses an unbounded list past its result cap). */
	listRooms: async () => {
		const all: RoomSummary[] = [];
		for (let offset = 0; ; offset += ROOM_PAGE) {
			const page = await result<RoomSummary[]>(
				"GET",
				`/v1/rooms${queryString({ limit: ROOM_PAGE, offset })}`,
			);
			all.push(...page);
			if (page.length < ROOM_PAGE) return all;
		}
	},
	actors: (roomId: Id) => result<Actor[]>("GET", `/v1/rooms/${enc(roomId)}/actors`),
	getMemories: async ({ roomId, ...q }: MemoryQuery) =>
		memoriesFromWire(
			await result<Memory[]>("GET", `/v1/rooms/${enc(roomId)}/memories${queryString(q)}`),
		),
	getMemoryById: async (id: Id) =>
		memoryFromWire(await result<Memory | null>("GET", `/v1/memories/${enc(id)}`)),
	search: async (embedding: number[], q: SearchQuery) =>
		memoriesFromWire(await result<Memory[]>("POST", "/v1/memories/search", { embedding, ...q })),
	/** How many were deleted: 0 when the memory is gone already or row-level security kept it. */
	deleteMemory: (id: Id, tableName: string) =>
		result<number>("POST", "/v1/memories/delete", { ids: [id], tableName }),
	/** Storing an existing id replaces that memory (the contract's only way to change content). */
	createMemory: (memory: Memory, tableName: string) =>
		result<void>("POST", "/v1/memories", { memory, tableName }),
	stats: () => result<AdapterStats>("GET", "/v1/stats"),
	capabilities: () => result<{ backend: string; vectorSearch: string }>("GET", "/v1/capabilities"),

	/** The query text embedded with the database's recorded embedder (explorer-routes.ts). */
	embed: (text: string) =>
		json<{ embedding: number[]; model: string }>("POST", "/v1/explorer/embed", { text }),
	mapData,

	health: () => json<Record<string, unknown>>("GET", "/health"),
	ready: () => json<Record<string, unknown>>("GET", "/ready"),
	metrics: async () => (await request("GET", "/metrics", undefined, "text/plain")).text(),
};

/** Every embedded memory of a room (or of the database), metadata as JSON then the vectors as float32. */
async function mapData(params: { roomId?: Id; limit: number }): Promise<MapData> {
	const res = await request(
		"GET",
		`/v1/explorer/points${queryString(params)}`,
		undefined,
		"application/octet-stream",
	);
	const buf = await res.arrayBuffer();
	// Layout: uint32 length of the JSON header (little-endian), the header, padding to 4, vectors.
	const headerLength = new DataView(buf).getUint32(0, true);
	const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 4, headerLength))) as Omit<
		MapData,
		"vectors"
	>;
	const offset = 4 + headerLength + ((4 - (headerLength % 4)) % 4);
	return {
		...header,
		vectors: new Float32Array(buf, offset, header.ids.length * header.dimension),
	};
}
