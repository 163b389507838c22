/**
 * Rows an older agentmem wrote on SQLite with array holes as nothing (`[1,,3]`, issue 12 point 10)
 * read back as JSON.stringify would have written them, on every read path, instead of throwing a
 * raw SyntaxError.
 */
import Database from "better-sqlite3";
import { afterEach, expect, it } from "vitest";
import { SqliteDatabaseAdapter } from "../../src/backends/sqlite/index.js";
import { axis, makeWorld, memory } from "../conformance/fixtures.js";

const open: { adapter: SqliteDatabaseAdapter; db: Database.Database }[] = [];
afterEach(async () => {
	for (const { adapter, db } of open.splice(0)) {
		await adapter.close();
		db.close();
	}
});

it("reads content, details and objectives stored with array holes", async () => {
	const db = new Database(":memory:");
	const adapter = new SqliteDatabaseAdapter({ database: db, embeddingDimension: 8 });
	open.push({ adapter, db });
	await adapter.init();
	const w = await makeWorld(adapter);
	const m = memory(w, { embedding: axis(8, 0) });
	await adapter.createMemory(m, "messages");
	await adapter.createGoal({
		roomId: w.roomId,
		userId: w.userId,
		name: "g",
		status: "IN_PROGRESS",
		objectives: [],
	});
	// What the old serialiser wrote for { text: "hi", a: [1, , 3] } and friends.
	db.prepare("UPDATE memories SET content = ? WHERE id = ?").run('{"text":"hi","a":[1,,3]}', m.id);
	db.prepare("UPDATE accounts SET details = ? WHERE id = ?").run('{"list":[,"x",]}', w.agentId);
	db.prepare("UPDATE goals SET objectives = ?").run(
		'[{"description":"o","completed":false,"t":[,]}]',
	);

	const expected = { text: "hi", a: [1, null, 3] };
	expect((await adapter.getMemoryById(m.id))?.content).toEqual(expected);
	expect(
		(await adapter.getMemories({ roomId: w.roomId, tableName: "messages" }))[0]?.content,
	).toEqual(expected);
	expect(
		(await adapter.searchMemoriesByEmbedding(axis(8, 0), { tableName: "messages" }))[0]?.content,
	).toEqual(expected);
	expect((await adapter.getAccountById(w.agentId))?.details).toEqual({ list: [null, "x", null] });
	expect((await adapter.getGoals({ roomId: w.roomId }))[0]?.objectives[0]).toMatchObject({
		t: [null, null],
	});
	const exported = [];
	for await (const r of adapter.exportRecords()) exported.push(r);
	expect(exported.find((r) => r.kind === "memory")).toMatchObject({ content: expected });
});
