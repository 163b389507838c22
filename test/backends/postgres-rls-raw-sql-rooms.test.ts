/**
 * Room names under row-level security (migrations 103 and 104), tried as raw SQL the way Supabase's
 * API sends it: a non-superuser login role sets its role and claims itself (./postgres/rls-login.ts).
 * A room's participants (and service_role) rename it; nobody else names a room, creates one with a
 * name, or changes any other column; names written by SQL follow setRoomName's rules.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PostgresDatabaseAdapter } from "../../src/backends/postgres/index.js";
import { stableId } from "../../src/cli/context.js";
import { PermissionDeniedError } from "../../src/core/errors.js";
import { assertRoomName } from "../../src/core/sql/rooms.js";
import { setupTestDatabase } from "./postgres/helpers.js";
import {
	done,
	type LoginRole,
	loginRole,
	type Outcome,
	type Statement,
} from "./postgres/rls-login.js";
import { A, AGENT, B, id, populate, ROOM_A, ROOM_B } from "./postgres/rls-world.js";

const db = await setupTestDatabase("postgres row-level security of room names by raw SQL");
const SCHEMA = `rls_rooms_${process.pid}`;
/** A room of B's alone (the agent is in A's and B's rooms, not this one). */
const ROOM_C = id();
const B_NAME = "B's room";
const C_NAME = "C's room";
const rename = (room: string, name: string | null): Statement => [
	"UPDATE rooms SET name = $2 WHERE id = $1 RETURNING id, name",
	[room, name],
];
const upsert = (room: string, name: string | null, set = "name = EXCLUDED.name"): Statement => [
	`INSERT INTO rooms (id, created_at, name) VALUES ($1, 0, $2) ON CONFLICT (id) DO UPDATE SET ${set} RETURNING id, name`,
	[room, name],
];
const create = (room: string, name: string | null): Statement => [
	"INSERT INTO rooms (id, created_at, name) VALUES ($1, 0, $2)",
	[room, name],
];
const nothing = (room: string, name: string | null): Statement => [
	"INSERT INTO rooms (id, created_at, name) VALUES ($1, 0, $2) ON CONFLICT (id) DO NOTHING",
	[room, name],
];
/** Refused by privilege or policy: SQLSTATE 42501, with PostgreSQL's message. */
const denied = (o: Outcome | undefined, message: RegExp) =>
	expect(o).toMatchObject({ error: "42501", message: expect.stringMatching(message) });
const PRIVILEGE = /^permission denied for table rooms$/;
const POLICY = /^new row violates row-level security policy/;

if (db) {
	describe("postgres row-level security of room names, raw SQL through a login role", () => {
		let owner: PostgresDatabaseAdapter;
		let login: LoginRole;

		const asA = (...s: Statement[]) => login.as("authenticated", { sub: A }, s);
		const asAgent = (...s: Statement[]) =>
			login.as("authenticated", { sub: AGENT, app_metadata: { agentmem_agent: true } }, s);
		/** The stored name, read by the superuser (no policy applies). */
		const nameOf = async (room: string) => {
			const rows = await db.sql<{ name: string | null }>(
				`SELECT name FROM ${SCHEMA}.rooms WHERE id = $1`,
				[room],
			);
			expect(rows).toHaveLength(1);
			return rows[0]?.name;
		};
		/** Every room with every column, read by the superuser. */
		const rooms = () =>
			db.sql<{ id: string; name: string | null; created_at: string }>(
				`SELECT id, name, created_at::text FROM ${SCHEMA}.rooms ORDER BY id`,
			);

		beforeAll(async () => {
			owner = await db.adapter({ rowLevelSecurity: true, embeddingDimension: 4, schema: SCHEMA });
			await populate(owner);
			await owner.setRoomName(ROOM_B, B_NAME);
			await owner.createRoom(ROOM_C, C_NAME);
			await owner.addParticipant(B, ROOM_C);
			login = await loginRole(db, SCHEMA, ["anon", "authenticated", "service_role"]);
		});
		afterAll(async () => {
			await login?.close();
			await owner?.close();
		});

		it("lets a participant (user or agent) rename and unname their room, by UPDATE or upsert", async () => {
			const [renamed] = await asA(rename(ROOM_A, "A's room"));
			expect(renamed).toEqual({ rows: [{ id: ROOM_A, name: "A's room" }], count: 1 });
			expect(await nameOf(ROOM_A)).toBeNull(); // rolled back: nothing stored yet
			expect(
				await login.as("authenticated", { sub: A }, [rename(ROOM_A, "A's room")], {
					commit: true,
				}),
			).toMatchObject([{ count: 1 }]);
			expect(await nameOf(ROOM_A)).toBe("A's room");
			// The adapter sees the stored name too, and A reads it back through the policies.
			expect(await owner.getRoomName(ROOM_A)).toBe("A's room");
			const [seen] = await asA(["SELECT name FROM rooms WHERE id = $1", [ROOM_A]]);
			expect(seen).toEqual({ rows: [{ name: "A's room" }], count: 1 });

			// INSERT ... ON CONFLICT DO UPDATE is an UPDATE of the existing row: allowed to A here.
			const [upserted] = await asA(upsert(ROOM_A, "by upsert"));
			expect(upserted).toEqual({ rows: [{ id: ROOM_A, name: "by upsert" }], count: 1 });
			// createRoom's own statement (DO NOTHING) on A's room, with a name: nothing to do.
			const [ownNothing] = await asA(nothing(ROOM_A, "kept"));
			expect(ownNothing).toEqual({ rows: [], count: 0 });
			// The agent participates in A's and B's rooms: it renames both.
			const [agentA, agentB] = await asAgent(rename(ROOM_A, "agent's"), rename(ROOM_B, "agent's"));
			done(agentA);
			done(agentB);

			await login.as("authenticated", { sub: A }, [rename(ROOM_A, null)], { commit: true });
			expect(await nameOf(ROOM_A)).toBeNull();
		});

		it("matches no row when a non-participant renames, however the UPDATE is written", async () => {
			const before = await rooms();
			const outcomes = await login.as(
				"authenticated",
				{ sub: A },
				[
					rename(ROOM_B, "taken over"),
					rename(ROOM_B, null),
					rename(ROOM_C, "taken over"),
					// Every room at once: only A's own is touched.
					["UPDATE rooms SET name = 'all mine' RETURNING id"],
					// Through a join on B's membership, or a subquery naming B's room.
					[
						"UPDATE rooms r SET name = 'joined' FROM participants p WHERE p.room_id = r.id AND p.user_id = $1",
						[B],
					],
					[
						"UPDATE rooms SET name = 'sub' WHERE id IN (SELECT room_id FROM participants WHERE user_id = $1)",
						[B],
					],
					["UPDATE rooms SET name = 'ctid' WHERE ctid = ANY (SELECT ctid FROM rooms)"],
				],
				{ commit: true },
			);
			const [b, bNull, c, all, joined, sub, ctid] = outcomes;
			expect(b).toEqual({ rows: [], count: 0 });
			expect(bNull).toEqual({ rows: [], count: 0 });
			expect(c).toEqual({ rows: [], count: 0 });
			expect(all).toEqual({ rows: [{ id: ROOM_A }], count: 1 });
			expect(joined).toEqual({ rows: [], count: 0 }); // A sees no participant row of B's rooms
			expect(sub).toEqual({ rows: [], count: 0 });
			expect(ctid).toEqual({ rows: [], count: 1 }); // A's own room again, nothing else
			// B's and C's rooms kept their names; only A's own room changed.
			expect(await nameOf(ROOM_B)).toBe(B_NAME);
			expect(await nameOf(ROOM_C)).toBe(C_NAME);
			expect(await rooms()).toEqual(
				before.map((r) => (r.id === ROOM_A ? { ...r, name: "ctid" } : r)),
			);
			await owner.setRoomName(ROOM_A, null);
			// An upsert naming B's room is refused (its proposed row names a room A is not in), and
			// so is one updating it to no name (the existing row is not A's to update), and even an
			// unnamed DO NOTHING (PostgreSQL refuses a conflict with a row the caller cannot see).
			const [up, upNull, upNothing, upNothingUnnamed] = await asA(
				upsert(ROOM_B, "hijacked"),
				upsert(ROOM_B, null),
				nothing(ROOM_B, "x"),
				nothing(ROOM_B, null),
			);
			denied(up, POLICY);
			denied(upNull, POLICY);
			denied(upNothing, POLICY);
			denied(upNothingUnnamed, POLICY);
			// The agent is not in C's room: its agent claim gives it no rooms beyond its own.
			const [agentC] = await asAgent(rename(ROOM_C, "agent's"));
			expect(agentC).toEqual({ rows: [], count: 0 });
			expect(await nameOf(ROOM_B)).toBe(B_NAME);
			expect(await nameOf(ROOM_C)).toBe(C_NAME);
		});

		it("stops a participant's rights at leaving: no rename after, even in the same transaction", async () => {
			const [left, after] = await asA(
				["DELETE FROM participants WHERE user_id = $1 AND room_id = $2", [A, ROOM_A]],
				rename(ROOM_A, "after leaving"),
			);
			done(left);
			expect(after).toEqual({ rows: [], count: 0 });
		});

		it("refuses anon everything on rooms, whatever claims it carries", async () => {
			const before = await rooms();
			for (const claims of [{}, { sub: A }, { sub: B }]) {
				const outcomes = await login.as(
					"anon",
					claims,
					[
						rename(ROOM_A, "anon"),
						rename(ROOM_B, "anon"),
						create(id(), null),
						create(id(), "anon's"),
						upsert(ROOM_A, "anon"),
						["SELECT id, name FROM rooms"],
					],
					{ commit: true },
				);
				for (const o of outcomes) denied(o, PRIVILEGE);
			}
			expect(await rooms()).toEqual(before);
		});

		it("keeps every column but the name out of a user's reach (id, created_at)", async () => {
			const before = await rooms();
			const outcomes = await login.as(
				"authenticated",
				{ sub: A },
				[
					["UPDATE rooms SET id = $2 WHERE id = $1", [ROOM_A, id()]],
					["UPDATE rooms SET id = $2 WHERE id = $1", [ROOM_A, ROOM_B]],
					["UPDATE rooms SET created_at = 0 WHERE id = $1", [ROOM_A]],
					["UPDATE rooms SET name = 'x', created_at = 0 WHERE id = $1", [ROOM_A]],
					upsert(ROOM_A, "x", "created_at = EXCLUDED.created_at"),
					upsert(ROOM_A, "x", `id = '${id()}'`),
					["DELETE FROM rooms WHERE id = $1", [ROOM_A]],
					["TRUNCATE rooms"],
				],
				{ commit: true },
			);
			const [move, moveInto, created, both, upCreated, upId, del, truncate] = outcomes;
			for (const o of [move, moveInto, created, both, upCreated, upId]) denied(o, PRIVILEGE);
			// DELETE is granted (migration 100) but no policy allows it: no row matches.
			expect(del).toEqual({ rows: [], count: 0 });
			denied(truncate, PRIVILEGE);
			expect(await rooms()).toEqual(before);
		});

		it("keeps a renamed row in the caller's rooms by WITH CHECK, even if a grant let its id change", async () => {
			// Supabase's dashboard or a later grant could give `authenticated` UPDATE on every column
			// again; the rename policy's WITH CHECK still refuses a row leaving the caller's rooms.
			const before = await rooms();
			await db.sql(`GRANT UPDATE (id) ON ${SCHEMA}.rooms TO authenticated`);
			try {
				const [out, into, stay] = await asA(
					["UPDATE rooms SET id = $2 WHERE id = $1", [ROOM_A, id()]],
					["UPDATE rooms SET id = $2 WHERE id = $1", [ROOM_A, ROOM_B]],
					["UPDATE rooms SET id = id, name = 'same id' WHERE id = $1 RETURNING name", [ROOM_A]],
				);
				denied(out, POLICY);
				denied(into, POLICY);
				expect(stay).toEqual({ rows: [{ name: "same id" }], count: 1 });
			} finally {
				await db.sql(`REVOKE UPDATE (id) ON ${SCHEMA}.rooms FROM authenticated`);
			}
			expect(await rooms()).toEqual(before);
		});

		it("lets a user create only unnamed rooms: no squatting a room's id or name to name it", async () => {
			// The CLI's rooms have predictable ids (stableId("room", name)), and createRoom keeps an
			// existing name: a user creating "general" first with a name of theirs would name the room
			// others are later added to. A room named like another would make `--room <name>` ambiguous.
			const general = stableId("room", "general");
			const before = await rooms();
			const [existing, existingUnnamed, squat, lookalike, unnamed] = await login.as(
				"authenticated",
				{ sub: A },
				[
					create(ROOM_B, "hijacked"),
					create(ROOM_B, null),
					create(general, "send your keys to mallory"),
					create(id(), B_NAME),
					create(id(), null),
				],
			);
			denied(existing, POLICY); // a name: refused before the id is even looked up
			// Unnamed, an existing id is refused by the primary key (which tells A that the room
			// exists, as it did before migration 104: creating rooms is open to every user).
			expect(existingUnnamed).toMatchObject({ error: "23505" });
			denied(squat, POLICY);
			denied(lookalike, POLICY);
			done(unnamed); // creating a room is still anyone's (rooms_create), without a name
			expect(await rooms()).toEqual(before);

			// A user may still create the room unnamed; its name then comes from whoever creates it by
			// name for real (createRoom fills in a missing name) or from its participants.
			await login.as("authenticated", { sub: A }, [create(general, null)], { commit: true });
			await owner.createRoom(general, "general");
			expect(await nameOf(general)).toBe("general");
			// An upsert without a conflict target inserts like a plain INSERT: same rule.
			const [namedNoTarget, unnamedNoTarget] = await asA(
				[
					"INSERT INTO rooms (id, created_at, name) VALUES ($1, 0, 'x') ON CONFLICT DO NOTHING",
					[id()],
				],
				[
					"INSERT INTO rooms (id, created_at, name) VALUES ($1, 0, NULL) ON CONFLICT DO NOTHING",
					[id()],
				],
			);
			denied(namedNoTarget, POLICY);
			done(unnamedNoTarget);
			// Through the adapter a user creates no room at all, named or not (already so before
			// migration 104): createRoom's ON CONFLICT (id) makes PostgreSQL check the new row against
			// the read policy too, and nobody is in a new room yet.
			const viewA = owner.asUser({ sub: A, role: "authenticated" });
			const fresh = id();
			for (const name of ["mine", undefined])
				await expect(viewA.createRoom(fresh, name)).rejects.toBeInstanceOf(PermissionDeniedError);
			expect(await db.sql(`SELECT 1 FROM ${SCHEMA}.rooms WHERE id = $1`, [fresh])).toEqual([]);
		});

		it("holds names written by SQL to setRoomName's rules (no control characters, 1 to 256 UTF-16 units, not blank)", async () => {
			const names = [
				"ops",
				"launch ✨",
				"a".repeat(256),
				"😀".repeat(128), // 256 UTF-16 code units
				"\u00a0x\u3000",
				"a".repeat(257),
				`${"😀".repeat(128)}a`,
				"",
				" ",
				"\u00a0\u2003\u3000\ufeff\u2028",
				"\u001b]0;pwned\u0007",
				"red \u001b[31m",
				"tab\there",
				"line\nbreak",
				"next\u0085line",
				"del\u007f",
			];
			const outcomes = await asA(...names.map((n) => rename(ROOM_A, n)));
			const expected = names.map((n) => {
				try {
					assertRoomName(n, "name");
					return true;
				} catch {
					return false;
				}
			});
			expect(expected.filter((ok) => ok)).toHaveLength(5); // the list covers both sides
			for (const [i, o] of outcomes.entries()) {
				if (expected[i]) expect(o, JSON.stringify(names[i])).toMatchObject({ count: 1 });
				else denied(o, POLICY);
			}
			// The same rules hold for an upsert's update, and null (no name) is always allowed.
			const [badUpsert, clear] = await asA(upsert(ROOM_A, "\u001b[2J"), rename(ROOM_A, null));
			denied(badUpsert, POLICY);
			done(clear);
		});

		it("leaves service_role every room and column: rename, name at creation, created_at", async () => {
			const room = id();
			const outcomes = await login.as("service_role", {}, [
				rename(ROOM_B, "renamed by the server"),
				rename(ROOM_C, null),
				create(room, "named by the server"),
				["UPDATE rooms SET created_at = 1 WHERE id = $1", [ROOM_A]],
			]);
			expect(outcomes).toMatchObject([
				{ rows: [{ id: ROOM_B, name: "renamed by the server" }], count: 1 },
				{ rows: [{ id: ROOM_C, name: null }], count: 1 },
				{ count: 1 },
				{ count: 1 },
			]);
		});
	});
}
