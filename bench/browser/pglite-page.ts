/**
 * The browser side of bench/browser-pglite.ts: agentmem on PGlite over IndexedDB in Chromium.
 * 200 single `createMemory(…, unique)` calls with PGlite's default durability and with
 * `relaxedDurability` (then `flush()`), and one `createMemories` of `batch` memories.
 */
import { PGliteDatabaseAdapter } from "../../src/backends/pglite/index.js";
import type { UUID } from "../../src/core/types.js";

const DIM = 384;

function rng(seed: number): () => number {
	let s = seed >>> 0;
	return () => {
		s = (s * 1664525 + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}

function vector(r: () => number): number[] {
	return Array.from({ length: DIM }, () => r() - 0.5);
}

const uuid = () => crypto.randomUUID() as UUID;

async function open(name: string, relaxed: boolean) {
	const db = new PGliteDatabaseAdapter({
		dataDir: `idb://${name}`,
		embeddingDimension: DIM,
		...(relaxed ? { pgliteOptions: { relaxedDurability: true } } : {}),
	});
	await db.init();
	const agent = uuid();
	const room = uuid();
	await db.createAccount({ id: agent, name: "bench", username: agent });
	await db.createRoom(room);
	return { db, agent, room };
}

const memory = (agent: UUID, room: UUID, r: () => number, i: number) => ({
	id: uuid(),
	agentId: agent,
	userId: agent,
	roomId: room,
	content: { text: `browser memory ${i}` },
	embedding: vector(r),
});

export interface BrowserBenchResult {
	singles: number;
	strictSeconds: number;
	relaxedSeconds: number;
	flushSeconds: number;
	batch: number;
	batchSeconds: number;
	/** Memories of the batch's room counted after it (all of them, or the load lost some). */
	batchStored: number;
	/** After a reload: how many of the relaxed-durability memories were there (all, after flush). */
	userAgent: string;
}

export async function runBench(singles: number, batch: number): Promise<BrowserBenchResult> {
	const r = rng(42);
	const stamp = Date.now();
	const timed = async (fn: () => Promise<void>) => {
		const t = performance.now();
		await fn();
		return (performance.now() - t) / 1000;
	};
	const strict = await open(`bench-strict-${stamp}`, false);
	const strictSeconds = await timed(async () => {
		for (let i = 0; i < singles; i++)
			await strict.db.createMemory(memory(strict.agent, strict.room, r, i), "messages", true);
	});
	await strict.db.close();
	const relaxed = await open(`bench-relaxed-${stamp}`, true);
	const relaxedSeconds = await timed(async () => {
		for (let i = 0; i < singles; i++)
			await relaxed.db.createMemory(memory(relaxed.agent, relaxed.room, r, i), "messages", true);
	});
	const flushSeconds = await timed(() => relaxed.db.flush());
	await relaxed.db.close();
	const bulk = await open(`bench-batch-${stamp}`, true);
	const items = Array.from({ length: batch }, (_, i) => ({
		memory: memory(bulk.agent, bulk.room, r, i),
		tableName: "messages",
	}));
	const batchSeconds = await timed(async () => {
		await bulk.db.createMemories(items);
		await bulk.db.flush();
	});
	const batchStored = await bulk.db.countMemories(bulk.room, false, "messages");
	await bulk.db.close();
	return {
		singles,
		strictSeconds,
		relaxedSeconds,
		flushSeconds,
		batch,
		batchSeconds,
		batchStored,
		userAgent: navigator.userAgent,
	};
}

(globalThis as { runBench?: typeof runBench }).runBench = runBench;
