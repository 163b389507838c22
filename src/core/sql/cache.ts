/**
 * The contract's key/value cache, per agent, over SQL. An entry may expire (`ttlMs` or
 * `expiresAt`): every read compares with the current time, so an expired entry is absent on every
 * backend at once; the next `setCache` deletes expired rows (found through a partial index).
 */
import { ValidationError } from "../errors.js";
import type { SetCacheParams } from "../lifecycle-types.js";
import type { CacheKey, UUID } from "../types.js";
import * as v from "../validation.js";
import type { SqlContext } from "./context.js";
import * as rows from "./rows.js";
import { op } from "./session.js";

/** The agent (lower case) of a checked cache key. */
function cacheKey(params: CacheKey): UUID {
	if (params === null || typeof params !== "object")
		throw new ValidationError("params", "expected an object");
	const agentId = v.uuid(params.agentId, "agentId");
	v.assertString(params.key, "key");
	return agentId;
}

/** When the entry expires (ms since the epoch), or null for never. */
function expiryOf(params: SetCacheParams, now: number): number | null {
	const { ttlMs, expiresAt } = params;
	const hasTtl = ttlMs !== undefined && ttlMs !== null;
	const hasExpiry = expiresAt !== undefined && expiresAt !== null;
	if (hasTtl && hasExpiry) throw new ValidationError("ttlMs", "give ttlMs or expiresAt, not both");
	if (hasTtl) {
		if (typeof ttlMs !== "number" || !Number.isSafeInteger(ttlMs) || ttlMs < 1)
			throw new ValidationError(
				"ttlMs",
				`expected a positive integer of milliseconds, got ${v.describe(ttlMs)}`,
			);
		return now + ttlMs;
	}
	if (hasExpiry) {
		v.assertTimestamp(expiresAt, "expiresAt");
		return expiresAt;
	}
	return null;
}

export async function getCache(ctx: SqlContext, params: CacheKey): Promise<string | undefined> {
	const agentId = cacheKey(params);
	const found = await op(ctx, "getCache", (s) =>
		s.all(ctx.family.statements.cacheGet, [agentId, params.key, Date.now()]),
	);
	return found[0] ? (found[0].value as string) : undefined;
}

export async function setCache(ctx: SqlContext, params: SetCacheParams): Promise<boolean> {
	const agentId = cacheKey(params);
	v.assertString(params.value, "value", { allowEmpty: true });
	const now = Date.now();
	const expires = expiryOf(params, now);
	await op(ctx, "setCache", async (s) => {
		await s.run(ctx.family.lifecycle.cacheSweep, [now]);
		await s.run(ctx.family.statements.cacheSet, [agentId, params.key, params.value, now, expires]);
	});
	return true;
}

export async function deleteCache(ctx: SqlContext, params: CacheKey): Promise<boolean> {
	const agentId = cacheKey(params);
	const deleted = await op(ctx, "deleteCache", (s) =>
		s.all(ctx.family.statements.cacheDelete, [agentId, params.key, Date.now()]),
	);
	return deleted.length > 0 && rows.bool(deleted[0]?.live);
}
