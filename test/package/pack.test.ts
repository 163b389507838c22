/**
 * The packed tarball is what users install: it must install into an empty folder and work from
 * plain Node ESM, with no TypeScript tooling. `npm test` builds dist/ before vitest runs.
 */
import { execFileSync } from "node:child_process";
import {
	copyFileSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
let dir: string;

function run(cmd: string, args: string[], cwd: string): string {
	return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

describe("the packed tarball", () => {
	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), "agentmem-pack-"));
		run("npm", ["pack", "--pack-destination", dir, "--silent"], root);
		const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz"));
		if (!tarball) throw new Error("npm pack produced no tarball");
		// The consumer gets the drivers the tests ran against: the peers by version, and SQLite's
		// (agentmem's own optional dependency, installed as a plain install does) by override.
		const sqlite = "better-sqlite3";
		writeFileSync(
			join(dir, "package.json"),
			JSON.stringify({
				name: "consumer",
				private: true,
				type: "module",
				overrides: { [sqlite]: version(sqlite) },
			}),
		);
		// SQLite's driver and sqlite-vec are optional dependencies (installed by default); the other
		// drivers are optional peers a user installs for the backend they use.
		const peers = ["sql.js", "@electric-sql/pglite", "@electric-sql/pglite-pgvector"];
		run(
			"npm",
			[
				"install",
				"--prefer-offline",
				"--no-audit",
				"--no-fund",
				// better-sqlite3's install script is its only one: it compiles the driver from source
				// (minutes on a small machine, and `npm ci` of this repo already proves it builds here).
				// The binary of the same version, built here for this Node, is copied in instead.
				"--ignore-scripts",
				join(dir, tarball),
				...peers.map((p) => `${p}@${version(p)}`),
			],
			dir,
		);
		const binary = "build/Release/better_sqlite3.node";
		mkdirSync(join(dir, "node_modules", sqlite, "build/Release"), { recursive: true });
		copyFileSync(
			join(root, "node_modules", sqlite, binary),
			join(dir, "node_modules", sqlite, binary),
		);
	}, 300_000);

	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it("imports from plain Node ESM and opens sqljs:memory through createAdapter", () => {
		writeFileSync(
			join(dir, "sqljs.mjs"),
			`import { createAdapter, ValidationError } from "agentmem";
import { SqlJsDatabaseAdapter } from "agentmem/sqljs";
const a = await createAdapter("sqljs:memory", { embeddingDimension: 3 });
if (!(a instanceof SqlJsDatabaseAdapter)) throw new Error("not a SqlJsDatabaseAdapter");
const user = crypto.randomUUID();
await a.createAccount({ id: user, name: "U", username: "u" });
const room = await a.createRoom();
await a.createMemory({ userId: user, agentId: user, roomId: room, content: { text: "hello" }, embedding: [1, 0, 0] }, "messages");
const found = await a.searchMemoriesByEmbedding([1, 0, 0], { tableName: "messages", roomId: room });
let refused = false;
try { await a.getRoom("nope"); } catch (e) { refused = e instanceof ValidationError; }
console.log(JSON.stringify({ backend: a.capabilities.backend, texts: found.map((m) => m.content.text), similarity: found[0].similarity, refused }));
await a.close();
`,
		);
		const out = JSON.parse(run("node", ["sqljs.mjs"], dir));
		expect(out).toEqual({ backend: "sqljs", texts: ["hello"], similarity: 1, refused: true });
	});

	it("opens sqlite:./x.db through createAdapter", () => {
		writeFileSync(
			join(dir, "sqlite.mjs"),
			`import { createAdapter } from "agentmem";
const a = await createAdapter("sqlite:./x.db", { embeddingDimension: 3 });
const user = crypto.randomUUID();
await a.createAccount({ id: user, name: "U", username: "u" });
const room = await a.createRoom();
await a.createMemory({ userId: user, agentId: user, roomId: room, content: { text: "on disk" }, embedding: [0, 1, 0] }, "messages");
await a.close();
const b = await createAdapter("sqlite:./x.db");
const found = await b.searchMemoriesByEmbedding([0, 1, 0], { tableName: "messages", roomId: room });
// usearch (the HNSW graph from 50,000 memories on) installs with agentmem and loads here.
const usearch = (await import("usearch")).default;
const graph = new usearch.Index({ dimensions: 3, metric: "cos", quantization: "f16", connectivity: 16, expansion_add: 128, expansion_search: 128, multi: false });
graph.add(7n, new Float32Array([0, 1, 0]));
console.log(JSON.stringify({ backend: b.capabilities.backend, dimension: b.capabilities.embeddingDimension, texts: found.map((m) => m.content.text), status: b.vectorIndexStatus(), graph: Number(graph.search(new Float32Array([0, 1, 0]), 1, 1).keys[0]) }));
await b.close();
`,
		);
		const out = JSON.parse(run("node", ["sqlite.mjs"], dir));
		expect(out).toEqual({
			backend: "sqlite",
			dimension: 3,
			texts: ["on disk"],
			status: { rows: 1, graph: "none", rebuilds: 1, catchUps: 0, graphLoaded: false },
			graph: 7,
		});
	});

	it("opens pglite:memory through createAdapter", () => {
		writeFileSync(
			join(dir, "pglite.mjs"),
			`import { createAdapter } from "agentmem";
const a = await createAdapter("pglite:memory", { embeddingDimension: 3 });
const user = crypto.randomUUID();
await a.createAccount({ id: user, name: "U", username: "u" });
const room = await a.createRoom();
await a.createMemory({ userId: user, agentId: user, roomId: room, content: { text: "embedded postgres" }, embedding: [0, 0, 1] }, "messages");
const found = await a.searchMemoriesByEmbedding([0, 0, 1], { tableName: "messages", roomId: room });
console.log(JSON.stringify({ backend: a.capabilities.backend, texts: found.map((m) => m.content.text) }));
await a.close();
`,
		);
		const out = JSON.parse(run("node", ["pglite.mjs"], dir));
		expect(out).toEqual({ backend: "pglite", texts: ["embedded postgres"] });
	});

	it("runs the agentmem command through npx: remember, then recall", () => {
		const url = "sqlite:./cli.db";
		run("npx", ["agentmem", "remember", "The launch is on Friday", "--url", url], dir);
		const out = JSON.parse(
			run("npx", ["agentmem", "recall", "when is the launch", "--url", url, "--json"], dir),
		);
		expect(JSON.stringify(out)).toContain("The launch is on Friday");
		expect(run("npx", ["agentmem", "--help"], dir)).toContain("recall");
	});
});

/** The version installed here, so the consumer gets the same driver the tests ran against. */
function version(pkg: string): string {
	return (
		JSON.parse(readFileSync(join(root, "node_modules", pkg, "package.json"), "utf8")) as {
			version: string;
		}
	).version;
}
