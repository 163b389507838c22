/**
 * `--max-results`: the most rows one response holds. Never a silent partial result:
 * - a count or limit above the cap is refused (400 VALIDATION naming the field and the cap);
 * - a call that returns every row when given no count (getMemories, getMemoriesByRoomIds,
 *   getGoals, listRooms) is asked for cap + 1 rows; when more than the cap come back the whole
 *   call is refused (400 VALIDATION) saying to pass a count and page, instead of truncating.
 */
import { ValidationError } from "../core/errors.js";
import type { ApiMethod } from "./api-table.js";

/** Count and limit fields of the contract's parameter objects. */
const COUNT_KEYS = ["count", "limit", "match_count", "query_match_count"];

/** Calls that return every row when no count is given: their count field and how to page. */
const UNBOUNDED: Partial<Record<ApiMethod, { key: string; page: string }>> = {
	getMemories: { key: "count", page: "page back with `end` (createdAt, newest first)" },
	getMemoriesByRoomIds: { key: "limit", page: "or ask for fewer roomIds at a time" },
	getGoals: { key: "count", page: "or filter by userId / onlyInProgress" },
	listRooms: { key: "limit", page: "page with `offset`" },
};

function paramsObject(a: unknown): Record<string, unknown> | undefined {
	if (a === null || typeof a !== "object" || Array.isArray(a) || a instanceof Float32Array)
		return undefined;
	return a as Record<string, unknown>;
}

/**
 * Refuses counts above `maxResults`; gives an unbounded call `maxResults + 1` (mutates `args`).
 * Returns the check to run on the call's result (undefined when the call was bounded already).
 */
export function applyResultCap(
	method: ApiMethod,
	args: unknown[],
	maxResults: number,
): ((value: unknown) => void) | undefined {
	for (const a of args) {
		const obj = paramsObject(a);
		if (!obj) continue;
		for (const key of COUNT_KEYS) {
			const v = obj[key];
			if (typeof v === "number" && v > maxResults)
				throw new ValidationError(
					key,
					`${v} is above this service's limit of ${maxResults} rows per response (--max-results); ask for at most ${maxResults} and page`,
				);
		}
	}
	const unbounded = UNBOUNDED[method];
	if (!unbounded) return undefined;
	const obj = paramsObject(args[0]) ?? {};
	if (obj[unbounded.key] !== undefined) return undefined;
	obj[unbounded.key] = maxResults + 1;
	args[0] = obj;
	return (value) => {
		if (Array.isArray(value) && value.length > maxResults)
			throw new ValidationError(
				unbounded.key,
				`the result holds more than ${maxResults} rows, this service's limit per response (--max-results); pass ${unbounded.key} (at most ${maxResults}) and ${unbounded.page}`,
			);
	};
}
