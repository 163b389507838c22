/**
 * A busy pool is back-pressure, not a failure: callers beyond the pool's size wait for a connection
 * (and succeed), the circuit breaker stays closed; a dead or silent server still opens it.
 */
import net from "node:net";
import { expect, it } from "vitest";
import type { PostgresDatabaseAdapter } from "../../src/backends/postgres/index.js";
import { CircuitOpenError, ConnectionError, PoolExhaustedError } from "../../src/core/errors.js";
import { axis, makeWorld, memory } from "../conformance/fixtures.js";
import { setupTestDatabase } from "./postgres/helpers.js";

const db = await setupTestDatabase("postgres pool queue");
const DIM = 8;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Outcomes of settled promises: how many of each error class, and the values. */
function tally(results: PromiseSettledResult<unknown>[]): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const r of results) {
		const key = r.status === "fulfilled" ? "ok" : (r.reason as Error).constructor.name;
		counts[key] = (counts[key] ?? 0) + 1;
	}
	return counts;
}

/**
 * A TCP proxy to the test server that can play dead: `refuse` closes it (connections refused),
 * `blackhole` accepts connections and never answers. Existing connections are cut either way.
 */
async function proxyTo(url: string) {
	const target = new URL(url);
	const sockets = new Set<net.Socket>();
	let mode: "forward" | "blackhole" = "forward";
	const server = net.createServer((client) => {
		sockets.add(client);
		client.on("close", () => sockets.delete(client));
		client.on("error", () => undefined);
		if (mode === "blackhole") return;
		const upstream = net.connect(Number(target.port || 5432), target.hostname);
		sockets.add(upstream);
		upstream.on("close", () => sockets.delete(upstream));
		upstream.on("error", () => client.destroy());
		client.on("error", () => upstream.destroy());
		client.pipe(upstream).pipe(client);
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const port = (server.address() as net.AddressInfo).port;
	const proxied = new URL(url);
	proxied.hostname = "127.0.0.1";
	proxied.port = String(port);
	const cut = () => {
		for (const s of sockets) s.destroy();
	};
	return {
		url: proxied.toString(),
		blackhole() {
			mode = "blackhole";
			cut();
		},
		async refuse() {
			const closed = new Promise((resolve) => server.close(resolve));
			cut();
			await closed;
		},
		async close() {
			cut();
			if (server.listening) await new Promise((resolve) => server.close(resolve));
		},
	};
}

if (db) {
	it("1,000 concurrent calls on a pool of 5 all succeed, the breaker stays closed", async () => {
		// A short connectionTimeoutMillis: before the queue, waiting that long for a busy pool failed
		// as if the server were down (171-440 of 1,000 calls failed with the default 2 s), and opened
		// the breaker. Half the calls are transactions that hold their connection a few ms, so that
		// the last callers wait well past it.
		const a = await db.adapter({
			embeddingDimension: DIM,
			poolConfig: { max: 5, connectionTimeoutMillis: 300 },
		});
		try {
			const w = await makeWorld(a);
			const calls = Array.from({ length: 1000 }, (_, i) => {
				const m = memory(w, { text: `m${i}`, embedding: axis(DIM, i % DIM, 1 + i) });
				if (i % 2 === 1) {
					return a.transaction(async (tx) => {
						await tx.getRoom(w.roomId);
						await sleep(5);
						await tx.createMemory(m, "messages");
					});
				}
				return i % 4 === 0
					? a.createMemory(m, "messages")
					: a.searchMemoriesByEmbedding(axis(DIM, i % DIM), {
							tableName: "messages",
							roomId: w.roomId,
							count: 5,
						});
			});
			const started = performance.now();
			const results = await Promise.allSettled(calls);
			const elapsed = performance.now() - started;
			expect(tally(results)).toEqual({ ok: 1000 });
			expect(elapsed).toBeGreaterThan(300); // the last callers did wait past the timeout
			expect(a.circuitState).toBe("closed");
			expect(await a.countMemories(w.roomId, false, "messages")).toBe(750);
			expect(a.pool.totalCount).toBeLessThanOrEqual(5);
			expect(a.pool.waitingCount).toBe(0);
		} finally {
			await a.close();
		}
	}, 120_000);

	it("while 5 long transactions hold a pool of 5, other callers wait past connectionTimeoutMillis and then succeed", async () => {
		const a = await db.adapter({
			embeddingDimension: DIM,
			poolConfig: { max: 5, connectionTimeoutMillis: 300 },
		});
		try {
			const w = await makeWorld(a);
			let holding = 0;
			const held = Array.from({ length: 5 }, () =>
				a.transaction(async (tx) => {
					await tx.getRoom(w.roomId);
					holding++;
					await sleep(1500);
					return "held";
				}),
			);
			while (holding < 5) await sleep(10);
			const started = performance.now();
			const others = Array.from({ length: 50 }, (_, i) =>
				i % 2 ? a.getRoom(w.roomId) : a.createMemory(memory(w, { text: `o${i}` }), "messages"),
			);
			const results = await Promise.allSettled(others);
			expect(tally(results)).toEqual({ ok: 50 });
			// They waited for the transactions (about 1.5 s), far past connectionTimeoutMillis.
			expect(performance.now() - started).toBeGreaterThan(1000);
			expect(await Promise.all(held)).toEqual(Array(5).fill("held"));
			expect(a.circuitState).toBe("closed");
		} finally {
			await a.close();
		}
	}, 60_000);

	it("past poolQueue's limits a caller gets PoolExhaustedError, and the breaker stays closed", async () => {
		const a = await db.adapter({
			embeddingDimension: DIM,
			poolConfig: { max: 2 },
			poolQueue: { maxWaiting: 3, waitTimeoutMs: 200 },
			circuitBreaker: { failureThreshold: 1 },
		});
		try {
			const w = await makeWorld(a);
			const held = Array.from({ length: 2 }, () =>
				a.transaction(async (tx) => {
					await tx.getRoom(w.roomId);
					await sleep(800);
				}),
			);
			await sleep(100);
			const results = await Promise.allSettled(
				Array.from({ length: 5 }, () => a.getRoom(w.roomId)),
			);
			// 3 wait and time out after 200 ms; 2 more are refused at once.
			expect(tally(results)).toEqual({ PoolExhaustedError: 5 });
			const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
			expect(refused.reason).toBeInstanceOf(PoolExhaustedError);
			expect(refused.reason.message).toMatch(/poolQueue\.(maxWaiting|waitTimeoutMs)/);
			await Promise.all(held);
			expect(a.circuitState).toBe("closed");
			expect(await a.getRoom(w.roomId)).toBe(w.roomId);
		} finally {
			await a.close();
		}
	}, 30_000);

	async function deadServerOpensTheBreaker(kill: "refuse" | "blackhole") {
		const proxy = await proxyTo(db?.url as string);
		let a: PostgresDatabaseAdapter | undefined;
		try {
			a = await db?.adapter({
				embeddingDimension: DIM,
				connectionString: proxy.url,
				poolConfig: { max: 5, connectionTimeoutMillis: 300 },
				retry: false,
				circuitBreaker: { failureThreshold: 3, resetTimeoutMs: 60_000 },
			});
			if (!a) throw new Error("no adapter");
			const w = await makeWorld(a);
			expect(await a.getRoom(w.roomId)).toBe(w.roomId);
			if (kill === "refuse") await proxy.refuse();
			else proxy.blackhole();
			const errors: unknown[] = [];
			for (let i = 0; i < 6; i++) errors.push(await a.getRoom(w.roomId).catch((e: unknown) => e));
			expect(errors.slice(0, 3).every((e) => e instanceof ConnectionError)).toBe(true);
			expect(errors.slice(3).every((e) => e instanceof CircuitOpenError)).toBe(true);
			expect(a.circuitState).toBe("open");
		} finally {
			await a?.close();
			await proxy.close();
		}
	}

	it(
		"a server that refuses connections still opens the breaker",
		() => deadServerOpensTheBreaker("refuse"),
		30_000,
	);

	it(
		"a server that never answers (a real connect timeout) still opens the breaker",
		() => deadServerOpensTheBreaker("blackhole"),
		30_000,
	);
}
