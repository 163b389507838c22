/** subscribe: checks the filter, then listens in process or through the database's own events. */
import { ValidationError } from "../errors.js";
import type { MemoryEvent, SubscribeFilter, Unsubscribe } from "../types.js";
import * as v from "../validation.js";
import { ready, type SqlContext } from "./context.js";
import { op } from "./session.js";

export async function subscribe(
	ctx: SqlContext,
	filter: SubscribeFilter,
	listener: (event: MemoryEvent) => void,
): Promise<Unsubscribe> {
	ready(ctx);
	if (filter === null || typeof filter !== "object")
		throw new ValidationError("filter", "expected an object");
	if (filter.tableName !== undefined) v.assertTableName(filter.tableName, "filter.tableName");
	const roomId = v.optionalUuid(filter.roomId, "filter.roomId");
	if (typeof listener !== "function") throw new ValidationError("listener", "expected a function");
	// Stored room ids are lower case: so is the filter that is compared with them.
	const checked: SubscribeFilter = roomId ? { ...filter, roomId } : { ...filter };
	const source = ready(ctx).backend.memoryEvents;
	if (source)
		return source.subscribe(checked, listener, (sql, params) =>
			op(ctx, "subscribe", (s) => s.all(sql, params)),
		);
	const entry = { filter: checked, listener };
	ctx.shared.listeners.add(entry);
	return async () => {
		ctx.shared.listeners.delete(entry);
	};
}
