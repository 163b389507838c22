/**
 * Subscribe events: queued until commit inside a transaction, dispatched in process, unless the
 * backend's database delivers them itself (PostgreSQL's LISTEN/NOTIFY).
 */
import type { MemoryEvent, UUID } from "../types.js";
import type { SharedState, SqlContext } from "./context.js";

/** Queues an event until commit (in a transaction) or dispatches it now. */
export function publish(ctx: SqlContext, event: MemoryEvent): void {
	if (ctx.shared.backend?.memoryEvents) return; // the database delivers it
	if (ctx.scope) ctx.scope.pending.push(event);
	else dispatch(ctx.shared, [event]);
}

/** True when someone listens in this process (building an event costs as much as the insert). */
export function hasListeners(ctx: SqlContext): boolean {
	return ctx.shared.listeners.size > 0;
}

export function dispatch(shared: SharedState, events: MemoryEvent[]): void {
	// One event per memory per transaction: a later write of the same id (a batch repeating it)
	// gives its content to the first one's event, in that place, as PostgreSQL's outbox does.
	const latest = new Map<UUID | MemoryEvent, MemoryEvent>();
	for (const event of events) latest.set(event.memory.id ?? event, event);
	for (const event of latest.values()) {
		for (const { filter, listener } of shared.listeners) {
			if (filter.tableName !== undefined && filter.tableName !== event.tableName) continue;
			if (filter.roomId !== undefined && filter.roomId !== event.memory.roomId) continue;
			try {
				listener(event);
			} catch {
				// A listener's failure must not undo or fail a committed write.
			}
		}
	}
}
