/**
 * Health and stats: what /health, /ready and /v1/stats say (backend, dimension, model, counts,
 * database size, pool and breaker state), and the request and error rates from /metrics, sampled
 * every few seconds while the screen is open and drawn with uPlot.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import uPlot from "uplot";
import { api } from "../api.js";
import { bytes, count } from "../format.js";
import { parsePrometheus, requestCounts, type Sample } from "../metrics.js";
import type { AdapterStats } from "../types.js";
import { ErrorBox } from "../ui/bits.js";

const EVERY_MS = 5_000;
const KEEP = 120;

interface Point {
	t: number;
	requests: number;
	errors: number;
}

export function Health() {
	const [health, setHealth] = useState<Record<string, unknown> | null>(null);
	const [backend, setBackend] = useState<string | null>(null);
	const [ready, setReady] = useState<Record<string, unknown> | string | null>(null);
	const [stats, setStats] = useState<AdapterStats | null>(null);
	const [samples, setSamples] = useState<Sample[]>([]);
	const [history, setHistory] = useState<Point[]>([]);
	const [error, setError] = useState<unknown>(null);

	useEffect(() => {
		let stop = false;
		const poll = async () => {
			const [h, r, s, m] = await Promise.allSettled([
				api.health(),
				api.ready(),
				api.stats(),
				api.metrics(),
			]);
			if (stop) return;
			if (h.status === "fulfilled") setHealth(h.value);
			setReady(r.status === "fulfilled" ? r.value : `not ready: ${(r.reason as Error).message}`);
			if (s.status === "fulfilled") setStats(s.value);
			else setError(s.reason);
			if (m.status === "fulfilled") {
				const parsed = parsePrometheus(m.value);
				setSamples(parsed);
				const c = requestCounts(parsed);
				setHistory((old) => [...old, { t: Date.now() / 1000, ...c }].slice(-KEEP));
			}
		};
		api.capabilities().then(
			(c) => setBackend(`${c.backend} (${c.vectorSearch} search)`),
			() => undefined,
		);
		void poll();
		const timer = setInterval(poll, EVERY_MS);
		return () => {
			stop = true;
			clearInterval(timer);
		};
	}, []);

	const rates = history.slice(1).map((p, i) => {
		const prev = history[i] as Point;
		const dt = Math.max(1e-3, p.t - prev.t);
		const req = Math.max(0, p.requests - prev.requests);
		return {
			t: p.t,
			rps: req / dt,
			errorRate: req ? Math.max(0, p.errors - prev.errors) / req : 0,
		};
	});
	const last = rates.at(-1);
	const health2 = (health ?? {}) as Record<string, unknown>;
	const pick = (...keys: string[]) => {
		for (const k of keys) {
			const v = k
				.split(".")
				.reduce<unknown>(
					(o, p) => (o && typeof o === "object" ? (o as Record<string, unknown>)[p] : undefined),
					health2,
				);
			if (v !== undefined && v !== null) return v;
		}
		return undefined;
	};
	const size = pick("databaseSizeBytes", "database.sizeBytes", "sizeBytes", "dbSizeBytes");
	const metric = (re: RegExp) => samples.filter((s) => re.test(s.name));
	const circuit = metric(/^agentmem_circuit_open$/)[0];
	const breaker = circuit ? (circuit.value ? "open" : "closed") : pick("circuitState");
	const poolSamples = metric(/^agentmem_pool_connections$/);
	const pool = poolSamples.length
		? Object.fromEntries(poolSamples.map((s) => [s.labels.state ?? "", s.value]))
		: undefined;

	return (
		<section aria-labelledby="health-h">
			<h2 id="health-h">Health and stats</h2>
			<ErrorBox error={error} />
			<div class="stat-grid">
				<Stat
					label="status"
					value={
						<Status
							ok={health2.status === "ok" || health2.ok === true}
							text={String(health2.status ?? (health ? "ok" : "…"))}
						/>
					}
				/>
				<Stat
					label="ready"
					value={
						<Status
							ok={typeof ready === "object" && ready !== null}
							text={typeof ready === "string" ? ready : ready ? "ready" : "…"}
						/>
					}
				/>
				<Stat label="backend" value={backend ?? String(pick("backend") ?? "—")} />
				<Stat
					label="dimension"
					value={stats ? String(stats.embeddingDimension || "not set") : "…"}
				/>
				<Stat label="model" value={stats?.embeddingModel ?? "—"} />
				<Stat label="database size" value={typeof size === "number" ? bytes(size) : "—"} />
				<Stat
					label="breaker"
					value={
						breaker === undefined
							? "—"
							: String(typeof breaker === "object" ? JSON.stringify(breaker) : breaker)
					}
				/>
				<Stat
					label="pool"
					value={
						pool === undefined
							? "—"
							: typeof pool === "object"
								? Object.entries(pool as object)
										.map(([k, v]) => `${k} ${v}`)
										.join(", ")
								: String(pool)
					}
				/>
				<Stat label="requests/s" value={last ? last.rps.toFixed(2) : "…"} />
				<Stat label="error rate" value={last ? `${(last.errorRate * 100).toFixed(1)} %` : "…"} />
			</div>
			<div class="two" style={{ marginTop: "16px" }}>
				<div class="card">
					<h3 style={{ marginTop: 0 }}>Requests per second and 5xx share</h3>
					<RateChart rates={rates} />
					<p class="small muted">
						Sampled from /metrics every {EVERY_MS / 1000} s while this screen is open.
					</p>
				</div>
				<div class="card">
					<h3 style={{ marginTop: 0 }}>Records</h3>
					{stats ? (
						<dl class="kv">
							{(
								[
									"memories",
									"memoriesMissingEmbedding",
									"rooms",
									"accounts",
									"participants",
									"goals",
									"relationships",
									"logs",
									"cache",
									"knowledge",
								] as const
							).map((k) => (
								<>
									<dt>{k === "memoriesMissingEmbedding" ? "without embedding" : k}</dt>
									<dd>{count(stats[k])}</dd>
								</>
							))}
						</dl>
					) : null}
					<h3>Memories per type</h3>
					{stats ? <Bars values={stats.memoriesByType} /> : null}
				</div>
			</div>
			{health ? (
				<details style={{ marginTop: "16px" }}>
					<summary>/health as reported</summary>
					<pre class="json">{JSON.stringify(health, null, 2)}</pre>
				</details>
			) : null}
			{samples.length ? (
				<details>
					<summary>/metrics ({metric(/./).length} samples)</summary>
					<pre class="json">
						{samples
							.map(
								(s) =>
									`${s.name}${Object.keys(s.labels).length ? JSON.stringify(s.labels) : ""} ${s.value}`,
							)
							.join("\n")}
					</pre>
				</details>
			) : null}
		</section>
	);
}

function Stat({ label, value }: { label: string; value: preact.ComponentChildren }) {
	return (
		<div class="card stat">
			<div class="small muted">{label}</div>
			<div
				class="n"
				style={{ fontSize: typeof value === "string" && value.length > 12 ? "14px" : undefined }}
			>
				{value}
			</div>
		</div>
	);
}

function Status({ ok, text }: { ok: boolean; text: string }) {
	return <span class={`badge ${ok ? "ok" : text === "…" ? "warn" : "bad"}`}>{text}</span>;
}

function Bars({ values }: { values: Record<string, number> }) {
	const entries = Object.entries(values).sort((a, b) => b[1] - a[1]);
	const max = Math.max(1, ...entries.map(([, v]) => v));
	return (
		<div>
			{entries.map(([k, v]) => (
				<div key={k} class="row small" style={{ marginBottom: "4px" }}>
					<span style={{ width: "110px" }}>{k}</span>
					<span class="simbar">
						<span class="track" style={{ width: "160px" }}>
							<span class="fill" style={{ width: `${(v / max) * 100}%`, display: "block" }} />
						</span>
						{count(v)}
					</span>
				</div>
			))}
		</div>
	);
}

function RateChart({ rates }: { rates: { t: number; rps: number; errorRate: number }[] }) {
	const el = useRef<HTMLDivElement>(null);
	const plot = useRef<uPlot | null>(null);
	useEffect(() => {
		if (!el.current) return;
		const accent = getComputedStyle(el.current).getPropertyValue("--accent").trim() || "#2f5fd0";
		const danger = getComputedStyle(el.current).getPropertyValue("--danger").trim() || "#b3261e";
		const axis = {
			stroke: getComputedStyle(el.current).color,
			grid: { stroke: "rgba(128,128,128,0.2)" },
		};
		plot.current = new uPlot(
			{
				width: Math.max(240, el.current.clientWidth),
				height: 180,
				series: [
					{},
					{ label: "req/s", stroke: accent, width: 2 },
					{ label: "5xx %", stroke: danger, width: 2, scale: "%" },
				],
				axes: [axis, axis, { ...axis, side: 1, scale: "%" }],
				scales: { "%": { range: [0, 100] } },
			},
			[[], [], []],
			el.current,
		);
		return () => plot.current?.destroy();
	}, []);
	useEffect(() => {
		plot.current?.setData([
			rates.map((r) => r.t),
			rates.map((r) => r.rps),
			rates.map((r) => r.errorRate * 100),
		]);
	}, [rates]);
	return (
		<div
			ref={el}
			role="img"
			aria-label="Chart of requests per second and the share of 5xx responses"
		/>
	);
}
