/** The contract's key/value cache, per agent, over SQL. */
import { ValidationError } from "../errors.js";
import type { CacheKey, UUID } from "../types.js";
import * as v from "../validation.js";
import type { SqlContext } from "./context.js";
import { op } from "./session.js";

/** The agent (lower case) of a checked cache key. */
function cacheKey(params: CacheKey): UUID {
	if (params === null || typeof params !== "object")
		throw new ValidationError("params", "expected an object");
	const agentId = v.uuid(params.agentId, "agentId");
	v.assertString(params.key, "key");
	return agentId;
}

export async function getCache(ctx: SqlContext, params: CacheKey): Promise<string | undefined> {
	const agentId = cacheKey(params);
	const found = await op(ctx, "getCache", (s) =>
		s.all(ctx.family.statements.cacheGet, [agentId, params.key]),
	);
	return found[0] ? (found[0].value as string) : undefined;
}

export async function setCache(
	ctx: SqlContext,
	params: CacheKey & { value: string },
): Promise<boolean> {
	const agentId = cacheKey(params);
	v.assertString(params.value, "value", { allowEmpty: true });
	await op(ctx, "setCache", (s) =>
		s.run(ctx.family.statements.cacheSet, [agentId, params.key, params.value, Date.now()]),
	);
	return true;
}

export async function deleteCache(ctx: SqlContext, params: CacheKey): Promise<boolean> {
	const agentId = cacheKey(params);
	const changed = await op(ctx, "deleteCache", (s) =>
		s.run(ctx.family.statements.cacheDelete, [agentId, params.key]),
	);
	return changed > 0;
}
