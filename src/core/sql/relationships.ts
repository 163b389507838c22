/** The contract's relationships between accounts, over SQL. */
import type { Relationship, UUID } from "../types.js";
import * as v from "../validation.js";
import type { SqlContext } from "./context.js";
import { newId } from "./prepare.js";
import * as rows from "./rows.js";
import { op, write } from "./session.js";

export async function createRelationship(
	ctx: SqlContext,
	params: { userA: UUID; userB: UUID },
): Promise<boolean> {
	const userA = v.uuid(params?.userA, "userA");
	const userB = v.uuid(params.userB, "userB");
	const refs = [
		{ field: "userA", table: "accounts" as const, id: userA },
		{ field: "userB", table: "accounts" as const, id: userB },
	];
	await write(ctx, "createRelationship", refs, (s) =>
		s.run(ctx.family.statements.relationshipInsert, [
			newId(),
			userA,
			userB,
			userA,
			"FRIENDS",
			Date.now(),
		]),
	);
	return true;
}

export async function getRelationship(
	ctx: SqlContext,
	params: { userA: UUID; userB: UUID },
): Promise<Relationship | null> {
	const userA = v.uuid(params?.userA, "userA");
	const userB = v.uuid(params.userB, "userB");
	const found = await op(ctx, "getRelationship", (s) =>
		s.all(ctx.family.statements.relationshipGet, [userA, userB]),
	);
	return found[0] ? rows.toRelationship(found[0]) : null;
}

export async function getRelationships(
	ctx: SqlContext,
	params: { userId: UUID },
): Promise<Relationship[]> {
	const userId = v.uuid(params?.userId, "userId");
	const found = await op(ctx, "getRelationships", (s) =>
		s.all(ctx.family.statements.relationshipsForUser, [userId]),
	);
	return found.map(rows.toRelationship);
}
