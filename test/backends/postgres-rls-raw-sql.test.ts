/**
 * Row-level security tried as Supabase's API (PostgREST) or any SQL client uses it, not through the
 * adapter: a non-superuser LOGIN role (like Supabase's `authenticator`, granted `anon` and
 * `authenticated`) connects on a plain pg.Client, does `SET ROLE authenticated` and sets
 * `request.jwt.claims` itself (./postgres/rls-login.ts), then tries to move or create rows into
 * scopes it does not belong to. Each attempt runs in its own transaction, rolled back, so the world
 * stays as `populate` made it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PostgresDatabaseAdapter } from "../../src/backends/postgres/index.js";
import { rowLevelSecurityMigrations } from "../../src/backends/postgres/rls/rls-migration.js";
import { setupTestDatabase } from "./postgres/helpers.js";
import { done, type LoginRole, loginRole, refused, type Statement } from "./postgres/rls-login.js";
import {
	A,
	AGENT,
	B,
	CANARY,
	GOAL_B,
	id,
	MEM_A,
	MEM_B,
	populate,
	ROOM_A,
	ROOM_B,
} from "./postgres/rls-world.js";

const db = await setupTestDatabase("postgres row-level security by raw SQL");
const SCHEMA = `rls_raw_${process.pid}`;

if (db) {
	describe("postgres row-level security, raw SQL as authenticated through a login role", () => {
		let owner: PostgresDatabaseAdapter;
		let login: LoginRole;

		const as: LoginRole["as"] = (...args) => login.as(...args);
		const asA = (...statements: Statement[]) => as("authenticated", { sub: A }, statements);

		beforeAll(async () => {
			if (!db) return;
			owner = await db.adapter({ rowLevelSecurity: true, embeddingDimension: 4, schema: SCHEMA });
			await populate(owner);
			login = await loginRole(db, SCHEMA);
		});
		afterAll(async () => {
			await login?.close();
			await owner?.close();
		});

		it("refuses the participants exploit: moving one's own participant row into another room", async () => {
			const [move, read] = await asA(
				["UPDATE participants SET room_id = $1 WHERE user_id = $2", [ROOM_B, A]],
				["SELECT content->>'text' AS text FROM memories WHERE room_id = $1", [ROOM_B]],
			);
			refused(move);
			expect(JSON.stringify(read)).not.toContain(CANARY);
		});

		it("refuses joining a room by inserting or editing a participant row; leaves user_state editable", async () => {
			const [insert, reassign, state, leave, visible] = await asA(
				[
					"INSERT INTO participants (id, user_id, room_id, created_at) VALUES ($1, $2, $3, 0)",
					[id(), A, ROOM_B],
				],
				["UPDATE participants SET user_id = $1 WHERE user_id = $2", [B, A]],
				[
					"UPDATE participants SET user_state = 'MUTED' WHERE user_id = $1 AND room_id = $2",
					[A, ROOM_A],
				],
				["DELETE FROM participants WHERE user_id = $1 AND room_id = $2", [A, ROOM_A]],
				["SELECT user_id FROM participants WHERE room_id = $1 ORDER BY user_id", [ROOM_A]],
			);
			refused(insert);
			refused(reassign);
			done(state);
			done(leave);
			expect(visible).toMatchObject({ count: 0 }); // having left, A no longer sees the room
			// A sees who shares their room (the agent), and nothing of B's room.
			const [mine, theirs] = await asA(
				["SELECT user_id FROM participants WHERE room_id = $1 ORDER BY user_id", [ROOM_A]],
				["SELECT user_id FROM participants WHERE room_id = $1", [ROOM_B]],
			);
			expect(mine).toMatchObject({ rows: [A, AGENT].sort().map((u) => ({ user_id: u })) });
			expect(theirs).toMatchObject({ count: 0 });
		});

		it("keeps memories, goals and logs inside the rooms of their writer", async () => {
			const mine = id();
			const results = await asA(
				[
					"INSERT INTO memories (id, type, room_id, agent_id, user_id, content, created_at) VALUES ($1, 'messages', $2, $3, $4, '{}', 0)",
					[id(), ROOM_B, AGENT, A],
				],
				["UPDATE memories SET room_id = $1 WHERE id = $2", [ROOM_B, MEM_A]],
				['UPDATE memories SET content = \'{"text":"x"}\' WHERE id = $1', [MEM_B]],
				[
					"INSERT INTO memories (id, type, room_id, agent_id, user_id, content, created_at) VALUES ($1, 'messages', $2, $3, $4, '{}', 0)",
					[mine, ROOM_A, AGENT, A],
				],
				['UPDATE memories SET content = \'{"text":"edited"}\' WHERE id = $1', [MEM_A]],
				[
					"INSERT INTO goals (id, room_id, user_id, name, status, created_at) VALUES ($1, $2, $3, 'g', 'DONE', 0)",
					[id(), ROOM_B, A],
				],
				["UPDATE goals SET room_id = $1 WHERE room_id = $2", [ROOM_B, ROOM_A]],
				["UPDATE goals SET name = 'x' WHERE id = $1", [GOAL_B]],
				[
					"INSERT INTO goals (id, room_id, user_id, name, status, created_at) VALUES ($1, $2, $3, 'g', 'DONE', 0)",
					[id(), ROOM_A, A],
				],
				[
					"INSERT INTO logs (id, body, user_id, room_id, type, created_at) VALUES ($1, '{}', $2, $3, 'x', 0)",
					[id(), A, ROOM_B],
				],
				[
					"INSERT INTO logs (id, body, user_id, room_id, type, created_at) VALUES ($1, '{}', $2, $3, 'x', 0)",
					[id(), A, ROOM_A],
				],
			);
			const [memInto, memMove, memForeign, memOk, memEdit, goalInto, , goalForeign, goalOk] =
				results;
			refused(memInto);
			refused(memMove);
			refused(memForeign);
			done(memOk);
			done(memEdit);
			refused(goalInto);
			refused(goalForeign);
			done(goalOk);
			refused(results[9]);
			done(results[10]);
			// In one's own room, a user writes only in their own name (B never joined room A).
			const [memForged, goalForged, logForged, takeOver] = await asA(
				[
					"INSERT INTO memories (id, type, room_id, agent_id, user_id, content, created_at) VALUES ($1, 'messages', $2, $3, $4, '{}', 0)",
					[id(), ROOM_A, AGENT, B],
				],
				[
					"INSERT INTO goals (id, room_id, user_id, name, status, created_at) VALUES ($1, $2, $3, 'g', 'DONE', 0)",
					[id(), ROOM_A, B],
				],
				[
					"INSERT INTO logs (id, body, user_id, room_id, type, created_at) VALUES ($1, '{}', $2, $3, 'x', 0)",
					[id(), B, ROOM_A],
				],
				["UPDATE memories SET user_id = $1 WHERE id = $2", [B, MEM_A]],
			);
			refused(memForged);
			refused(goalForged);
			refused(logForged);
			refused(takeOver);
			// The move of A's goals (after A created one in its room) is refused as a whole.
			const [goalMove] = await asA(
				[
					"WITH g AS (INSERT INTO goals (id, room_id, user_id, name, status, created_at) VALUES ($1, $2, $3, 'g', 'DONE', 0) RETURNING id) SELECT id FROM g",
					[id(), ROOM_A, A],
				],
				["UPDATE goals SET room_id = $1 WHERE room_id = $2", [ROOM_B, ROOM_A]],
			).then((r) => r.slice(1));
			refused(goalMove);
		});

		it("lets a user read the subscribe outbox of their rooms only, and never write it", async () => {
			const mine = id();
			const events = "agentmem_memory_events";
			const [write, own, foreign, forged, edit, wipe] = await asA(
				[
					"INSERT INTO memories (id, type, room_id, agent_id, user_id, content, created_at) VALUES ($1, 'messages', $2, $3, $4, '{}', 0)",
					[mine, ROOM_A, AGENT, A],
				],
				[`SELECT memory_id FROM ${events} WHERE memory_id = $1`, [mine]],
				[`SELECT memory_id FROM ${events} WHERE room_id = $1 OR memory_id = $2`, [ROOM_B, MEM_B]],
				[
					`INSERT INTO ${events} (memory_id, type, room_id, agent_id, user_id, content, is_unique, created_at) VALUES ($1, 'messages', $2, $3, $4, '{}', true, 0)`,
					[id(), ROOM_A, AGENT, A],
				],
				[`UPDATE ${events} SET content = '{"text":"x"}' WHERE memory_id = $1`, [mine]],
				[`DELETE FROM ${events} WHERE memory_id = $1`, [mine]],
			);
			done(write);
			done(own); // the event of one's own write, in one's room
			done(foreign, 0); // room B's events exist (the owner wrote MEM_B) but are not A's to read
			refused(forged);
			refused(edit);
			refused(wipe);
			const [anon] = await as("anon", {}, [[`SELECT count(*) FROM ${events}`]]);
			refused(anon);
			const [{ count } = { count: "0" }] = await db.sql<{ count: string }>(
				`SELECT count(*)::text AS count FROM ${SCHEMA}.${events} WHERE memory_id = $1`,
				[MEM_B],
			);
			expect(count).toBe("1");
		});

		it("keeps relationships to their parties and their rooms", async () => {
			const [foreignPair, intoRoom, ok, okRoom] = await asA(
				[
					"INSERT INTO relationships (id, user_a, user_b, user_id, status, created_at) VALUES ($1, $2, $3, $2, 'FRIENDS', 0)",
					[id(), B, AGENT],
				],
				[
					"INSERT INTO relationships (id, user_a, user_b, user_id, room_id, status, created_at) VALUES ($1, $2, $3, $2, $4, 'FRIENDS', 0)",
					[id(), A, AGENT, ROOM_B],
				],
				[
					"INSERT INTO relationships (id, user_a, user_b, user_id, status, created_at) VALUES ($1, $2, $3, $2, 'FRIENDS', 0)",
					[id(), A, AGENT],
				],
				["UPDATE relationships SET room_id = $1 WHERE user_a = $2", [ROOM_A, A]],
			);
			refused(foreignPair);
			refused(intoRoom);
			done(ok);
			done(okRoom);
			const [moveRoom] = await asA(
				[
					"INSERT INTO relationships (id, user_a, user_b, user_id, status, created_at) VALUES ($1, $2, $3, $2, 'FRIENDS', 0)",
					[id(), A, AGENT],
				],
				["UPDATE relationships SET room_id = $1 WHERE user_a = $2", [ROOM_B, A]],
				["UPDATE relationships SET user_a = $1 WHERE user_a = $2", [B, A]],
			).then((r) => r.slice(1));
			refused(moveRoom);
		});

		it("lets only agents write knowledge, their own, and no user create shared knowledge", async () => {
			const insert = (agent: string, shared: boolean) =>
				[
					'INSERT INTO knowledge (id, agent_id, content, is_shared, created_at) VALUES ($1, $2, \'{"text":"k"}\', $3, 0)',
					[id(), agent, shared],
				] as [string, unknown[]];
			const [userOwn, userShared] = await asA(insert(A, false), insert(A, true));
			refused(userOwn);
			refused(userShared);
			const agent = { sub: AGENT, app_metadata: { agentmem_agent: true } };
			const [own, shared, foreign, handOver] = await as("authenticated", agent, [
				insert(AGENT, false),
				insert(AGENT, true),
				insert(B, false),
				["UPDATE knowledge SET agent_id = $1 WHERE agent_id = $2", [B, AGENT]],
			]);
			done(own);
			done(shared);
			refused(foreign);
			refused(handOver);
			// A claim the user could set themselves (user_metadata) does not make an agent.
			const [fake] = await as(
				"authenticated",
				{ sub: A, user_metadata: { agentmem_agent: true }, agentmem_agent: true },
				[insert(A, true)],
			);
			refused(fake);
		});

		it("keeps cache entries to their agent", async () => {
			const [foreign, own, handOver] = await asA(
				["INSERT INTO cache (agent_id, key, value, created_at) VALUES ($1, 'k2', 'v', 0)", [B]],
				["INSERT INTO cache (agent_id, key, value, created_at) VALUES ($1, 'k2', 'v', 0)", [A]],
				["UPDATE cache SET agent_id = $1 WHERE agent_id = $2", [B, A]],
			);
			refused(foreign);
			done(own);
			refused(handOver);
		});

		it("shows an account to itself and to users sharing a room with it; anon reads no account", async () => {
			const [seen, email] = await asA(
				["SELECT id FROM accounts ORDER BY id"],
				["UPDATE accounts SET email = 'x@example.com' WHERE id = $1", [B]],
			);
			expect(seen).toMatchObject({ rows: [A, AGENT].sort().map((u) => ({ id: u })) });
			refused(email);
			const [anon] = await as("anon", {}, [["SELECT id, email, details FROM accounts"]]);
			refused(anon); // permission denied, or no rows
			if (!("error" in (anon ?? { error: "" }))) expect(anon).toMatchObject({ rows: [] });
			const [anonMemories] = await as("anon", {}, [["SELECT id FROM memories"]]);
			refused(anonMemories);
		});

		it("applies the fixed policies to a database created with the first ones (migration 100)", async () => {
			if (!db) return;
			// Make the schema what an older agentmem left: migration 100's policies, nothing after.
			const schema = `${SCHEMA}_old`;
			const old = await db.adapter({ rowLevelSecurity: true, embeddingDimension: 4, schema });
			await populate(old);
			await old.close();
			const [first] = rowLevelSecurityMigrations;
			await db.sql(`SET search_path = ${schema}, public;
				DO $$ DECLARE p record; BEGIN
				  FOR p IN SELECT policyname, tablename FROM pg_policies WHERE schemaname = '${schema}' LOOP
				    EXECUTE format('DROP POLICY %I ON %I', p.policyname, p.tablename);
				  END LOOP; END $$;
				DROP VIEW IF EXISTS agentmem_room_members;
				DELETE FROM agentmem_migrations WHERE version > 100;
				${first?.sql}
				SET search_path = public;`);
			const exploit = async () => {
				await login.client.query(`SET search_path = ${schema}, public`);
				try {
					return await asA([
						"UPDATE participants SET room_id = $1 WHERE user_id = $2",
						[ROOM_B, A],
					]);
				} finally {
					await login.client.query(`SET search_path = ${SCHEMA}, public`);
				}
			};
			expect(await exploit()).toMatchObject([{ count: 1 }]); // the hole of the old version
			const upgraded = await db.adapter({ rowLevelSecurity: true, embeddingDimension: 4, schema });
			const again = await db.adapter({ rowLevelSecurity: true, embeddingDimension: 4, schema });
			await again.close();
			await upgraded.close();
			refused((await exploit())[0]);
		});
	});
}
