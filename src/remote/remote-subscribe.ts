/**
 * `subscribe` of the remote adapter: one SSE stream per subscription on `GET /v1/events`, filtered
 * by the service (`roomId`, `tableName` as query parameters). Each `event: memory` carries a
 * `MemoryEvent` with the memory's embedding as base64 Float32 (decoded here to `number[]`).
 * Resolves once the service has subscribed, so every commit after it is delivered.
 */
import { ValidationError } from "../core/errors.js";
import type { MemoryEvent, SubscribeFilter, Unsubscribe } from "../core/types.js";
import { DEDICATED_ROUTES } from "../service/api-table.js";
import { MEMORY_OUT } from "../service/schemas.js";
import { fromWire } from "../service/wire.js";
import type { HttpClient } from "./http.js";
import { openSse } from "./sse.js";

export async function subscribeOverSse(
	http: HttpClient,
	streams: Set<{ close(): Promise<void> }>,
	filter: SubscribeFilter,
	listener: (event: MemoryEvent) => void,
	headers: Record<string, string>,
): Promise<Unsubscribe> {
	if (filter === null || typeof filter !== "object")
		throw new ValidationError("filter", "expected an object ({ roomId?, tableName? })");
	if (typeof listener !== "function") throw new ValidationError("listener", "expected a function");
	for (const key of ["roomId", "tableName"] as const) {
		const value = filter[key];
		if (value !== undefined && typeof value !== "string")
			throw new ValidationError(`filter.${key}`, "expected a string");
	}
	const stream = await openSse(http, {
		path: DEDICATED_ROUTES.events.path,
		query: { roomId: filter.roomId, tableName: filter.tableName },
		headers,
		onMessage(message) {
			if (message.event !== "memory") return;
			const event = JSON.parse(message.data) as { tableName: string; memory: unknown };
			listener({
				tableName: event.tableName,
				memory: fromWire(MEMORY_OUT, event.memory, "memory") as MemoryEvent["memory"],
			});
		},
	});
	streams.add(stream);
	return async () => {
		streams.delete(stream);
		await stream.close();
	};
}
