#!/usr/bin/env node
/**
 * Bundles the explorer (explorer/: Preact, uPlot, umap-js) with esbuild into static files that
 * `agentmem serve` ships at `/`: index.html, app.js, map-worker.js, app.css. Nothing is fetched
 * from a CDN at run time. Usage: node scripts/build-explorer.mjs [outdir] (default dist/explorer).
 */
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Builds into `outdir`; resolves to the directory. Exported for the tests, which build their own copy. */
export async function buildExplorer(outdir = join(ROOT, "dist/explorer")) {
	await mkdir(outdir, { recursive: true });
	const common = {
		bundle: true,
		minify: true,
		sourcemap: false,
		format: "esm",
		target: "es2022",
		platform: "browser",
		jsx: "automatic",
		jsxImportSource: "preact",
		legalComments: "none",
		logLevel: "warning",
		absWorkingDir: ROOT,
	};
	await Promise.all([
		build({ ...common, entryPoints: ["explorer/src/main.tsx"], outfile: join(outdir, "app.js") }),
		build({
			...common,
			entryPoints: ["explorer/src/map/worker.ts"],
			outfile: join(outdir, "map-worker.js"),
		}),
	]);
	const css = await Promise.all([
		readFile(join(ROOT, "node_modules/uplot/dist/uPlot.min.css"), "utf8"),
		readFile(join(ROOT, "explorer/style.css"), "utf8"),
	]);
	await writeFile(join(outdir, "app.css"), css.join("\n"));
	await copyFile(join(ROOT, "explorer/index.html"), join(outdir, "index.html"));
	return outdir;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	await buildExplorer(process.argv[2] ? resolve(process.argv[2]) : undefined);
}
