/** The contract's `listRooms`, over SQL: one statement per page, whatever its size. */
import { ValidationError } from "../errors.js";
import type { ListRoomsParams, RoomSummary } from "../lifecycle-types.js";
import type { UUID } from "../types.js";
import * as v from "../validation.js";
import type { SqlContext } from "./context.js";
import * as rows from "./rows.js";
import { op } from "./session.js";

const nullableInt = (value: unknown): number | null =>
	value === null || value === undefined ? null : rows.int(value);

export async function listRooms(
	ctx: SqlContext,
	params: ListRoomsParams = {},
): Promise<RoomSummary[]> {
	if (params === null || typeof params !== "object")
		throw new ValidationError("params", "expected an object");
	const agentId = v.optionalUuid(params.agentId, "agentId");
	v.assertOptionalCount(params.limit, "limit");
	v.assertOptionalCount(params.offset, "offset");
	const found = await op(ctx, "listRooms", (s) =>
		s.all(ctx.family.lifecycle.roomsList, [
			agentId ?? null,
			params.limit ?? null,
			params.offset ?? null,
		]),
	);
	return found.map((r) => {
		const counts = rows.json<Record<string, unknown> | null>(r.memories) ?? {};
		return {
			id: r.id as UUID,
			name: (r.name as string | null) ?? null,
			createdAt: rows.int(r.created_at),
			participants: rows.int(r.participants),
			memories: Object.fromEntries(Object.entries(counts).map(([type, n]) => [type, rows.int(n)])),
			firstActivity: nullableInt(r.first_activity),
			lastActivity: nullableInt(r.last_activity),
		};
	});
}
