/**
 * Same input, same outcome on every backend (DESIGN.md "Data rules"), generated: a memory's content
 * and an account's details either read back as JSON.stringify's data, or are refused with a
 * ValidationError, identically on SQL.js, SQLite, PGlite and (when AGENTMEM_TEST_POSTGRES_URL
 * reaches one) PostgreSQL. Ids given in upper case are found in lower case. One adapter per
 * backend, reused across runs.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteDatabaseAdapter } from "../../src/backends/sqlite/index.js";
import { SqlJsDatabaseAdapter } from "../../src/backends/sqljs/index.js";
import type { DatabaseAdapter } from "../../src/core/adapter.js";
import type { UUID } from "../../src/core/types.js";
import { account, makeWorld, memory, newId, type World } from "../conformance/fixtures.js";
import { sharedPGlite } from "./pglite/shared-instance.js";
import { setupTestDatabase } from "./postgres/helpers.js";

const DIM = 8;
const pglite = sharedPGlite();
const postgres = await setupTestDatabase("json round trip on PostgreSQL");

interface Backend {
	name: string;
	adapter: DatabaseAdapter;
	world: World;
}

const backends: Backend[] = [];

beforeAll(async () => {
	const opened: [string, DatabaseAdapter][] = [];
	const sqljs = new SqlJsDatabaseAdapter({ embeddingDimension: DIM });
	await sqljs.init();
	opened.push(["sqljs", sqljs]);
	const sqlite = new SqliteDatabaseAdapter({ path: ":memory:", embeddingDimension: DIM });
	await sqlite.init();
	opened.push(["sqlite", sqlite]);
	opened.push(["pglite", await pglite.adapter({ embeddingDimension: DIM })]);
	if (postgres) opened.push(["postgres", await postgres.adapter({ embeddingDimension: DIM })]);
	for (const [name, adapter] of opened) {
		backends.push({ name, adapter, world: await makeWorld(adapter) });
	}
}, 120_000);

afterAll(async () => {
	for (const b of backends) await b.adapter.close();
});

const text = fc.oneof(
	fc.string(),
	fc.string({ unit: "binary", maxLength: 8 }),
	fc.constantFrom(
		"",
		"\uD800",
		"a\uDC00b",
		"\u0000",
		"😀",
		"עברית",
		"e\u0301",
		"\uFFFF",
		"\\",
		'"',
	),
);
const leaf = fc.oneof(
	text,
	fc.double(),
	fc.integer(),
	fc.boolean(),
	fc.constant(null),
	fc.constant(undefined),
	fc.constant(() => 1),
	fc.constant(Symbol("s")),
	fc.constant(10n),
	fc.date({ noInvalidDate: true }),
);
const tree = fc.letrec((tie) => ({
	any: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("array"), tie("object")),
	array: fc.sparseArray(tie("any"), { maxLength: 4 }),
	object: fc.dictionary(text, tie("any"), { maxKeys: 4 }),
})).any;
const content = fc.record({ text: fc.string(), extra: tree });

type Outcome = { ok: unknown } | { error: string };

async function outcome(run: () => Promise<unknown>): Promise<Outcome> {
	try {
		return { ok: await run() };
	} catch (err) {
		return { error: (err as Error).constructor.name };
	}
}

/** The same outcome on every backend: JSON.stringify's data, or the same error class. */
async function sameEverywhere(run: (b: Backend) => Promise<unknown>): Promise<Outcome> {
	const outcomes = [];
	for (const b of backends) outcomes.push({ backend: b.name, ...(await outcome(() => run(b))) });
	const first = outcomes[0];
	for (const o of outcomes.slice(1)) {
		expect({ ...o, backend: first?.backend }).toEqual(first);
	}
	return first as Outcome;
}

describe("JSON round trip on every backend, generated", () => {
	it("content: stored and read back as JSON.stringify's data, or refused alike", async () => {
		await fc.assert(
			fc.asyncProperty(content, fc.boolean(), async (c, upper) => {
				const id = newId();
				const given = (upper ? id.toUpperCase() : id) as UUID;
				const result = await sameEverywhere(async (b) => {
					await b.adapter.createMemory(memory(b.world, { id: given, content: c }), "messages");
					const read = await b.adapter.getMemoryById(id);
					return { id: read?.id, content: read?.content };
				});
				let expected: unknown;
				try {
					expected = JSON.parse(JSON.stringify(c));
				} catch {
					expected = undefined; // BigInt or a cycle: JSON.stringify throws
				}
				if ("ok" in result) expect(result.ok).toEqual({ id, content: expected });
				else expect(result.error).toBe("ValidationError");
			}),
			{ numRuns: 60 },
		);
	}, 240_000);

	it("account details: stored and read back alike, or refused alike", async () => {
		await fc.assert(
			fc.asyncProperty(fc.dictionary(text, tree, { maxKeys: 3 }), async (details) => {
				const id = newId();
				const result = await sameEverywhere(async (b) => {
					await b.adapter.createAccount(account({ id: id.toUpperCase() as UUID, details }));
					return (await b.adapter.getAccountById(id))?.details;
				});
				if ("ok" in result) expect(result.ok).toEqual(JSON.parse(JSON.stringify(details)));
			}),
			{ numRuns: 40 },
		);
	}, 240_000);
});
