/**
 * Supabase-compatible row-level security on the real PostgreSQL: `asUser` views of user A, anon and
 * service_role against a world where user B's rows carry canary strings (verifyJwt: postgres-jwt.test.ts).
 */
import { SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import type { PostgresDatabaseAdapter } from "../../src/backends/postgres/index.js";
import { verifyJwt } from "../../src/backends/postgres/rls/verify-jwt.js";
import { registerConformanceSuite } from "../conformance/index.js";
import { setupTestDatabase } from "./postgres/helpers.js";
import {
	A,
	AGENT,
	B,
	CANARY,
	GOAL_B,
	id,
	MEM_A,
	MEM_B,
	mem,
	populate,
	ROOM_A,
	ROOM_B,
	readEverything,
	VEC_A,
	VEC_B,
} from "./postgres/rls-world.js";

const db = await setupTestDatabase("postgres row-level security");
const DIM = 4;
const SCHEMA = `rls_${process.pid}`;
if (db) {
	// An asUser view is a full DatabaseAdapter: service_role (which bypasses the policies) behaves
	// exactly like the plain adapter, every call running in its own role-switching transaction.
	registerConformanceSuite("postgres asUser(service_role)", {
		makeAdapter: async ({ embeddingDimension }) => {
			const owner = await db.adapter({ rowLevelSecurity: true, embeddingDimension });
			const view = owner.asUser({ role: "service_role" });
			// A view's close() leaves its owner's pool open (by design): the suite's close of the view
			// must end the owner too, or every test leaks a pool and the server runs out of clients.
			const closeView = view.close.bind(view);
			view.close = async () => {
				await closeView();
				await owner.close();
			};
			return view;
		},
	});

	describe("postgres row-level security (asUser)", () => {
		let owner: PostgresDatabaseAdapter;
		let asA: PostgresDatabaseAdapter;

		beforeAll(async () => {
			owner = await db.adapter({ rowLevelSecurity: true, embeddingDimension: DIM, schema: SCHEMA });
			await populate(owner);
			asA = owner.asUser({ sub: A, role: "authenticated" });
			return () => owner.close();
		});

		it("reports row-level security in capabilities, and refuses asUser without it", async () => {
			expect(owner.capabilities.rowLevelSecurity).toBe(true);
			const plain = await db.adapter({ embeddingDimension: DIM });
			expect(plain.capabilities.rowLevelSecurity).toBe(false);
			expect(() => plain.asUser({ sub: A })).toThrow(/rowLevelSecurity: true/);
			await plain.close();
		});

		it("refuses malformed claims with a ValidationError", () => {
			expect(() => owner.asUser({ role: "postgres", sub: A })).toThrow(/claims.role/);
			expect(() => owner.asUser({ sub: "not-a-uuid" })).toThrow(/claims.sub/);
			expect(() => owner.asUser({})).toThrow(/claims.sub/);
		});

		it("hides every row of B's side from A's reads; B's canary never reaches A", async () => {
			const seen = await readEverything(asA);
			const text = JSON.stringify(seen);
			expect(text).not.toContain(CANARY);
			expect(text).not.toContain(MEM_B);
			expect(seen.slice(0, 5)).toEqual([
				[],
				null,
				[expect.objectContaining({ id: MEM_A })],
				[expect.objectContaining({ id: MEM_A })],
				0,
			]);
			// The owner's connection is not subject to the policies: the canary is there.
			expect(JSON.stringify(await readEverything(owner))).toContain(CANARY);
		});

		it("shows A their own room", async () => {
			expect(
				(await asA.getMemories({ roomId: ROOM_A, tableName: "messages" })).map((m) => m.id),
			).toEqual([MEM_A]);
			const found = await asA.searchMemories({
				tableName: "messages",
				roomId: ROOM_A,
				embedding: VEC_A,
				match_count: 5,
				match_threshold: -1,
				unique: false,
			});
			expect(found.map((m) => m.id)).toEqual([MEM_A]);
			expect(await asA.getRoom(ROOM_A)).toBe(ROOM_A);
			expect(await asA.getRoomsForParticipant(A)).toEqual([ROOM_A]);
			// A sees who shares their room (through the agentmem_room_members view), and their accounts.
			expect([...(await asA.getParticipantsForRoom(ROOM_A))].sort()).toEqual([A, AGENT].sort());
			expect((await asA.getAccountById(AGENT))?.name).toBe("agent");
			expect(await asA.getAccountById(B)).toBeNull();
		});

		it("lets A write in their own room and to their own rows", async () => {
			const mine = id();
			await asA.createMemory(mem(mine, ROOM_A, A, "A writes", [0, 0, 1, 0]), "messages", true);
			expect((await owner.getMemoryById(mine))?.content.text).toBe("A writes");
			await asA.setParticipantUserState(ROOM_A, A, "MUTED");
			expect(await owner.getParticipantUserState(ROOM_A, A)).toBe("MUTED");
			await asA.createGoal({
				roomId: ROOM_A,
				userId: A,
				name: "A's goal",
				status: "IN_PROGRESS",
				objectives: [],
			});
			await asA.log({ body: { ok: true }, userId: A, roomId: ROOM_A, type: "debug" });
			expect(await asA.createRelationship({ userA: A, userB: AGENT })).toBe(true);
			await asA.setCache({ agentId: A, key: "k", value: "mine" });
			expect(await asA.getCache({ agentId: A, key: "k" })).toBe("mine");
		});

		it("refuses or ignores every write A attempts on B's rows", async () => {
			const denied = { code: "PERMISSION_DENIED" };
			await expect(
				asA.createMemory(mem(id(), ROOM_B, A, "intrusion", VEC_A), "messages"),
			).rejects.toMatchObject(denied);
			// Overwriting B's memory by id (the upsert's update branch) is refused too.
			await expect(
				asA.createMemory(mem(MEM_B, ROOM_A, A, "hijack", VEC_A), "messages"),
			).rejects.toMatchObject(denied);
			await expect(asA.addParticipant(A, ROOM_B)).rejects.toMatchObject(denied);
			await expect(
				asA.createGoal({ roomId: ROOM_B, userId: A, name: "x", status: "DONE", objectives: [] }),
			).rejects.toMatchObject(denied);
			await expect(
				asA.log({ body: {}, userId: A, roomId: ROOM_B, type: "x" }),
			).rejects.toMatchObject(denied);
			await expect(asA.createRelationship({ userA: B, userB: AGENT })).rejects.toMatchObject(
				denied,
			);
			await expect(
				asA.createAccount({ id: id(), name: "sock", username: "sock" }),
			).rejects.toMatchObject(denied);
			await expect(
				asA.setCache({ agentId: B, key: "k", value: "overwrite" }),
			).rejects.toMatchObject(denied);
			await expect(
				asA.createKnowledge({ id: id(), agentId: B, content: { text: "x" } }),
			).rejects.toMatchObject(denied);
			const notFound = { code: "NOT_FOUND" };
			await expect(asA.updateMemoryEmbedding(MEM_B, VEC_A)).rejects.toMatchObject(notFound);
			await expect(asA.setParticipantUserState(ROOM_B, B, "MUTED")).rejects.toMatchObject(notFound);
			await expect(asA.updateGoalStatus({ goalId: GOAL_B, status: "DONE" })).rejects.toMatchObject(
				notFound,
			);
			await expect(
				asA.updateGoal({
					id: GOAL_B,
					roomId: ROOM_B,
					userId: B,
					name: "x",
					status: "DONE",
					objectives: [],
				}),
			).rejects.toMatchObject(notFound);
			// Deletes of invisible rows change nothing.
			expect(await asA.removeParticipant(B, ROOM_B)).toBe(false);
			expect(await asA.deleteCache({ agentId: B, key: "k" })).toBe(false);
			await asA.removeMemory(MEM_B, "messages");
			await asA.removeAllMemories(ROOM_B, "messages");
			await asA.removeGoal(GOAL_B);
			await asA.removeAllGoals(ROOM_B);
			await asA.removeRoom(ROOM_B);
			await asA.clearKnowledge(B, true);
			// B's side is intact.
			expect(await owner.countMemories(ROOM_B, false)).toBe(2);
			expect((await owner.getMemoryById(MEM_B))?.content.text).toBe(`${CANARY} from B`);
			expect((await owner.getMemoryById(MEM_B))?.embedding).toEqual(VEC_B);
			expect(await owner.getParticipantsForRoom(ROOM_B)).toHaveLength(2);
			expect(await owner.getParticipantUserState(ROOM_B, B)).toBeNull();
			expect(await owner.getGoals({ roomId: ROOM_B })).toMatchObject([
				{ id: GOAL_B, status: "IN_PROGRESS" },
			]);
			expect(await owner.getCache({ agentId: B, key: "k" })).toBe(CANARY);
			expect(await owner.getKnowledge({ agentId: B })).toHaveLength(1);
		});

		it("runs asUser transactions under the policies, with the prelude applied once at BEGIN", async () => {
			const kept = id();
			await asA.transaction(async (tx) => {
				expect(await tx.getMemories({ roomId: ROOM_B, tableName: "messages" })).toEqual([]);
				await tx.createMemory(mem(kept, ROOM_A, A, "in tx", [0, 0, 0, 1]), "messages");
				await tx.transaction(async (inner) => {
					expect(await inner.getMemoryById(MEM_B)).toBeNull();
				});
			});
			expect(await owner.getMemoryById(kept)).not.toBeNull();
			const lost = id();
			await expect(
				asA.transaction(async (tx) => {
					await tx.createMemory(mem(lost, ROOM_A, A, "rolled back", [0, 0, 0, 1]), "messages");
					await tx.createMemory(mem(id(), ROOM_B, A, "intrusion", VEC_A), "messages");
				}),
			).rejects.toMatchObject({ code: "PERMISSION_DENIED" });
			expect(await owner.getMemoryById(lost)).toBeNull();
		});

		it("runs a verified Supabase token's claims (verifyJwt → asUser)", async () => {
			const secret = "super-secret-jwt-token-with-at-least-32-characters";
			const token = await new SignJWT({ role: "authenticated" })
				.setProtectedHeader({ alg: "HS256" })
				.setSubject(A)
				.setAudience("authenticated")
				.setExpirationTime("5m")
				.sign(new TextEncoder().encode(secret));
			const claims = await verifyJwt(token, { secret }, { audience: "authenticated" });
			const view = owner.asUser(claims);
			expect(
				(await view.getMemories({ roomId: ROOM_A, tableName: "messages" })).length,
			).toBeGreaterThan(0);
			expect(await view.getMemories({ roomId: ROOM_B, tableName: "messages" })).toEqual([]);
		});

		it("lets anon read nothing, accounts included", async () => {
			const anon = owner.asUser({ role: "anon" });
			await expect(anon.getAccountById(B)).rejects.toMatchObject({ code: "PERMISSION_DENIED" });
			await expect(
				anon.getMemories({ roomId: ROOM_A, tableName: "messages" }),
			).rejects.toMatchObject({ code: "PERMISSION_DENIED" });
			await expect(anon.getGoals({ roomId: ROOM_A })).rejects.toMatchObject({
				code: "PERMISSION_DENIED",
			});
			await expect(anon.getParticipantsForRoom(ROOM_A)).rejects.toMatchObject({
				code: "PERMISSION_DENIED",
			});
			await expect(
				anon.createAccount({ id: id(), name: "x", username: "x" }),
			).rejects.toMatchObject({ code: "PERMISSION_DENIED" });
		});

		it("lets service_role see and write everything", async () => {
			const service = owner.asUser({ role: "service_role" });
			expect(JSON.stringify(await readEverything(service))).toContain(CANARY);
			expect(await service.getParticipantsForRoom(ROOM_B)).toHaveLength(2);
			await service.createMemory(mem(id(), ROOM_B, B, "service writes", VEC_B), "messages");
			expect(await owner.countMemories(ROOM_B, false, "messages")).toBe(3);
		});

		it("creates the roles, auth.uid() and SECURITY INVOKER functions only (but the outbox trigger)", async () => {
			const roles = await db.sql<{ rolname: string; rolbypassrls: boolean }>(
				"SELECT rolname, rolbypassrls FROM pg_roles WHERE rolname IN ('anon', 'authenticated', 'service_role') ORDER BY rolname",
			);
			expect(roles).toEqual([
				{ rolname: "anon", rolbypassrls: false },
				{ rolname: "authenticated", rolbypassrls: false },
				{ rolname: "service_role", rolbypassrls: true },
			]);
			const definers = await db.sql(
				"SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.prosecdef AND n.nspname NOT IN ('pg_catalog', 'information_schema')",
			);
			// The one exception: the subscribe outbox's trigger (migration 006) writes the outbox with
			// its owner's rights; a trigger function cannot be called directly, and EXECUTE is revoked.
			// (one per agentmem schema in this database).
			expect(new Set(definers.map((d) => d.proname))).toEqual(new Set(["agentmem_notify_memory"]));
			const privileges = await db.sql<{ role: string; table: string; privilege: string }>(
				`SELECT r AS role, t AS table, p AS privilege
				 FROM unnest(ARRAY['anon', 'authenticated', 'service_role']) AS r,
				      unnest(ARRAY['accounts', 'memories', 'participants', 'agentmem_meta']) AS t,
				      unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) AS p
				 WHERE has_table_privilege(r, format('%I.%I', $1::text, t), p)
				 ORDER BY 1, 2, 3`,
				[SCHEMA],
			);
			const granted = privileges.map((g) => `${g.role} ${g.privilege} ${g.table}`);
			const dml = (role: string, table: string) =>
				["DELETE", "INSERT", "SELECT", "UPDATE"].map((p) => `${role} ${p} ${table}`);
			// anon: nothing. authenticated: no INSERT into participants, UPDATE of user_state only.
			expect(granted).toEqual([
				...["accounts", "agentmem_meta", "memories", "participants"].flatMap((t) =>
					t === "agentmem_meta"
						? ["authenticated SELECT agentmem_meta"]
						: t === "participants"
							? ["authenticated DELETE participants", "authenticated SELECT participants"]
							: dml("authenticated", t),
				),
				...["accounts", "agentmem_meta", "memories", "participants"].flatMap((t) =>
					t === "agentmem_meta" ? ["service_role SELECT agentmem_meta"] : dml("service_role", t),
				),
			]);
			const columns = await db.sql<{ col: string; ok: boolean }>(
				`SELECT c AS col, has_column_privilege('authenticated', format('%I.participants', $1::text), c, 'UPDATE') AS ok
				 FROM unnest(ARRAY['user_state', 'room_id', 'user_id']) AS c`,
				[SCHEMA],
			);
			expect(columns).toEqual([
				{ col: "user_state", ok: true },
				{ col: "room_id", ok: false },
				{ col: "user_id", ok: false },
			]);
			// Reopening (another process, same schema) applies nothing twice.
			const again = owner.asUser({ sub: B });
			expect(
				(await again.getMemories({ roomId: ROOM_B, tableName: "messages" })).length,
			).toBeGreaterThan(0);
		});
	});
}
