/** The machine the bench ran on, and the ElizaOS 0.1.9 install it compares against. */

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import pg from "pg";
import { elizaDir } from "./contenders/eliza.js";
import { serverUrl } from "./contenders/pg-admin.js";
import type { Machine } from "./results.js";

const ELIZA_PACKAGES = [
	"@elizaos/adapter-sqlite@0.1.9",
	"@elizaos/adapter-postgres@0.1.9",
	"@elizaos/core@0.1.9",
];

function osName(): string {
	try {
		const release = readFileSync("/etc/os-release", "utf8");
		return /^PRETTY_NAME="?([^"\n]*)"?/m.exec(release)?.[1] ?? os.type();
	} catch {
		return `${os.type()} ${os.release()}`;
	}
}

async function postgresVersion(): Promise<string | null> {
	const client = new pg.Client({ connectionString: serverUrl(), connectionTimeoutMillis: 3000 });
	try {
		await client.connect();
		const { rows } = await client.query(
			"SELECT current_setting('server_version') AS pg, (SELECT default_version FROM pg_available_extensions WHERE name = 'vector') AS vector",
		);
		const row = rows[0] as { pg: string; vector: string | null };
		return `PostgreSQL ${row.pg}, pgvector ${row.vector ?? "absent"}`;
	} catch {
		return null;
	} finally {
		await client.end().catch(() => {});
	}
}

export async function machineInfo(): Promise<Machine> {
	return {
		cpu: os.cpus()[0]?.model ?? "unknown",
		cores: os.availableParallelism(),
		memoryGiB: Math.round(os.totalmem() / 2 ** 30),
		os: osName(),
		node: process.version,
		postgres: await postgresVersion(),
	};
}

/**
 * @elizaos/core 0.1.9 bundles transformers.js, which imports these at load time without declaring
 * them (the ElizaOS monorepo provides them). Native code comes from npm packages: no scripts needed.
 */
const ELIZA_UNDECLARED = ["sharp@0.33.5", "onnxruntime-node@1.20.1"];

function npmInstall(packages: string[], extra: string[] = []) {
	return spawnSync(
		"npm",
		["install", "--no-audit", "--no-fund", "--loglevel=error", ...extra, ...packages],
		{
			cwd: elizaDir,
			encoding: "utf8",
			timeout: 20 * 60_000,
		},
	);
}

/** Installs the ElizaOS 0.1.9 adapters into .bench-tmp/eliza once; says what happened. */
export function ensureEliza(): string {
	const installed = [
		"@elizaos/adapter-sqlite",
		"@elizaos/adapter-postgres",
		"@elizaos/core",
		"sharp",
	].every((p) => existsSync(join(elizaDir, "node_modules", p, "package.json")));
	if (installed) return "ElizaOS 0.1.9 adapters found in .bench-tmp/eliza";
	process.stderr.write(
		`installing ${ELIZA_PACKAGES.join(" ")} into ${elizaDir} (takes a few minutes)\n`,
	);
	mkdirSync(elizaDir, { recursive: true });
	writeFileSync(join(elizaDir, "package.json"), '{ "name": "eliza-bench", "private": true }\n');
	let npm = npmInstall(ELIZA_PACKAGES);
	if (npm.status === 0) npm = npmInstall(ELIZA_UNDECLARED, ["--ignore-scripts"]);
	if (npm.status === 0) return "ElizaOS 0.1.9 adapters installed into .bench-tmp/eliza by this run";
	const why = (npm.stderr || npm.error?.message || `exit ${npm.status}`)
		.trim()
		.split("\n")
		.slice(-3)
		.join(" ");
	process.stderr.write(`ElizaOS install failed: ${why}\n`);
	return `ElizaOS 0.1.9 install failed: ${why}`;
}
