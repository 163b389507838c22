/**
 * The README's example is code a newcomer pastes first: it must run as printed. The TypeScript
 * block is transpiled with esbuild and run with plain Node, importing the built package by name.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { transformSync } from "esbuild";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");

describe("README", () => {
	it("runs the fifteen-line example and recalls the right fact first", () => {
		const readme = readFileSync(join(root, "README.md"), "utf8");
		const section = readme.slice(readme.indexOf("## Fifteen lines"));
		const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
		expect(code, "README has a ts block under '## Fifteen lines'").toBeTruthy();
		const js = transformSync(code as string, { loader: "ts", format: "esm" }).code;
		// Inside the repo so `import "agentmem"` resolves to dist/ by package self-reference.
		const dir = mkdtempSync(join(root, "test-output-readme-"));
		try {
			writeFileSync(join(dir, "example.mjs"), js);
			const out = execFileSync("node", ["example.mjs"], { cwd: dir, encoding: "utf8" });
			const lines = out.trim().split("\n");
			expect(lines).toHaveLength(2);
			expect(lines[0]).toMatch(/^\d\.\d{3} Sam's dog is called Biscuit$/);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
