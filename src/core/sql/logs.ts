/** The contract's logs, over SQL. */
import { ValidationError } from "../errors.js";
import type { LogParams } from "../types.js";
import * as v from "../validation.js";
import type { SqlContext } from "./context.js";
import { newId } from "./prepare.js";
import { write } from "./session.js";

export async function log(ctx: SqlContext, params: LogParams): Promise<void> {
	if (params === null || typeof params !== "object")
		throw new ValidationError("params", "expected an object");
	const body = v.jsonObjectText(params.body, "body");
	const userId = v.uuid(params.userId, "userId");
	const roomId = v.uuid(params.roomId, "roomId");
	v.assertString(params.type, "type");
	const refs = [
		{ field: "userId", table: "accounts" as const, id: userId },
		{ field: "roomId", table: "rooms" as const, id: roomId },
	];
	await write(ctx, "log", refs, (s) =>
		s.run(ctx.family.statements.logInsert, [
			newId(),
			body,
			userId,
			roomId,
			params.type,
			Date.now(),
		]),
	);
}
