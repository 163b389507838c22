/**
 * The explorer in headless Chromium: the page built with scripts/build-explorer.mjs into a temp
 * directory, served by a real `createServer` on an ephemeral loopback port over a database the
 * test seeds (the demo corpus, as `npm start` ingests it), and pages that record every console
 * error. Screenshots go to test-output/explorer/.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import type { FastifyInstance } from "fastify";
import { type Browser, chromium, type Page } from "playwright-core";
import { SAMPLE_CORPUS } from "../../src/cli/commands/ingest-demo.js";
import { ingestFiles } from "../../src/cli/ingest.js";
import { listFiles } from "../../src/cli/sources.js";
import type { DatabaseAdapter } from "../../src/core/adapter.js";
import type { CreateMemoryItem, UUID } from "../../src/core/types.js";
import { createHashingEmbedder } from "../../src/embed/hashing.js";
import { createServer, type ServiceOptions } from "../../src/service/server.js";

export const ROOT = resolve(import.meta.dirname, "../..");
export const CHROMIUM = process.env.AGENTMEM_CHROMIUM_PATH || "/usr/bin/chromium";
export const haveChromium = existsSync(CHROMIUM);
export const NO_CHROMIUM = `needs Chromium: none at ${CHROMIUM} (install: bash scripts/install-chromium.sh, or set AGENTMEM_CHROMIUM_PATH)`;
export const OUT = join(ROOT, "test-output/explorer");
export const KEY = "explorer-test-service-key-0123456789";
export const DIM = 384;
/** How long one UI step may take on a busy 2-core machine (a liveness guard, not a speed check). */
export const WAIT = 60_000;

export const embedder = createHashingEmbedder({ dimension: DIM });

/** Builds the explorer into a fresh temp directory (removed by `dispose`). */
export async function buildExplorer(): Promise<{ dir: string; dispose(): void }> {
	const dir = mkdtempSync(join(tmpdir(), "agentmem-explorer-"));
	await promisify(execFile)(process.execPath, [join(ROOT, "scripts/build-explorer.mjs"), dir]);
	return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The demo: the bundled sample conversations, as `agentmem demo` stores them. */
export async function seedDemo(db: DatabaseAdapter): Promise<void> {
	const files = (await listFiles([SAMPLE_CORPUS])).filter((f) => f.endsWith(".jsonl"));
	await ingestFiles(db, embedder, files, {
		user: "user",
		agent: "agent",
		type: "messages",
		showProgress: false,
	});
}

const TOPICS = ["billing", "deploys", "hiking", "recipes", "books", "travel", "music", "garden"];

/** `n` memories in one new room named `name`, texts spread over a few topics; resolves to the room. */
export async function seedBulk(db: DatabaseAdapter, name: string, n: number): Promise<UUID> {
	const agentId = crypto.randomUUID();
	const userId = crypto.randomUUID();
	await db.createAccount({ id: agentId, name: "bulk agent", username: "bulk-agent" });
	await db.createAccount({ id: userId, name: "bulk user", username: "bulk-user" });
	const roomId = await db.createRoom(crypto.randomUUID(), name);
	await db.addParticipant(userId, roomId);
	const start = Date.UTC(2024, 0, 1);
	for (let i = 0; i < n; i += 1000) {
		const texts = Array.from({ length: Math.min(1000, n - i) }, (_, j) => {
			const k = i + j;
			const topic = TOPICS[k % TOPICS.length] as string;
			return `note ${k} about ${topic}: ${topic} item ${k % 97} and ${TOPICS[(k * 7) % TOPICS.length]}`;
		});
		const vectors = await embedder.embed(texts);
		const items: CreateMemoryItem[] = texts.map((text, j) => ({
			tableName: j % 5 === 0 ? "facts" : "messages",
			memory: {
				userId,
				agentId,
				roomId,
				createdAt: start + (i + j) * 60_000,
				content: { text },
				embedding: Array.from(vectors[j] as Float32Array),
			},
		}));
		await db.createMemories(items);
	}
	return roomId;
}

export interface Service {
	app: FastifyInstance;
	base: string;
	/** fetch on the service with the service key. */
	call(path: string, body?: unknown, method?: string): Promise<Response>;
}

export async function startService(
	adapter: DatabaseAdapter,
	explorerDir: string,
	options: Partial<ServiceOptions> = {},
): Promise<Service> {
	const app = await createServer({
		adapter,
		apiKey: KEY,
		explorer: { dir: explorerDir },
		...options,
	});
	await app.listen({ host: "127.0.0.1", port: 0 });
	const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
	return {
		app,
		base,
		call: (path, body, method) =>
			fetch(`${base}${path}`, {
				method: method ?? (body === undefined ? "GET" : "POST"),
				headers: {
					authorization: `Bearer ${KEY}`,
					...(body === undefined ? {} : { "content-type": "application/json" }),
				},
				body: body === undefined ? undefined : JSON.stringify(body),
			}),
	};
}

export function launch(): Promise<Browser> {
	return chromium.launch({
		executablePath: CHROMIUM,
		args: [
			"--headless",
			"--no-sandbox",
			"--disable-gpu",
			"--disable-background-networking",
			"--disable-component-update",
			"--no-first-run",
			"--disable-sync",
		],
	});
}

/** A page of the explorer with `token` in its session storage; console errors collected in `errors`. */
export async function openExplorer(
	browser: Browser,
	base: string,
	token: string,
	options: {
		colorScheme?: "light" | "dark";
		/** Run in the page before its own scripts (Playwright's addInitScript). */
		initScript?: { fn: (arg: string) => void; arg: string };
	} = {},
): Promise<{ page: Page; errors: string[] }> {
	const context = await browser.newContext({
		viewport: { width: 1280, height: 800 },
		colorScheme: options.colorScheme ?? "light",
	});
	await context.addInitScript((t) => {
		sessionStorage.setItem("agentmem.explorer.token", t);
	}, token);
	if (options.initScript)
		await context.addInitScript(options.initScript.fn, options.initScript.arg);
	const page = await context.newPage();
	const errors: string[] = [];
	page.on("console", (m) => {
		if (m.type() === "error") errors.push(m.text());
	});
	page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
	page.on("worker", (w) =>
		w.on("console", (m) => {
			if (m.type() === "error") errors.push(`worker: ${m.text()}`);
		}),
	);
	page.setDefaultTimeout(WAIT);
	await page.goto(`${base}/`);
	return { page, errors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
	await mkdir(OUT, { recursive: true });
	const path = join(OUT, `${name}.png`);
	await page.screenshot({ path });
	return path;
}

/** What the map screen publishes for tests (explorer/src/screens/map.tsx). */
declare global {
	interface Window {
		__explorerMap?: { points: number; arrivedToDrawnMs: number; method: string; done: boolean };
	}
}
