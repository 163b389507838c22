#!/usr/bin/env node
// The opt-in ElizaOS runtime test (`npm run test:eliza`; never part of `npm test`). Installs
// @elizaos/core@0.1.9 and @elizaos/plugin-bootstrap@0.1.9 into a temporary folder, starts a local
// OpenAI-compatible model server, and runs a real AgentRuntime on agentmem on every backend
// (PostgreSQL when AGENTMEM_TEST_POSTGRES_URL is set) in three processes on one persistent
// database: first run, restart (then the knowledge file changes), restart again. Prints PASS/FAIL
// per step and backend; exits non-zero on any failure.
//
// Options (environment): ELIZA_TEST_DIR=<dir> reuses (or keeps) that folder and its install;
// ELIZA_BACKENDS=sqlite,pglite limits the backends; ELIZA_STEP_TIMEOUT_MS bounds one process;
// ELIZA_AGENTMEM_ROOT tests another agentmem checkout than this one.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startFakeOpenAI } from "./fake-openai.mjs";
import { FILE, original } from "./knowledge-files.mjs";

const here = dirname(fileURLToPath(import.meta.url));
// The agentmem checkout to build and test (another one, e.g. a git worktree, to compare versions).
const root = process.env.ELIZA_AGENTMEM_ROOT ?? join(here, "..", "..");
// @elizaos/core 0.1.9 imports sharp without declaring it (ElizaOS's agent package brings it,
// 0.33.5): installed alongside, as a user of the published package must.
const PACKAGES = ["@elizaos/core@0.1.9", "@elizaos/plugin-bootstrap@0.1.9", "sharp@0.33.5"];
const PROCESS_TIMEOUT_MS = Number(process.env.ELIZA_STEP_TIMEOUT_MS ?? 240_000);
const PHASES = ["first", "restart", "final"];

const keep = Boolean(process.env.ELIZA_TEST_DIR);
const work = process.env.ELIZA_TEST_DIR ?? mkdtempSync(join(tmpdir(), "agentmem-eliza-"));
mkdirSync(work, { recursive: true });

function install() {
	if (
		existsSync(join(work, "node_modules/@elizaos/plugin-bootstrap/package.json")) &&
		existsSync(join(work, "node_modules/sharp/package.json"))
	) {
		console.log(`Using the ElizaOS packages installed in ${work}`);
		return;
	}
	console.log(`Installing ${PACKAGES.join(" ")} into ${work} (npm, --ignore-scripts) ...`);
	writeFileSync(
		join(work, "package.json"),
		JSON.stringify({ name: "agentmem-eliza-test", private: true, type: "module" }),
	);
	// --ignore-scripts: no dependency needs its install script here (esbuild and protobufjs have
	// one; neither is used by what the test runs), and none may download binaries.
	const r = spawnSync(
		"npm",
		["install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error", ...PACKAGES],
		{ cwd: work, stdio: "inherit" },
	);
	if (r.status !== 0) throw new Error(`npm install failed (exit ${r.status})`);
}

function build() {
	console.log("Building agentmem (npm run build) ...");
	const r = spawnSync("npm", ["run", "build", "--silent"], { cwd: root, stdio: "inherit" });
	if (r.status !== 0) throw new Error(`npm run build failed (exit ${r.status})`);
}

/** Where each backend keeps its database across the three processes. */
function location(backend) {
	const dir = join(work, "data");
	mkdirSync(dir, { recursive: true });
	if (backend === "sqlite") return join(dir, "agent.sqlite");
	if (backend === "sqljs") return join(dir, "agent.sqljs");
	if (backend === "pglite") return join(dir, "agent-pglite");
	return `agentmem_eliza_${randomBytes(4).toString("hex")}`; // a PostgreSQL schema of its own
}

function runPhase(backend, phase, env) {
	return new Promise((resolve) => {
		const steps = [];
		let done = null;
		let log = "";
		const child = spawn(process.execPath, [join(here, "scenario.mjs"), backend, phase], {
			cwd: env.ELIZA_AGENT_CWD,
			env: { ...process.env, ...env },
			stdio: ["ignore", "pipe", "pipe"],
		});
		const timer = setTimeout(() => {
			log += `\n[run.mjs] timed out after ${PROCESS_TIMEOUT_MS} ms; killing pid ${child.pid}`;
			child.kill("SIGKILL");
		}, PROCESS_TIMEOUT_MS);
		let pending = "";
		child.stdout.on("data", (chunk) => {
			pending += chunk;
			const lines = pending.split("\n");
			pending = lines.pop() ?? "";
			for (const line of lines) {
				if (line.startsWith("@@STEP ")) {
					const s = JSON.parse(line.slice(7));
					steps.push(s);
					console.log(
						`  ${s.ok ? "PASS" : "FAIL"}  ${backend.padEnd(8)} ${phase.padEnd(7)} ${s.step}`,
					);
					if (!s.ok) console.log(indent(s.detail));
				} else if (line.startsWith("@@DONE ")) done = JSON.parse(line.slice(7));
				else log += `${line}\n`;
			}
		});
		child.stderr.on("data", (chunk) => {
			log += chunk;
		});
		child.on("close", (code, signal) => {
			clearTimeout(timer);
			if (!done) {
				const s = {
					backend,
					phase,
					step: `process ended early (exit ${code ?? signal}) before finishing its steps`,
					ok: false,
					detail: log.split("\n").slice(-25).join("\n"),
				};
				steps.push(s);
				console.log(`  FAIL  ${backend.padEnd(8)} ${phase.padEnd(7)} ${s.step}`);
				console.log(indent(s.detail));
			}
			writeFileSync(join(work, `${backend}-${phase}.log`), log);
			resolve(steps);
		});
	});
}

const indent = (text) =>
	String(text)
		.split("\n")
		.slice(0, 30)
		.map((l) => `          ${l}`)
		.join("\n");

async function dropSchema(schema) {
	const { default: pg } = await import("pg");
	const client = new pg.Client({ connectionString: process.env.AGENTMEM_TEST_POSTGRES_URL });
	await client.connect();
	try {
		await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
	} finally {
		await client.end();
	}
}

async function main() {
	install();
	build();
	const backends = (process.env.ELIZA_BACKENDS ?? "sqlite,sqljs,pglite,postgres").split(",");
	const skipped = [];
	if (backends.includes("postgres") && !process.env.AGENTMEM_TEST_POSTGRES_URL) {
		backends.splice(backends.indexOf("postgres"), 1);
		skipped.push("postgres (set AGENTMEM_TEST_POSTGRES_URL to include it)");
	}
	const server = await startFakeOpenAI();
	console.log(`Model server (OpenAI protocol) at ${server.url}\n`);
	const results = [];
	try {
		for (const backend of backends) {
			// The runtime reads knowledge from <cwd>/../characters/knowledge.
			const base = join(work, backend);
			rmSync(base, { recursive: true, force: true });
			const knowledge = join(base, "characters", "knowledge");
			mkdirSync(knowledge, { recursive: true });
			mkdirSync(join(base, "agent"), { recursive: true });
			writeFileSync(join(knowledge, FILE), original);
			const data = location(backend);
			rmSync(data, { recursive: true, force: true });
			rmSync(`${data}.summary.json`, { force: true });
			const env = {
				ELIZA_DIR: work,
				AGENTMEM_ROOT: root,
				ELIZA_DATA: data,
				ELIZA_KNOWLEDGE: knowledge,
				ELIZA_SUMMARY: join(base, "summary.json"),
				ELIZA_AGENT_CWD: join(base, "agent"),
				OPENAI_API_URL: server.url,
				OPENAI_API_KEY: "test-key",
				USE_OPENAI_EMBEDDING: "true",
				DEFAULT_LOG_LEVEL: process.env.DEFAULT_LOG_LEVEL ?? "warn",
			};
			try {
				for (const phase of PHASES) {
					results.push(...(await runPhase(backend, phase, env)));
				}
			} finally {
				if (backend === "postgres") await dropSchema(data).catch(() => {});
			}
		}
	} finally {
		await server.close();
	}
	const failed = results.filter((s) => !s.ok);
	console.log("\nSummary");
	for (const backend of backends) {
		const mine = results.filter((s) => s.backend === backend);
		const bad = mine.filter((s) => !s.ok).length;
		console.log(
			`  ${bad ? "FAIL" : "PASS"}  ${backend.padEnd(8)} ${mine.length - bad}/${mine.length} steps`,
		);
	}
	for (const s of skipped) console.log(`  SKIP  ${s}`);
	const c = server.counts;
	console.log(
		`  model server: ${c.messages} replies (${c.messagesWithKnowledge} with the file's knowledge in the prompt), ` +
			`${c.evaluators} evaluator choices, ${c.facts} fact extractions, ${c.goals} goal updates, ${c.embeddings} embeddings`,
	);
	if (keep || failed.length) console.log(`  logs: ${work}/<backend>-<phase>.log`);
	else rmSync(work, { recursive: true, force: true });
	process.exitCode = failed.length || backends.length === 0 ? 1 : 0;
}

main().catch((err) => {
	console.error(err);
	process.exitCode = 1;
});
