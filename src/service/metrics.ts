/**
 * `GET /metrics` (Prometheus text format, prom-client): requests by route and status, their
 * latency, open SSE streams, the adapter's circuit breaker and pool when it has them (PostgreSQL),
 * and the memories it holds (from `stats()`, read at scrape time). One registry per server, so two
 * servers in one process (tests) do not share counters.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { DatabaseAdapter } from "../core/adapter.js";

/** What a PostgreSQL adapter exposes beyond the contract (read defensively: other backends lack it). */
interface Observable {
	circuitState?: string;
	pool?: { totalCount?: number; idleCount?: number; waitingCount?: number };
}

export class ServiceMetrics {
	readonly registry = new Registry();
	readonly requests: Counter<"method" | "route" | "status">;
	readonly duration: Histogram<"method" | "route" | "status">;
	readonly sseStreams: Gauge;

	constructor(adapter: DatabaseAdapter) {
		const registers = [this.registry];
		collectDefaultMetrics({ register: this.registry, prefix: "agentmem_service_" });
		this.requests = new Counter({
			name: "agentmem_http_requests_total",
			help: "HTTP requests served, by method, route (the path pattern) and status",
			labelNames: ["method", "route", "status"],
			registers,
		});
		this.duration = new Histogram({
			name: "agentmem_http_request_duration_seconds",
			help: "Time from the request's arrival to its response, by method, route and status",
			labelNames: ["method", "route", "status"],
			buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
			registers,
		});
		this.sseStreams = new Gauge({
			name: "agentmem_sse_streams",
			help: "Open Server-Sent Events streams (GET /v1/events)",
			registers,
		});
		const backend = () => adapter.capabilities?.backend ?? "unknown";
		new Gauge({
			name: "agentmem_memories",
			help: "Memories stored, by backend (stats() at scrape time)",
			labelNames: ["backend"],
			registers,
			async collect() {
				try {
					this.set({ backend: backend() }, (await adapter.stats()).memories);
				} catch {
					this.reset(); // the database is down: /ready says so, the gauge goes missing
				}
			},
		});
		const observed = adapter as DatabaseAdapter & Observable;
		new Gauge({
			name: "agentmem_circuit_open",
			help: "1 while the adapter's circuit breaker is open (the database is considered down)",
			registers,
			collect() {
				const state = safe(() => observed.circuitState);
				if (state === undefined) return;
				this.set(state === "open" ? 1 : 0);
			},
		});
		new Gauge({
			name: "agentmem_pool_connections",
			help: "The adapter's connection pool: total, idle and waiting clients (PostgreSQL)",
			labelNames: ["state"],
			registers,
			collect() {
				const pool = safe(() => observed.pool);
				if (!pool) return;
				this.set({ state: "total" }, pool.totalCount ?? 0);
				this.set({ state: "idle" }, pool.idleCount ?? 0);
				this.set({ state: "waiting" }, pool.waitingCount ?? 0);
			},
		});
	}

	observe(method: string, route: string, status: number, seconds: number): void {
		const labels = { method, route, status: String(status) };
		this.requests.inc(labels);
		this.duration.observe(labels, seconds);
	}
}

/** A getter that throws (e.g. `pool` before init) reads as absent. */
function safe<T>(read: () => T): T | undefined {
	try {
		return read();
	} catch {
		return undefined;
	}
}
