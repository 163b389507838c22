/**
 * Bundles the browser harness with esbuild (platform browser, ESM) and copies the WASM assets next
 * to it. No Node built-in is shimmed: esbuild fails the build when one is reachable from our code,
 * which is the proof that `agentmem/sqljs` and `agentmem/pglite` are browser-clean. The only
 * redirects are for test code: `vitest` → the page's shim, and the fixtures' `node:crypto`.
 */

import { copyFile, mkdir, rm } from "node:fs/promises";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BuildOptions, build, type Plugin } from "esbuild";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const HARNESS = join(ROOT, "test/browser/harness");
const PGLITE_DIST = join(ROOT, "node_modules/@electric-sql/pglite/dist");

/** The package's browser entry points (as in package.json `exports`), when present in src. */
export const ENTRIES = {
	sqljs: join(ROOT, "src/backends/sqljs/index.ts"),
	pglite: join(ROOT, "src/backends/pglite/index.ts"),
};

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/**
 * PGlite's own distribution imports Node modules behind runtime `ENVIRONMENT_IS_NODE` checks; a
 * browser build leaves those imports unresolved (as Vite does). Applies only to importers inside
 * @electric-sql/pglite, so a Node built-in in agentmem's code still fails the build.
 */
const pgliteNodeBranches: Plugin = {
	name: "pglite-node-branches",
	setup(b) {
		b.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) =>
			NODE_BUILTINS.has(args.path) && args.importer.includes("/@electric-sql/pglite/")
				? { path: args.path, external: true }
				: undefined,
		);
	},
};

/** Test code only: the conformance suite's `vitest` import. */
const harnessRedirects: Plugin = {
	name: "harness-redirects",
	setup(b) {
		const fromTests = (importer: string) => importer.startsWith(join(ROOT, "test/"));
		b.onResolve({ filter: /^vitest$/ }, (args) =>
			fromTests(args.importer) ? { path: join(HARNESS, "vitest-shim.ts") } : undefined,
		);
	},
};

const common: BuildOptions = {
	bundle: true,
	format: "esm",
	target: "es2022",
	logLevel: "silent",
	plugins: [pgliteNodeBranches, harnessRedirects],
};

/** Bundles one module for the browser, alone, to `outfile`; rejects when it cannot. */
export async function bundleForBrowser(entry: string, outfile: string): Promise<void> {
	await build({ ...common, entryPoints: [entry], outfile, platform: "browser" });
}

/** Creates the harness site in `outdir`: the page and the assets; backends are built apart. */
export async function prepareSite(outdir: string): Promise<void> {
	await rm(outdir, { recursive: true, force: true });
	await mkdir(join(outdir, "assets"), { recursive: true });
	await copyFile(join(HARNESS, "index.html"), join(outdir, "index.html"));
	// sql.js's browser build (the `browser` export condition) asks locateFile for this file name.
	await copyFile(
		join(ROOT, "node_modules/sql.js/dist/sql-wasm-browser.wasm"),
		join(outdir, "assets/sql-wasm-browser.wasm"),
	);
	await copyPgliteAssets(outdir);
}

/**
 * Bundles one backend's page module (`backend-<name>.js`: the backend, the runner and the suite)
 * into the site. One build with shared chunks per backend, so the page has one copy of src/core
 * and `instanceof` on agentmem's errors works; separate builds, so one backend failing to bundle
 * does not take the other down.
 */
export async function buildBackendPage(outdir: string, backend: string): Promise<void> {
	await build({
		...common,
		entryPoints: { [`backend-${backend}`]: join(HARNESS, `backend-${backend}.ts`) },
		outdir,
		platform: "browser",
		splitting: true,
	});
}

/**
 * PGlite finds its files with `new URL(file, import.meta.url)`, relative to the bundled chunk:
 * they must sit next to the bundle (extensions one directory up, which the site root absorbs).
 */
async function copyPgliteAssets(outdir: string): Promise<void> {
	for (const file of ["pglite.wasm", "pglite.data", "initdb.wasm", "fuzzystrmatch.tar.gz"]) {
		await copyFile(join(PGLITE_DIST, file), join(outdir, file));
	}
	await copyFile(
		join(ROOT, "node_modules/@electric-sql/pglite-pgvector/dist/vector.tar.gz"),
		join(outdir, "vector.tar.gz"),
	);
}

/** Builds the Node module listing the conformance tests (see harness/list-tests.ts). */
export async function buildTestLister(outfile: string): Promise<void> {
	await build({
		...common,
		entryPoints: [join(HARNESS, "list-tests.ts")],
		outfile,
		platform: "node",
		packages: "external",
	});
}
