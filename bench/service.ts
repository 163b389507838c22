/**
 * The memory service's cost (issue 14), on SQLite: the same search in process and through
 * `agentmem serve` (the real CLI in a child process, loopback, keep-alive), one at a time (added
 * latency) and with 64 concurrent clients (throughput, errors, the server's RSS), and 1,000 SSE
 * streams (delivery delay after the write's response). Bounded durations; numbers from one run.
 *
 *   npm run bench:service [-- seconds-per-phase]   (builds dist/ first: the server is the real CLI)
 *
 * Writes bench/results/service.json, which bench/report.ts (targets-service.ts) turns into the
 * service section of BENCHMARKS.md.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os, { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, fetch as undiciFetch } from "undici";
import { SqliteDatabaseAdapter } from "../src/backends/sqlite/index.js";
import type { UUID } from "../src/core/types.js";
import { encodeVector } from "../src/service/wire.js";
import { machineInfo } from "./environment.js";
import { distDir, resultsDir } from "./paths.js";
import { formatGenerated } from "./results.js";

const DIM = 384;
const MEMORIES = 5_000;
const SECONDS = Number(process.argv[2] ?? 10);
const KEY = "bench-service-key-0123456789";
const dir = mkdtempSync(join(tmpdir(), "agentmem-bench-service-"));
const file = join(dir, "bench.db");

const uuid = () => crypto.randomUUID() as UUID;
function randomVector(): number[] {
	const v = Array.from({ length: DIM }, () => Math.random() * 2 - 1);
	const n = Math.hypot(...v);
	return v.map((x) => x / n);
}
const pct = (xs: number[], p: number) => {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
};

async function seed(): Promise<{ room: UUID }> {
	const a = new SqliteDatabaseAdapter({ path: file, embeddingDimension: DIM });
	await a.init();
	const user = uuid();
	const room = uuid();
	await a.createAccount({ id: user, name: "bench", username: "bench" });
	await a.createRoom(room);
	for (let i = 0; i < MEMORIES; i += 500) {
		const items = Array.from({ length: 500 }, (_, j) => ({
			memory: {
				userId: user,
				agentId: user,
				roomId: room,
				content: { text: `m${i + j}` },
				embedding: randomVector(),
			},
			tableName: "messages",
		}));
		await a.createMemories(items);
	}
	await a.close();
	return { room };
}

async function startServer(): Promise<{ base: string; pid: number; stop: () => Promise<void> }> {
	const bin = join(distDir, "cli", "main.js");
	const child = spawn(process.execPath, [bin, "serve", "--url", `sqlite:${file}`, "--port", "0"], {
		env: { ...process.env, AGENTMEM_API_KEY: KEY, AGENTMEM_LOG_LEVEL: "warn" },
		stdio: ["ignore", "ignore", "pipe"],
	});
	let err = "";
	const base = await new Promise<string>((ok, fail) => {
		child.stderr.on("data", (d) => {
			err += d;
			const m = /listening on (\S+)/.exec(err);
			if (m) ok(m[1] as string);
		});
		child.on("exit", () => fail(new Error(err)));
	});
	return {
		base,
		pid: child.pid as number,
		stop: async () => {
			child.kill("SIGTERM");
			await new Promise((r) => child.on("exit", r));
		},
	};
}

/** Resident memory of a process in MB (Linux /proc). */
const rssOf = (pid: number) =>
	Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;

async function main() {
	const { room } = await seed();
	const queries = Array.from({ length: 200 }, randomVector);
	const params = { tableName: "messages", roomId: room, count: 10 };

	// In process: the same database file, the same search.
	const local = new SqliteDatabaseAdapter({ path: file });
	await local.init();
	const inProc: number[] = [];
	for (let i = 0; i < 1000; i++) {
		const t = performance.now();
		await local.searchMemoriesByEmbedding(queries[i % queries.length] as number[], params);
		inProc.push(performance.now() - t);
	}
	const inProcThroughput = await load(async (i) => {
		await local.searchMemoriesByEmbedding(queries[i % queries.length] as number[], params);
	});
	await local.close();

	const server = await startServer();
	const agent = new Agent({ connections: 128, keepAliveTimeout: 30_000 });
	const bodies = queries.map((q) => JSON.stringify({ embedding: encodeVector(q), ...params }));
	const search = async (i: number) => {
		const res = await undiciFetch(`${server.base}/v1/memories/search`, {
			method: "POST",
			headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
			body: bodies[i % bodies.length],
			dispatcher: agent,
		});
		if (res.status !== 200) throw new Error(`status ${res.status}`);
		await res.arrayBuffer();
	};
	for (let i = 0; i < 100; i++) await search(i); // warm-up
	const overHttp: number[] = [];
	for (let i = 0; i < 1000; i++) {
		const t = performance.now();
		await search(i);
		overHttp.push(performance.now() - t);
	}
	const rssBefore = rssOf(server.pid);
	const httpThroughput = await load(search);
	const rssAfter = rssOf(server.pid);
	const sse = await sseDelivery(server.base, room);
	await server.stop();
	await agent.close();
	rmSync(dir, { recursive: true, force: true });

	const out = {
		date: new Date().toISOString(),
		loadAverage: os.loadavg().map((l) => +l.toFixed(1)),
		machine: await machineInfo(),
		memories: MEMORIES,
		dimension: DIM,
		searchP50InProcessMs: +pct(inProc, 50).toFixed(3),
		searchP50ServiceMs: +pct(overHttp, 50).toFixed(3),
		addedP50Ms: +(pct(overHttp, 50) - pct(inProc, 50)).toFixed(3),
		throughput64InProcess: Math.round(inProcThroughput.perSecond),
		throughput64Service: Math.round(httpThroughput.perSecond),
		ratio: +(httpThroughput.perSecond / inProcThroughput.perSecond).toFixed(2),
		serviceErrors: httpThroughput.errors,
		serverRssMb: { before: Math.round(rssBefore), after: Math.round(rssAfter) },
		sse,
		seconds: SECONDS,
	};
	console.log(JSON.stringify(out, null, 2));
	const saved = join(resultsDir, "service.json");
	writeFileSync(saved, `${JSON.stringify(out, null, "\t")}\n`);
	formatGenerated(saved);
	console.log(`saved ${saved}`);
}

/** 64 concurrent clients for SECONDS: completed calls per second and errors. */
async function load(
	call: (i: number) => Promise<void>,
): Promise<{ perSecond: number; errors: number }> {
	const end = performance.now() + SECONDS * 1000;
	let done = 0;
	let errors = 0;
	let n = 0;
	await Promise.all(
		Array.from({ length: 64 }, async () => {
			while (performance.now() < end) {
				try {
					await call(n++);
					done++;
				} catch {
					errors++;
				}
			}
		}),
	);
	return { perSecond: done / SECONDS, errors };
}

/** 1,000 SSE streams on one room; 20 writes; delay from each write's request to each delivery. */
async function sseDelivery(base: string, room: UUID) {
	const STREAMS = 1000;
	const agent = new Agent({ connections: STREAMS + 10 });
	const delays: number[] = [];
	const sent = new Map<string, number>();
	let received = 0;
	const readers = await Promise.all(
		Array.from({ length: STREAMS }, async () => {
			const res = await undiciFetch(`${base}/v1/events?roomId=${room}`, {
				headers: { authorization: `Bearer ${KEY}` },
				dispatcher: agent,
			});
			const reader = (res.body as ReadableStream<Uint8Array>).getReader();
			await reader.read();
			void (async () => {
				const decoder = new TextDecoder();
				let text = "";
				for (;;) {
					const { value, done } = await reader
						.read()
						.catch(() => ({ value: undefined, done: true }));
					if (done) return;
					text += decoder.decode(value, { stream: true });
					for (let i = text.indexOf("\n\n"); i >= 0; i = text.indexOf("\n\n")) {
						const id = /"text":"(sse-[^"]+)"/.exec(text.slice(0, i))?.[1];
						text = text.slice(i + 2);
						const at = id ? sent.get(id) : undefined;
						if (at !== undefined) {
							delays.push(performance.now() - at);
							received++;
						}
					}
				}
			})();
			return reader;
		}),
	);
	const user = uuid();
	const post = (path: string, body: unknown) =>
		undiciFetch(`${base}${path}`, {
			method: "POST",
			headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
			body: JSON.stringify(body),
		});
	await post("/v1/accounts", { id: user, name: "sse", username: "sse" });
	for (let i = 0; i < 20; i++) {
		const id = `sse-${i}`;
		// From before the write is sent: the delay includes the write itself (an upper bound on commit → delivery).
		sent.set(id, performance.now());
		const res = await post("/v1/memories", {
			tableName: "messages",
			memory: { userId: user, agentId: user, roomId: room, content: { text: id } },
		});
		await res.arrayBuffer();
		await new Promise((r) => setTimeout(r, 100));
	}
	const deadline = performance.now() + 10_000;
	while (received < 20 * STREAMS && performance.now() < deadline)
		await new Promise((r) => setTimeout(r, 50));
	for (const r of readers) await r.cancel().catch(() => {});
	await agent.close().catch(() => {});
	return {
		streams: STREAMS,
		events: 20,
		delivered: received,
		expected: 20 * STREAMS,
		p50Ms: delays.length ? +pct(delays, 50).toFixed(1) : null,
		p95Ms: delays.length ? +pct(delays, 95).toFixed(1) : null,
	};
}

await main();
