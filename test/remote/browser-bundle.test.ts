/**
 * `agentmem/remote` is fetch-based so a page (the explorer) can use it: bundled for the browser,
 * it pulls in no Node built-in (the undici agent is mapped away by package.json `browser`).
 */
import { resolve } from "node:path";
import { build } from "esbuild";
import { expect, it } from "vitest";

it("bundles for the browser without any Node built-in", async () => {
	const result = await build({
		entryPoints: [resolve(import.meta.dirname, "../../src/remote/index.ts")],
		bundle: true,
		platform: "browser",
		format: "esm",
		write: false,
		metafile: true,
		logLevel: "silent",
	});
	const inputs = Object.keys(result.metafile.inputs);
	expect(inputs.some((p) => p.includes("src/remote/remote-adapter.ts"))).toBe(true);
	expect(inputs.filter((p) => p.startsWith("node:") || p.includes("node_modules/undici"))).toEqual(
		[],
	);
	const text = result.outputFiles[0]?.text ?? "";
	expect(text).not.toMatch(/from\s*"node:|require\("node:/);
});
