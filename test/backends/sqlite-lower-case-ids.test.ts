/**
 * A SQLite database written before ids were normalised (issue 12 point 13) may hold upper-case ids,
 * which lower-case lookups no longer find: migration 002 lower-cases them (keeping foreign keys and
 * the vec0 index consistent), and an upper-case duplicate of an existing row is left alone.
 */
import Database from "better-sqlite3";
import { expect, it } from "vitest";
import type { UUID } from "../../src/core/types.js";
import { account, axis, makeWorld, memory, newId } from "../conformance/fixtures.js";
import { adapterOpener, tempFiles } from "./sqlite/harness.js";

const files = tempFiles("sqlite-lower-case-ids");
const openAdapter = adapterOpener({ embeddingDimension: 8 });

/** Every id column, as the old behaviour could have stored it. */
const TO_UPPER = [
	"UPDATE accounts SET id = upper(id)",
	"UPDATE rooms SET id = upper(id)",
	"UPDATE participants SET id = upper(id), user_id = upper(user_id), room_id = upper(room_id)",
	"UPDATE memories SET id = upper(id), room_id = upper(room_id), agent_id = upper(agent_id), user_id = upper(user_id)",
	"UPDATE goals SET id = upper(id), room_id = upper(room_id), user_id = upper(user_id)",
	"UPDATE relationships SET id = upper(id), user_a = upper(user_a), user_b = upper(user_b), user_id = upper(user_id)",
	"UPDATE logs SET id = upper(id), room_id = upper(room_id), user_id = upper(user_id)",
	"UPDATE cache SET agent_id = upper(agent_id)",
	"UPDATE knowledge SET id = upper(id), agent_id = upper(agent_id)",
];

it("lower-cases ids an older version stored in upper case, keeping references and search", async () => {
	const path = files.file();
	let a = await openAdapter({ path });
	const w = await makeWorld(a);
	const m = memory(w, { embedding: axis(8, 2) });
	await a.createMemory(m, "messages");
	await a.createGoal({
		roomId: w.roomId,
		userId: w.userId,
		name: "g",
		status: "DONE",
		objectives: [],
	});
	await a.createRelationship({ userA: w.userId, userB: w.agentId });
	await a.log({ body: {}, userId: w.userId, roomId: w.roomId, type: "t" });
	await a.setCache({ agentId: w.agentId, key: "k", value: "v" });
	const kId = newId();
	await a.createKnowledge({ id: kId, agentId: w.agentId, content: { text: "k" } });
	const before = await a.stats();
	await a.close();

	// The database as an older version could have left it, with the migration not yet applied.
	const db = new Database(path);
	db.pragma("foreign_keys = OFF");
	for (const sql of TO_UPPER) db.exec(sql);
	// A duplicate the old behaviour let in: an upper-case twin of an existing (lower-case) account.
	const twin = newId();
	db.prepare(
		"INSERT INTO accounts (id, name, username, details, created_at) VALUES (?, 'low', 'low', '{}', 1), (?, 'UP', 'UP', '{}', 1)",
	).run(twin, twin.toUpperCase());
	db.exec("DELETE FROM agentmem_migrations WHERE version = 2");
	db.close();

	a = await openAdapter({ path });
	expect(await a.stats()).toEqual({ ...before, accounts: before.accounts + 2 });
	expect((await a.getAccountById(w.userId))?.id).toBe(w.userId);
	expect(await a.getRoom(w.roomId)).toBe(w.roomId);
	expect((await a.getParticipantsForRoom(w.roomId)).sort()).toEqual([w.agentId, w.userId].sort());
	expect(await a.getMemoryById(m.id)).toMatchObject({
		id: m.id,
		roomId: w.roomId,
		agentId: w.agentId,
		userId: w.userId,
	});
	const found = await a.searchMemoriesByEmbedding(axis(8, 2), {
		tableName: "messages",
		roomId: w.roomId,
	});
	expect(found.map((r) => r.id)).toEqual([m.id]);
	expect((await a.getGoals({ roomId: w.roomId, userId: w.userId }))[0]?.roomId).toBe(w.roomId);
	expect(await a.getRelationship({ userA: w.userId, userB: w.agentId })).not.toBeNull();
	expect(await a.getCache({ agentId: w.agentId, key: "k" })).toBe("v");
	expect((await a.getKnowledge({ agentId: w.agentId, id: kId }))[0]?.id).toBe(kId);
	expect((await a.getAccountById(twin))?.name).toBe("low");
	// Writes now meet the lower-case rows: no duplicate.
	expect(await a.createAccount(account({ id: w.userId.toUpperCase() as UUID }))).toBe(false);
	await a.close();

	const check = new Database(path, { readonly: true });
	expect(check.pragma("foreign_key_check")).toEqual([]);
	expect(check.prepare("SELECT id FROM accounts WHERE id <> lower(id)").all()).toEqual([
		{ id: twin.toUpperCase() },
	]);
	check.close();
});
