/**
 * The page's driver. `conformance` mode registers the whole conformance suite against the backend
 * through the vitest shim and runs it; `persist` mode writes a dataset to browser storage (first
 * load) or reopens it (after a reload); `hold` opens it and keeps it open (a second tab). Results are shown on the page (for the screenshot) and left
 * in `window.__results` for the test runner.
 */
import { registerConformanceSuite } from "../../conformance/index.js";
import type { BrowserBackend } from "./backend.js";
import { DIM, snapshot, writeDataset } from "./persistence.js";
import { runCollected, type TestResult } from "./vitest-shim.js";

export interface ConformanceReport {
	mode: "conformance";
	backend: string;
	results: TestResult[];
}

export interface PersistReport {
	mode: "persist";
	backend: string;
	existed: boolean;
	snapshot: unknown;
}

export interface HoldReport {
	mode: "hold";
	backend: string;
}

/** The page failed outside any conformance test (loading, opening storage, a lock...). */
export interface ErrorReport {
	mode: "error";
	backend: string;
	error: string;
}

export type PageReport = (ConformanceReport | PersistReport | HoldReport | ErrorReport) & {
	error?: string;
};

declare global {
	interface Window {
		__results?: PageReport;
		/** The conformance results so far, while the suite runs. */
		__progress?: TestResult[];
	}
}

export async function runPage(backend: BrowserBackend, mode: string): Promise<void> {
	const title = document.querySelector("h1") as HTMLElement;
	title.textContent = `agentmem · ${backend.name} · ${mode} · ${navigator.userAgent.match(/Chrom\S+/)?.[0] ?? ""}`;
	try {
		window.__results =
			mode === "persist"
				? await persist(backend)
				: mode === "hold"
					? await hold(backend)
					: await conformance(backend);
	} catch (err) {
		const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
		window.__results = { mode: "error", backend: backend.name, error };
		line(`page error: ${error}`, false);
	}
}

async function conformance(backend: BrowserBackend): Promise<ConformanceReport> {
	registerConformanceSuite(backend.name, {
		makeAdapter: (opts) => backend.makeAdapter(opts),
	});
	const results: TestResult[] = [];
	const summary = line("running…", true);
	await runCollected((r) => {
		results.push(r);
		window.__progress = results;
		if (!r.ok) line(`✗ ${r.path.join(" › ")}: ${r.error}`, false);
		const failed = results.filter((x) => !x.ok).length;
		summary.textContent = `${results.length - failed} passed, ${failed} failed`;
		summary.className = failed ? "fail" : "ok";
	});
	const topics = new Map<string, number>();
	for (const r of results) topics.set(r.path[1] ?? "", (topics.get(r.path[1] ?? "") ?? 0) + 1);
	for (const [topic, n] of topics)
		line(
			`${topic}: ${n} tests`,
			results.every((r) => r.ok || r.path[1] !== topic),
		);
	return { mode: "conformance", backend: backend.name, results };
}

async function persist(backend: BrowserBackend): Promise<PersistReport> {
	const db = await backend.openPersistent(DIM);
	if (!db.existed) {
		await writeDataset(db.adapter);
		await db.save();
	}
	const snap = await snapshot(db.adapter);
	await db.adapter.close();
	const stats = (snap as { stats: Record<string, unknown> }).stats;
	line(
		`${db.existed ? "reopened from" : "written to"} browser storage: ${stats.memories} memories, ${stats.knowledge} knowledge items`,
		true,
	);
	return { mode: "persist", backend: backend.name, existed: db.existed, snapshot: snap };
}

async function hold(backend: BrowserBackend): Promise<HoldReport> {
	await backend.openPersistent(DIM);
	line("holding the persistent database open", true);
	return { mode: "hold", backend: backend.name };
}

function line(text: string, ok: boolean): HTMLElement {
	const li = document.createElement("li");
	li.textContent = text;
	li.className = ok ? "ok" : "fail";
	(document.querySelector("#results") as HTMLElement).append(li);
	return li;
}
