/**
 * export / import / copy through the built binary: a full-fidelity round trip, refusal of
 * truncated and corrupted files (naming the line, leaving the target unchanged), and verified,
 * idempotent copies between backends.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { SqliteDatabaseAdapter } from "../../src/backends/sqlite/index.js";
import { migrations } from "../../src/backends/sqlite/migrations.generated.js";
import type { DatabaseAdapter } from "../../src/core/adapter.js";
import type { UUID } from "../../src/core/types.js";
import { collectRecords, populateEveryKind, seededVector } from "../support/every-kind.js";
import { assertBuilt, BIN, run, runJson, tempDir } from "./run.js";

beforeAll(assertBuilt);

const DIM = 8;

async function openFile(path: string): Promise<DatabaseAdapter> {
	const a = new SqliteDatabaseAdapter({ path });
	await a.init();
	return a;
}

/** A SQLite file holding every record kind (8 dimensions, a recorded model). */
async function populated(dir: string, name = "source.db"): Promise<string> {
	const a = new SqliteDatabaseAdapter({
		path: join(dir, name),
		embeddingDimension: DIM,
		embeddingModel: "fixture-model",
	});
	await a.init();
	await populateEveryKind(a, DIM);
	await a.close();
	return name;
}

async function sameSearches(a: DatabaseAdapter, b: DatabaseAdapter): Promise<void> {
	for (const seed of [5, 99, 321]) {
		const params = { tableName: "messages", count: 5 };
		const q = seededVector(seed, DIM);
		expect(await b.searchMemoriesByEmbedding(q, params)).toEqual(
			await a.searchMemoriesByEmbedding(q, params),
		);
	}
}

describe("agentmem export / import", () => {
	it("round-trips every record through a JSONL file with identical search results", async () => {
		const dir = tempDir();
		const source = await populated(dir);
		const exported = await runJson<{ file: string; records: number }>(
			["export", "dump.jsonl", "--url", `sqlite:./${source}`],
			dir,
		);
		const lines = readFileSync(join(dir, "dump.jsonl"), "utf8").trimEnd().split("\n");
		expect(lines).toHaveLength(exported.records + 2);
		expect(JSON.parse(lines[0] as string)).toMatchObject({
			format: "agentmem",
			version: 1,
			schemaVersion: Math.max(...migrations.map((m) => m.version)), // the SQLite family's latest
			embeddingDimension: DIM,
			embeddingModel: "fixture-model",
		});
		expect(JSON.parse(lines.at(-1) as string)).toEqual({ end: true, records: exported.records });
		const memoryLine = lines
			.map((l) => JSON.parse(l))
			.find((r) => r.kind === "memory" && r.embedding);
		expect(Buffer.from(memoryLine.embedding, "base64").byteLength).toBe(DIM * 4);

		const imported = await runJson<{ imported: Record<string, number> }>(
			["import", "dump.jsonl", "--url", "sqlite:./target.db"],
			dir,
		);
		expect(imported.imported.memory).toBe(601);
		const [a, b] = [await openFile(join(dir, source)), await openFile(join(dir, "target.db"))];
		expect(await collectRecords(b)).toEqual(await collectRecords(a));
		expect(await b.stats()).toEqual(await a.stats());
		await sameSearches(a, b);
		await a.close();
		await b.close();

		// Importing the same file again changes nothing.
		await runJson(["import", "dump.jsonl", "--url", "sqlite:./target.db"], dir);
		expect(await runJson(["stats", "--url", "sqlite:./target.db"], dir)).toMatchObject({
			memories: 601,
		});
	});

	it("exports to stdout when no file is given", async () => {
		const dir = tempDir();
		await runJson(["remember", "hello world"], dir);
		const r = await run(["export"], dir);
		expect(r.code).toBe(0);
		const lines = r.stdout
			.trimEnd()
			.split("\n")
			.map((l) => JSON.parse(l));
		expect(lines[0]).toMatchObject({ format: "agentmem", embeddingDimension: 384 });
		expect(lines.filter((l) => l.kind === "memory")).toHaveLength(1);
		expect(lines.at(-1)).toMatchObject({ end: true });
	});

	describe("refuses a damaged file, naming the line, and leaves the target unchanged", () => {
		async function prepare() {
			const dir = tempDir();
			const source = await populated(dir);
			await runJson(["export", "dump.jsonl", "--url", `sqlite:./${source}`], dir);
			// The target holds other records of the same model: any partial import would show.
			const target = new SqliteDatabaseAdapter({
				path: join(dir, "target.db"),
				embeddingDimension: DIM,
				embeddingModel: "fixture-model",
			});
			await target.init();
			await target.createAccount({ id: crypto.randomUUID() as UUID, name: "T", username: "t" });
			await target.createRoom();
			await target.close();
			const text = readFileSync(join(dir, "dump.jsonl"), "utf8");
			const before = await collectRecordsOf(join(dir, "target.db"));
			const importBroken = async (content: string) => {
				writeFileSync(join(dir, "broken.jsonl"), content);
				const r = await run(["import", "broken.jsonl", "--url", "sqlite:./target.db"], dir);
				expect(await collectRecordsOf(join(dir, "target.db"))).toEqual(before);
				return r;
			};
			return { text, importBroken };
		}

		it("a file truncated at a line boundary", async () => {
			const { text, importBroken } = await prepare();
			const lines = text.trimEnd().split("\n");
			const r = await importBroken(`${lines.slice(0, 300).join("\n")}\n`);
			expect(r.code).toBe(1);
			expect(r.stderr).toMatch(
				/broken\.jsonl:300: the file ends after line 300 without its end line: it was truncated/,
			);
		});

		it("a file cut in the middle of a line", async () => {
			const { text, importBroken } = await prepare();
			const r = await importBroken(text.slice(0, Math.floor(text.length * 0.7)));
			expect(r.code).toBe(1);
			expect(r.stderr).toMatch(/broken\.jsonl:\d+: not valid JSON .*corrupted or was cut off/);
		});

		it("a corrupted record in the middle", async () => {
			const { text, importBroken } = await prepare();
			const lines = text.split("\n");
			lines[5] = (lines[5] as string).replace(/"id":"[^"]+"/, '"id":"not-a-uuid"');
			const r = await importBroken(lines.join("\n"));
			expect(r.code).toBe(1);
			expect(r.stderr).toMatch(/broken\.jsonl:6: \w+\.id: expected a UUID, got "not-a-uuid"/);
		});

		it("an embedding of the wrong length", async () => {
			const { text, importBroken } = await prepare();
			const lines = text.split("\n");
			const n = lines.findIndex(
				(l) => l.includes('"kind":"memory"') && l.includes('"embedding":"'),
			);
			lines[n] = (lines[n] as string).replace(
				/"embedding":"[^"]+"/,
				`"embedding":"${Buffer.from(new Float32Array([1, 2, 3]).buffer).toString("base64")}"`,
			);
			const r = await importBroken(lines.join("\n"));
			expect(r.code).toBe(1);
			expect(r.stderr).toContain(`broken.jsonl:${n + 1}: `);
			expect(r.stderr).toMatch(/embedding has 3 dimensions, but this database stores 8/);
		});

		it("a file that is not an export at all", async () => {
			const { importBroken } = await prepare();
			const r = await importBroken('{"hello":"world"}\n');
			expect(r.code).toBe(1);
			expect(r.stderr).toMatch(/broken\.jsonl:1: not an agentmem export/);
		});
	});

	it("exits 1 on a missing file and on a model mismatch", async () => {
		const dir = tempDir();
		const missing = await run(["import", "nope.jsonl"], dir);
		expect(missing.code).toBe(1);
		expect(missing.stderr).toContain("no such file: nope.jsonl");
		const source = await populated(dir);
		await runJson(["export", "dump.jsonl", "--url", `sqlite:./${source}`], dir);
		await runJson(["init", "--dimension", "8"], dir);
		const mismatch = await run(["import", "dump.jsonl"], dir);
		expect(mismatch.code).toBe(1);
		expect(mismatch.stderr).toMatch(/CONFIGURATION.*fixture-model/);
	});
});

async function collectRecordsOf(path: string): Promise<unknown[]> {
	const a = await openFile(path);
	try {
		return await collectRecords(a);
	} finally {
		await a.close();
	}
}

describe("agentmem copy", () => {
	it("copies sqlite → sqlite, verifies, and is idempotent when re-run", async () => {
		const dir = tempDir();
		const source = await populated(dir);
		const args = ["copy", "--from", `sqlite:./${source}`, "--to", "sqlite:./copy.db"];
		const first = await runJson<{
			ok: boolean;
			copied: Record<string, number>;
			check: Record<string, unknown>;
		}>(args, dir);
		expect(first.ok).toBe(true);
		expect(first.check).toMatchObject({ countsEqual: true, queriesEqual: true, queries: 5 });
		const second = await runJson<{ ok: boolean }>(args, dir);
		expect(second.ok).toBe(true);
		const [a, b] = [await openFile(join(dir, source)), await openFile(join(dir, "copy.db"))];
		expect(await collectRecords(b)).toEqual(await collectRecords(a));
		await sameSearches(a, b);
		await a.close();
		await b.close();
		const human = await run(args, dir);
		expect(human.stdout).toMatch(/Verified: counts equal; 5 sample searches identical\./);
	});

	it("reports a failed verification when the target held other records (exit 1)", async () => {
		const dir = tempDir();
		const source = await populated(dir);
		await runJson(["copy", "--from", `sqlite:./${source}`, "--to", "sqlite:./copy.db"], dir);
		const extra = await openFile(join(dir, "copy.db"));
		await extra.createRoom();
		await extra.close();
		const r = await run(["copy", "--from", `sqlite:./${source}`, "--to", "sqlite:./copy.db"], dir);
		expect(r.code).toBe(1);
		expect(r.stdout).toMatch(/counts DIFFER \(rooms: 3 → 4\)/);
	});

	const pgliteBuilt = existsSync(join(BIN, "../../backends/pglite/index.js"));
	it.runIf(pgliteBuilt)("copies sqlite → pglite → sqlite with verification", async () => {
		const dir = tempDir();
		const source = await populated(dir);
		const there = await runJson<{ ok: boolean }>(
			["copy", "--from", `sqlite:./${source}`, "--to", "pglite:./pg"],
			dir,
		);
		expect(there.ok).toBe(true);
		const back = await runJson<{ ok: boolean }>(
			["copy", "--from", "pglite:./pg", "--to", "sqlite:./back.db"],
			dir,
		);
		expect(back.ok).toBe(true);
		const [a, b] = [await openFile(join(dir, source)), await openFile(join(dir, "back.db"))];
		expect(await collectRecords(b)).toEqual(await collectRecords(a));
		await sameSearches(a, b);
		await a.close();
		await b.close();
	});
});
