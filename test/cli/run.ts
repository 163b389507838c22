/**
 * Runs the BUILT `agentmem` binary (dist/cli/main.js, from `npm run build`) as a subprocess, the
 * way a user does, in a temp directory of its own.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** AGENTMEM_TEST_CLI_BIN runs another build of it (e.g. one compiled to another directory). */
export const BIN =
	process.env.AGENTMEM_TEST_CLI_BIN ?? resolve(import.meta.dirname, "../../dist/cli/main.js");

export function assertBuilt(): void {
	if (!existsSync(BIN))
		throw new Error(`${BIN} is missing: run \`npm run build\` before the CLI tests`);
}

export interface RunResult {
	code: number;
	stdout: string;
	stderr: string;
}

export function tempDir(prefix = "agentmem-cli-"): string {
	return mkdtempSync(join(tmpdir(), prefix));
}

/** Runs `agentmem …args` in `cwd` with a clean embedding/database environment. */
export function run(
	args: string[],
	cwd: string,
	env: Record<string, string> = {},
): Promise<RunResult> {
	const clean = { ...process.env };
	for (const k of Object.keys(clean)) if (k.startsWith("AGENTMEM_")) delete clean[k];
	return new Promise((done, fail) => {
		const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...clean, ...env } });
		let stdout = "";
		let stderr = "";
		child.stdout.on("data", (d) => {
			stdout += d;
		});
		child.stderr.on("data", (d) => {
			stderr += d;
		});
		child.on("error", fail);
		child.on("close", (code) => done({ code: code ?? -1, stdout, stderr }));
	});
}

/** `run` with `--json`, parsing stdout; fails with the output when the exit code is not 0. */
export async function runJson<T = Record<string, unknown>>(
	args: string[],
	cwd: string,
): Promise<T> {
	const r = await run([...args, "--json"], cwd);
	if (r.code !== 0) throw new Error(`agentmem ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
	return JSON.parse(r.stdout) as T;
}
