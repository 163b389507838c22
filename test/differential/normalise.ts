/**
 * What is compared between backends: each call's result in a canonical form, and the final state
 * as the portable export. Only what the contract leaves open is made equal here:
 * - ids the database generates (participant, relationship and log row ids) are dropped;
 * - similarities are rounded (pgvector computes in float4, the JavaScript scan in float64);
 * - lists the contract gives "in no particular order" are sorted (getRoomsForParticipant(s)), and
 *   getCachedEmbeddings' rows of equal distance and equal text (the contract orders ties by text;
 *   embeddings of one text in no order);
 * - the export's `schemaVersion` (each SQL family numbers its own migrations);
 * - the order of object members (PostgreSQL's jsonb orders keys; the JSON rule in adapter.ts says
 *   so): members are compared as sets, arrays in order.
 */
import type { DatabaseAdapter } from "../../src/core/adapter.js";

const round = (x: unknown) => (typeof x === "number" ? Math.round(x * 1e5) / 1e5 : x);

/** Plain JSON-like data: typed arrays as arrays, undefined members dropped, -0 as 0. */
export function plain(value: unknown): unknown {
	if (value instanceof Float32Array) return Array.from(value);
	if (Array.isArray(value)) return value.map(plain);
	if (value && typeof value === "object") {
		const out: Record<string, unknown> = {};
		for (const k of Object.keys(value).sort()) {
			const v = (value as Record<string, unknown>)[k];
			if (v === undefined) continue;
			out[k] = k === "similarity" || k === "score" ? round(v) : plain(v);
		}
		return out;
	}
	if (Object.is(value, -0)) return 0;
	return value;
}

const byJson = (a: unknown, b: unknown) => {
	const x = JSON.stringify(a);
	const y = JSON.stringify(b);
	return x < y ? -1 : x > y ? 1 : 0;
};

function without(key: string, value: unknown): unknown {
	if (Array.isArray(value)) return value.map((v) => without(key, v));
	if (value && typeof value === "object") {
		const { [key]: _, ...rest } = value as Record<string, unknown>;
		return rest;
	}
	return value;
}

/** A call's result in the form compared between backends. */
export function normaliseResult(method: string, result: unknown): unknown {
	const v = plain(result);
	switch (method) {
		case "getRoomsForParticipant":
		case "getRoomsForParticipants":
			return [...(v as string[])].sort();
		case "getParticipantsForAccount":
		case "getRelationship":
		case "getRelationships":
			return without("id", v);
		case "getCachedEmbeddings": {
			// Stable on distance: only ties keep an unspecified order.
			return [...(v as { levenshtein_score: number }[])].sort(
				(a, b) => a.levenshtein_score - b.levenshtein_score || byJson(a, b),
			);
		}
		default:
			return v;
	}
}

const GENERATED_IDS = new Set(["participant", "relationship", "log"]);

/** The database's every record, canonical and sorted within each kind. */
export async function exportState(db: DatabaseAdapter): Promise<Record<string, unknown[]>> {
	const out: Record<string, unknown[]> = {};
	for await (const record of db.exportRecords()) {
		let r = plain(record) as Record<string, unknown>;
		if (r.kind === "database") r = without("schemaVersion", r) as Record<string, unknown>;
		if (GENERATED_IDS.has(r.kind as string)) r = without("id", r) as Record<string, unknown>;
		const kind = r.kind as string;
		out[kind] ??= [];
		out[kind].push(r);
	}
	for (const list of Object.values(out)) list.sort(byJson);
	return out;
}
