/** The CLI's everyday commands, run as the built binary against real SQLite files. */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { assertBuilt, run, runJson, tempDir } from "./run.js";

beforeAll(assertBuilt);
// Each case runs the CLI many times as a process; a loaded machine takes seconds per run.
vi.setConfig({ testTimeout: 300_000 });

const COMMANDS = [
	"init",
	"remember",
	"recall",
	"stats",
	"ingest",
	"demo",
	"export",
	"import",
	"copy",
	"doctor",
	"list",
	"show",
	"forget",
	"prune",
	"rooms",
];

describe("agentmem CLI: help and usage", () => {
	it("prints help for the program and for every command (exit 0)", async () => {
		const dir = tempDir();
		const top = await run(["--help"], dir);
		expect(top.code).toBe(0);
		for (const c of COMMANDS) expect(top.stdout).toContain(c);
		expect(top.stdout).toContain("Global options");
		expect(top.stdout).toContain("agentmem.config.json");
		expect(top.stdout).toMatch(/Examples:\n {2}agentmem init/);
		for (const c of COMMANDS) {
			const r = await run([c, "--help"], dir);
			expect(r.code, c).toBe(0);
			expect(r.stdout, c).toContain(`Usage: agentmem ${c}`);
		}
	}, 900_000);

	it("exits 2 on usage errors", async () => {
		const dir = tempDir();
		for (const args of [
			["recall"],
			["no-such-command"],
			["recall", "x", "-k", "0"],
			["recall", "x", "--threshold", "2"],
			["remember", "  "],
			["copy", "--to", "sqlite:./x.db"],
			["copy", "--from", "sqlite:./x.db", "--to", "sqlite:./x.db"],
			["--dimension", "abc", "init"],
		]) {
			const r = await run(args, dir);
			expect(r.code, args.join(" ")).toBe(2);
			expect(r.stderr, args.join(" ")).toMatch(/error/);
		}
	});

	it("exits 1 with the valid forms on a bad URL, and on a missing database file", async () => {
		const dir = tempDir();
		const bad = await run(["stats", "--url", "mysql://x"], dir);
		expect(bad.code).toBe(1);
		expect(bad.stderr).toContain("Valid forms: sqlite:");
		const missing = await run(["stats", "--url", "sqlite:./nope.db"], dir);
		expect(missing.code).toBe(1);
		expect(missing.stderr).toMatch(
			/No agentmem database here \(sqlite:\.\/nope\.db\).*`agentmem init --url sqlite:\.\/nope\.db`/,
		);
		expect(existsSync(join(dir, "nope.db"))).toBe(false);
	});
});

describe("agentmem CLI: init, remember, recall, stats, doctor", () => {
	it("runs the everyday loop on a SQLite file with --json output", async () => {
		const dir = tempDir();
		const init = await runJson(["init"], dir);
		expect(init).toMatchObject({
			url: "sqlite:./agentmem.db",
			backend: "sqlite",
			embeddingDimension: 384,
		});
		const password = [
			"remember",
			"The staging database password rotates every Monday",
			"--room",
			"ops",
			"--user",
			"alice",
		];
		const remembered = await runJson<{ id: string; unique: boolean; roomId: string }>(
			password,
			dir,
		);
		expect(remembered.id).toMatch(/^[0-9a-f-]{36}$/);
		expect(remembered.unique).toBe(true);
		await runJson(["remember", "Lunch is at noon on Fridays", "--room", "social"], dir);
		const again = await runJson<{ roomId: string; unique: boolean }>(password, dir);
		expect(again.roomId).toBe(remembered.roomId);
		expect(again.unique).toBe(false);

		const recalled = await runJson<{
			results: { rank: number; similarity: number; text: string; id: string }[];
		}>(["recall", "when does the staging password rotate", "-k", "3", "--all"], dir);
		// The memory and its near-duplicate tie; the unrelated one comes last.
		const texts = recalled.results.map((r) => r.text);
		expect(texts).toEqual([
			"The staging database password rotates every Monday",
			"The staging database password rotates every Monday",
			"Lunch is at noon on Fridays",
		]);
		expect(recalled.results.map((r) => r.rank)).toEqual([1, 2, 3]);
		expect(recalled.results[1]?.similarity).toBeGreaterThan(recalled.results[2]?.similarity ?? 1);
		const inSocial = await runJson<{ results: { text: string }[] }>(
			["recall", "password", "--room", "social", "--all"],
			dir,
		);
		expect(inSocial.results.map((r) => r.text)).toEqual(["Lunch is at noon on Fridays"]);
		const strict = await runJson<{ results: unknown[] }>(
			["recall", "password", "--threshold", "0.99"],
			dir,
		);
		expect(strict.results).toEqual([]);

		const table = await run(["recall", "staging password"], dir);
		expect(table.code).toBe(0);
		expect(table.stdout).toMatch(/^#\s+sim\s+time \(UTC\)\s+room\s+source\s+text/);
		expect(table.stdout).toMatch(
			/\n1\s+0\.\d{3}\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+ops\s+alice: The staging database password/,
		);

		const stats = await runJson<Record<string, unknown>>(["stats"], dir);
		expect(stats).toMatchObject({
			backend: "sqlite",
			memories: 3,
			rooms: 2,
			memoriesByType: { messages: 3 },
			embeddingModel: "agentmem-hashing-v1-384",
		});
		expect(stats.sizeBytes).toBeGreaterThan(0);
		const ops = Object.entries(stats.memoriesByRoom as Record<string, number>).find(([k]) =>
			k.startsWith("ops ("),
		);
		expect(ops?.[1]).toBe(2);

		const doctor = await runJson<{ ok: boolean; checks: { name: string; ok: boolean }[] }>(
			["doctor"],
			dir,
		);
		expect(doctor.ok).toBe(true);
		expect(doctor.checks.map((c) => c.name)).toEqual(
			expect.arrayContaining([
				"connection",
				"lock",
				"schema",
				"vector extension",
				"vector index",
				"dimension",
				"embedding model",
			]),
		);
		const human = await run(["doctor"], dir);
		expect(human.stdout).toMatch(/^OK\s+url/m);
	});

	it("doctor reports FAIL with a fix when the configured model differs (exit 1)", async () => {
		const dir = tempDir();
		await runJson(["init"], dir);
		const r = await run(["doctor", "--dimension", "64"], dir);
		expect(r.code).toBe(1);
		expect(r.stdout).toMatch(/FAIL\s+dimension\s+database 384, embedder 64\n\s+fix: /);
	});

	it("refuses to mix embedding models in one database", async () => {
		const dir = tempDir();
		await runJson(["init"], dir);
		const r = await run(["remember", "x y z", "--dimension", "64"], dir);
		expect(r.code).toBe(1);
		expect(r.stderr).toMatch(/CONFIGURATION.*384-dimensional/);
	});
});

describe("agentmem CLI: ingest and demo", () => {
	it("ingests text, Markdown and JSONL chat logs, idempotently", async () => {
		const dir = tempDir();
		const docs = join(dir, "docs");
		mkdirSync(docs);
		writeFileSync(
			join(docs, "notes.txt"),
			"First paragraph about apples.\n\nSecond paragraph about pears.\n",
		);
		writeFileSync(
			join(docs, "guide.md"),
			"# Setup\n\nInstall the tool.\n\n# Usage\n\nRun the tool daily.\n",
		);
		writeFileSync(
			join(docs, "chat.jsonl"),
			[
				{ ts: "2024-01-01T10:00:00Z", user: "ana", text: "Shall we ship on Tuesday?" },
				{ ts: "2024-01-01T10:01:00Z", user: "ben", text: "Tuesday works for me." },
			]
				.map((l) => JSON.stringify(l))
				.join("\n"),
		);
		writeFileSync(join(docs, "ignored.bin"), "binary");
		const first = await runJson<{ files: number; memories: number; rooms: string[] }>(
			["ingest", "docs"],
			dir,
		);
		// notes.txt: one chunk (short paragraphs merge); guide.md: one per heading; chat: one per line.
		expect(first).toMatchObject({ files: 3, memories: 5 });
		expect(first.rooms.sort()).toEqual(["chat", "guide", "notes"]);
		const second = await runJson<{ memories: number }>(["ingest", "docs"], dir);
		expect(second.memories).toBe(5);
		expect(await runJson(["stats"], dir)).toMatchObject({ memories: 5, rooms: 3 });
		const found = await runJson<{ results: { text: string; speaker?: string }[] }>(
			["recall", "ship on Tuesday", "-k", "1"],
			dir,
		);
		expect(found.results[0]).toMatchObject({ speaker: "ana", text: "Shall we ship on Tuesday?" });
		const exported = await run(["export"], dir);
		expect(exported.stdout).toContain('"source":"docs/chat.jsonl"');
	});

	it("names the file and line of a bad chat log, and a missing path (exit 1)", async () => {
		const dir = tempDir();
		writeFileSync(join(dir, "bad.jsonl"), '{"user":"a","text":"ok"}\n{"user":"b"}\n');
		const bad = await run(["ingest", "bad.jsonl"], dir);
		expect(bad.code).toBe(1);
		expect(bad.stderr).toMatch(/bad\.jsonl:2: expected a "text"/);
		const missing = await run(["ingest", "nothing-here"], dir);
		expect(missing.code).toBe(1);
		expect(missing.stderr).toContain("nothing-here does not exist");
	});

	it("demo ingests the bundled corpus, answers queries and suggests next commands", async () => {
		const dir = tempDir();
		const demo = await run(["demo"], dir);
		expect(demo.code).toBe(0);
		expect(demo.stdout).toMatch(/Ingested 214 messages from 7 conversations/);
		expect(demo.stdout).toMatch(/recall "when is the database migration scheduled"\n#\s+sim/);
		expect(demo.stdout).toMatch(/The database migration is scheduled for Saturday/);
		expect(demo.stdout).toMatch(/\(3 results in [\d.]+ ms\)/);
		expect(demo.stdout).toContain("Next, try:");
		const json = await runJson<{
			ingested: { memories: number };
			queries: { results: unknown[]; hidden: number }[];
		}>(["demo"], dir);
		expect(json.ingested.memories).toBe(214);
		expect(json.queries).toHaveLength(5);
		// Each query asks for 3; weak hits are hidden (and counted), weaker visible ones fill in.
		for (const q of json.queries) {
			expect(q.results.length).toBeGreaterThan(0);
			expect(q.results.length).toBeLessThanOrEqual(3);
		}
		expect(await runJson(["stats"], dir)).toMatchObject({ memories: 214 });
	});
});
