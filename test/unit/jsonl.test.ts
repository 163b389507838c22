/** The JSONL export format in-process: round trip, and strict refusal of damaged files. */
import { createWriteStream, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/core/errors.js";
import type { PortableRecord } from "../../src/core/portable-types.js";
import { checkJsonl, readJsonl, writeJsonl } from "../../src/portable/jsonl.js";
import { fixedId } from "../support/every-kind.js";

const records: PortableRecord[] = [
	{ kind: "database", schemaVersion: 1, embeddingDimension: 3, embeddingModel: "m" },
	{
		kind: "account",
		id: fixedId(1),
		name: "A",
		username: "a",
		email: null,
		avatarUrl: null,
		details: { x: 1 },
		createdAt: 5,
	},
	{ kind: "room", id: fixedId(2), createdAt: 6 },
	{
		kind: "memory",
		id: fixedId(3),
		type: "messages",
		roomId: fixedId(2),
		agentId: fixedId(1),
		userId: fixedId(1),
		content: { text: "héllo ✓" },
		embedding: Float32Array.from([0.1, -2.5, 3e-8]),
		unique: false,
		createdAt: 7,
	},
	{ kind: "cache", agentId: fixedId(1), key: "k", value: "", createdAt: 8 },
];

async function writeFile(path: string): Promise<number> {
	const out = createWriteStream(path);
	async function* source() {
		yield* records;
	}
	const n = await writeJsonl(source(), out, new Date(0));
	out.end();
	await finished(out);
	return n;
}

async function readAll(path: string): Promise<PortableRecord[]> {
	const out: PortableRecord[] = [];
	for await (const r of readJsonl(path)) out.push(r);
	return out;
}

describe("JSONL export format", () => {
	it("round-trips records exactly, vectors bit for bit", async () => {
		const path = join(mkdtempSync(join(tmpdir(), "jsonl-")), "x.jsonl");
		expect(await writeFile(path)).toBe(4);
		const lines = readFileSync(path, "utf8").trimEnd().split("\n");
		expect(JSON.parse(lines[0] as string)).toEqual({
			format: "agentmem",
			version: 1,
			schemaVersion: 1,
			embeddingDimension: 3,
			embeddingModel: "m",
			createdAt: "1970-01-01T00:00:00.000Z",
		});
		expect(await readAll(path)).toEqual(records);
		expect(await checkJsonl(path)).toEqual({
			header: records[0],
			counts: { account: 1, room: 1, memory: 1, cache: 1 },
		});
	});

	it("refuses damaged files with the line number", async () => {
		const dir = mkdtempSync(join(tmpdir(), "jsonl-"));
		const good = join(dir, "good.jsonl");
		await writeFile(good);
		const lines = readFileSync(good, "utf8").trimEnd().split("\n");
		const cases: [string, RegExp][] = [
			["", /the file is empty/],
			[lines.slice(0, 3).join("\n"), /:3: .*truncated/],
			[[...lines, '{"kind":"room"}'].join("\n"), /:7: there is data after the end line/],
			[
				[...lines.slice(0, 5), '{"end":true,"records":9}'].join("\n"),
				/:6: the end line counts 9 records, but 4 were read/,
			],
			[
				lines
					.map((l, i) => (i === 3 ? l.replace(/"embedding":"[^"]+"/, '"embedding":"@@"') : l))
					.join("\n"),
				/:4: memory.embedding: expected null or base64/,
			],
			[
				lines.map((l, i) => (i === 0 ? l.replace('"version":1', '"version":2') : l)).join("\n"),
				/:1: export format version 2 is not supported/,
			],
			[lines.map((l, i) => (i === 2 ? "[1,2]" : l)).join("\n"), /:3: expected a JSON object/],
			[
				lines.map((l, i) => (i === 2 ? '{"kind":"planet","id":"x"}' : l)).join("\n"),
				/:3: record.kind: expected one of/,
			],
		];
		for (const [content, message] of cases) {
			const path = join(dir, "bad.jsonl");
			writeFileSync(path, content);
			const err = await checkJsonl(path).catch((e) => e);
			expect(err, message.source).toBeInstanceOf(ValidationError);
			expect(err.message, message.source).toMatch(message);
		}
	});
});
