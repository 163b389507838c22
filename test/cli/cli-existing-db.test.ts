/**
 * The CLI and the database it finds (issue 16): read commands create and migrate nothing on any
 * backend; every command uses the model and dimension the database records; settings come from
 * flags, AGENTMEM_* and the config file in that order; --json errors; `| head`.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { setupTestDatabase } from "../backends/postgres/helpers.js";
import { assertBuilt, BIN, run, runJson, tempDir } from "./run.js";

beforeAll(assertBuilt);
// Each case runs the CLI a dozen times as a process; a loaded machine takes seconds per run.
vi.setConfig({ testTimeout: 300_000 });

const pg = await setupTestDatabase("agentmem CLI read commands on an empty PostgreSQL database");

const READ_COMMANDS = [
	["doctor"],
	["stats"],
	["recall", "anything"],
	["list"],
	["list", "--room", "x"],
	["show", "00000000-0000-4000-8000-000000000000"],
	["export"],
];
const NO_DATABASE = /No agentmem database here \(.*\): create one with `agentmem init --url /;

describe("read commands create nothing", () => {
	it("SQLite: a mistyped path stays absent, with a clear error (exit 1, --json too)", async () => {
		const dir = tempDir();
		for (const args of READ_COMMANDS) {
			const r = await run([...args, "--url", "sqlite:./typo.db"], dir);
			expect(r.code, args.join(" ")).toBe(1);
			expect(r.stdout + r.stderr, args.join(" ")).toMatch(NO_DATABASE);
			expect(existsSync(join(dir, "typo.db")), args.join(" ")).toBe(false);
		}
		const j = await run(["stats", "--url", "sqlite:./typo.db", "--json"], dir);
		expect(j.code).toBe(1);
		expect(j.stderr).toBe("");
		expect(JSON.parse(j.stdout)).toEqual({
			error: { code: "NOT_FOUND", message: expect.stringMatching(NO_DATABASE) },
		});
	});

	it("PGlite: an absent or empty directory is left as it was", async () => {
		const dir = tempDir();
		mkdirSync(join(dir, "empty"));
		for (const args of [["stats"], ["recall", "x"], ["list"]]) {
			for (const target of ["absent", "empty"]) {
				const r = await run([...args, "--url", `pglite:./${target}`], dir);
				expect(r.code, `${args} ${target}`).toBe(1);
				expect(r.stderr).toMatch(NO_DATABASE);
			}
		}
		expect(existsSync(join(dir, "absent"))).toBe(false);
		expect(readdirSync(join(dir, "empty"))).toEqual([]);
	});

	it.runIf(pg)("PostgreSQL: an empty database gets no agentmem tables", async () => {
		if (!pg) return;
		const dir = tempDir();
		for (const args of READ_COMMANDS) {
			const r = await run([...args, "--url", pg.url], dir);
			expect(r.code, args.join(" ")).toBe(1);
			expect(r.stdout + r.stderr, args.join(" ")).toMatch(NO_DATABASE);
		}
		const tables = await pg.sql(
			"SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('agentmem_meta', 'agentmem_migrations', 'memories')",
		);
		expect(tables).toEqual([]);
		// A write command creates it; the read commands then work.
		await runJson(["init", "--url", pg.url, "--dimension", "64"], dir);
		expect(await runJson(["stats", "--url", pg.url], dir)).toMatchObject({
			embeddingDimension: 64,
		});
	});
});

describe("the database's recorded model and dimension", () => {
	it("init --dimension 128, then remember and recall with no flag", async () => {
		const dir = tempDir();
		expect(await runJson(["init", "--dimension", "128"], dir)).toMatchObject({
			embeddingDimension: 128,
			embeddingModel: "agentmem-hashing-v1-128",
		});
		await runJson(["remember", "my flight lands at 9:40 on Friday", "--user", "Dan"], dir);
		const found = await runJson<{ results: { speaker: string; text: string }[] }>(
			["recall", "when does Dan arrive"],
			dir,
		);
		expect(found.results[0]).toMatchObject({
			speaker: "Dan",
			text: "my flight lands at 9:40 on Friday",
		});
		expect(await runJson(["init"], dir)).toMatchObject({ embeddingDimension: 128 });
		const other = await run(["remember", "x", "--dimension", "384"], dir);
		expect(other.code).toBe(1);
		expect(other.stderr).toMatch(/CONFIGURATION.*128-dimensional.*option --dimension says 384/);
	});

	it("recall hides hits below the floor and counts them; --all shows them", async () => {
		const dir = tempDir();
		await runJson(["remember", "Dan: my flight lands at 9:40 on Friday", "--room", "travel"], dir);
		await runJson(["remember", "quarterly revenue grew eleven percent", "--room", "finance"], dir);
		const floored = await runJson<{ results: { room: string }[]; hidden: number; floor: number }>(
			["recall", "when does Dan arrive"],
			dir,
		);
		expect(floored.results.map((r) => r.room)).toEqual(["travel"]);
		expect(floored).toMatchObject({ hidden: 1, floor: 0.1 });
		const all = await runJson<{ results: unknown[]; hidden: number }>(
			["recall", "when does Dan arrive", "--all"],
			dir,
		);
		expect(all).toMatchObject({ hidden: 0 });
		expect(all.results).toHaveLength(2);
		const text = await run(["recall", "when does Dan arrive"], dir);
		expect(text.stdout).toMatch(
			/^#\s+sim\s+time \(UTC\)\s+room\s+source\s+text\n1\s+0\.\d{3}\s+\S+ \S+\s+travel\s+Dan: my flight/,
		);
		expect(text.stdout).toContain("(1 result in ");
		expect(text.stdout).toContain(
			"1 weaker hit hidden (similarity below 0.1 or no word in common; --all shows it)",
		);
	});
});

describe("settings: flags > AGENTMEM_* > config file > defaults", () => {
	it("finds the config file upwards and applies each source in order", async () => {
		const dir = tempDir();
		const sub = join(dir, "a", "b");
		mkdirSync(sub, { recursive: true });
		writeFileSync(
			join(dir, "agentmem.config.json"),
			JSON.stringify({
				url: "sqlite:./from-config.db",
				embedding: { dimension: 32, apiKey: "sk-very-secret" },
				defaults: { room: "config-room" },
			}),
		);
		const made = await runJson<{ url: string; embeddingDimension: number }>(["init"], sub);
		expect(made).toMatchObject({ url: "sqlite:./from-config.db", embeddingDimension: 32 });
		expect(existsSync(join(sub, "from-config.db"))).toBe(true);
		const r = await runJson<{ roomId: string }>(["remember", "hello there"], sub);
		const rooms = await runJson<{ rooms: { id: string; name: string }[] }>(["list"], sub);
		expect(rooms.rooms.find((x) => x.id === r.roomId)?.name).toBe("config-room");

		const env = { AGENTMEM_DATABASE_URL: "sqlite:./from-env.db", AGENTMEM_ROOM: "env-room" };
		const viaEnv = await run(["init", "--json"], sub, env);
		expect(JSON.parse(viaEnv.stdout)).toMatchObject({ url: "sqlite:./from-env.db" });
		const flag = await run(["init", "--url", "sqlite:./from-flag.db", "--json"], sub, env);
		expect(JSON.parse(flag.stdout)).toMatchObject({ url: "sqlite:./from-flag.db" });

		const doctor = await run(["doctor"], sub, env);
		expect(doctor.stdout).toContain(`config file: ${join(dir, "agentmem.config.json")}`);
		expect(doctor.stdout).toMatch(/url\s+sqlite:\.\/from-env\.db\s+\(env AGENTMEM_DATABASE_URL\)/);
		expect(doctor.stdout).toMatch(/dimension\s+32\s+\(config file\)/);
		expect(doctor.stdout).toMatch(/room\s+env-room\s+\(env AGENTMEM_ROOM\)/);
		expect(doctor.stdout).toMatch(/apiKey\s+\*\*\*\s+\(config file\)/);
		expect(doctor.stdout + doctor.stderr).not.toContain("sk-very-secret");
	});

	it("a config file with an unknown key is an error naming it", async () => {
		const dir = tempDir();
		writeFileSync(join(dir, ".agentmemrc"), JSON.stringify({ embeding: {} }));
		const r = await run(["stats", "--json"], dir);
		expect(r.code).toBe(1);
		expect(JSON.parse(r.stdout).error).toMatchObject({
			code: "CONFIGURATION",
			message: expect.stringContaining('unknown key "embeding"'),
		});
	});
});

describe("output", () => {
	it("`agentmem list --room … | head -1` exits 0 without an error", async () => {
		const dir = tempDir();
		const lines = Array.from({ length: 3000 }, (_, i) =>
			JSON.stringify({ user: "ana", text: `message number ${i} in a long chat` }),
		);
		writeFileSync(join(dir, "chat.jsonl"), lines.join("\n"));
		await runJson(["ingest", "chat.jsonl"], dir);
		const result = await new Promise<{ code: number | null; stderr: string; first: string }>(
			(done) => {
				const child = spawn(process.execPath, [BIN, "list", "--room", "chat", "--limit", "3000"], {
					cwd: dir,
				});
				let stderr = "";
				let first = "";
				child.stderr.on("data", (d) => {
					stderr += d;
				});
				child.stdout.once("data", (d) => {
					first = String(d).split("\n")[0] ?? "";
					child.stdout.destroy(); // what `head -1` does after its line
				});
				child.on("close", (code) => done({ code, stderr, first }));
			},
		);
		expect(result.first).toMatch(/^room "chat"/);
		expect(result.stderr).toBe("");
		expect(result.code).toBe(0);
	});
});
