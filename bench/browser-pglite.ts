/**
 * `npm run bench:browser`: agentmem on PGlite over IndexedDB in headless Chromium (playwright-core,
 * /usr/bin/chromium or $AGENTMEM_CHROMIUM_PATH), issue 17 target 4: 200 single
 * `createMemory(…, unique)` calls (PGlite's default durability, then `relaxedDurability` with a
 * `flush()` at the end) and one `createMemories` of 10,000. Saves bench/results/browser-pglite.json;
 * `npm run bench -- --report-only` puts it in BENCHMARKS.md.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { prepareSite, ROOT } from "../test/browser/bundle.js";
import { serveDirectory } from "../test/browser/static-server.js";
import type { BrowserBenchResult } from "./browser/pglite-page.js";
import { formatGenerated } from "./results.js";

const CHROMIUM = process.env.AGENTMEM_CHROMIUM_PATH || "/usr/bin/chromium";
const singles = Number(process.env.BENCH_SINGLES ?? 200);
const batch = Number(process.env.BENCH_BATCH ?? 10_000);

export interface BrowserRun extends BrowserBenchResult {
	date: string;
}

if (!existsSync(CHROMIUM)) {
	process.stderr.write(`no Chromium at ${CHROMIUM}: bash scripts/install-chromium.sh\n`);
	process.exit(1);
}
const site = join(ROOT, ".bench-tmp/browser-site");
await prepareSite(site);
// Node built-ins stay external: PGlite (and the adapter's Node-only branches) import them behind
// runtime checks, as docs/browser.md tells esbuild users to do.
await build({
	entryPoints: [join(ROOT, "bench/browser/pglite-page.ts")],
	outfile: join(site, "bench-page.js"),
	bundle: true,
	format: "esm",
	target: "es2022",
	platform: "browser",
	external: ["node:*"],
	logLevel: "silent",
});
writeFileSync(
	join(site, "bench.html"),
	'<!doctype html><meta charset="utf-8"><title>bench</title><script type="module" src="./bench-page.js"></script>',
);
const server = await serveDirectory(site);
const browser = await chromium.launch({
	executablePath: CHROMIUM,
	// Without the background-networking flags Chromium's own connections are refused here.
	args: [
		"--headless",
		"--no-sandbox",
		"--disable-gpu",
		"--no-first-run",
		"--disable-background-networking",
		"--disable-component-update",
	],
	headless: true,
});
try {
	const page = await browser.newPage();
	page.on("pageerror", (err) => process.stderr.write(`page error: ${err.message}\n`));
	page.on("console", (m) => {
		if (m.type() === "error") process.stderr.write(`page console: ${m.text()}\n`);
	});
	await page.goto(`${server.url}/bench.html`);
	await page.waitForFunction(() => "runBench" in globalThis, undefined, { timeout: 60_000 });
	process.stderr.write(`PGlite on IndexedDB: ${singles} createMemory, createMemories(${batch})\n`);
	const result = await page.evaluate(
		([s, b]) =>
			(
				globalThis as unknown as {
					runBench(s: number, b: number): Promise<BrowserBenchResult>;
				}
			).runBench(s as number, b as number),
		[singles, batch],
	);
	const run: BrowserRun = { ...result, date: new Date().toISOString() };
	process.stderr.write(`${JSON.stringify(run, null, 1)}\n`);
	const file = join(ROOT, "bench/results/browser-pglite.json");
	writeFileSync(file, `${JSON.stringify(run, null, "\t")}\n`);
	formatGenerated(file);
} finally {
	await browser.close();
	await server.close();
}
