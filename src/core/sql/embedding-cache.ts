/** getCachedEmbeddings: stored embeddings of texts within an edit distance of the input. */
import { ValidationError } from "../errors.js";
import { codePointLength, levenshteinBoundedSliced } from "../levenshtein.js";
import { TimeSlice } from "../time-slice.js";
import type { CachedEmbedding, GetCachedEmbeddingsParams } from "../types.js";
import * as v from "../validation.js";
import { toNumberArray } from "../vector.js";
import { ready, type SqlContext } from "./context.js";
import type { Row } from "./driver.js";
import { op } from "./session.js";

/**
 * getCachedEmbeddings on an embedded engine: rows whose stored content is larger than this are
 * read one statement each, so no statement extracts megabytes of JSON while the event loop waits.
 */
const LARGE_CONTENT_BYTES = 64 * 1024;
const JSON_KEY_RE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export async function getCachedEmbeddings(
	ctx: SqlContext,
	params: GetCachedEmbeddingsParams,
): Promise<CachedEmbedding[]> {
	if (params === null || typeof params !== "object")
		throw new ValidationError("params", "expected an object");
	v.assertTableName(params.query_table_name, "query_table_name");
	v.assertCount(params.query_threshold, "query_threshold");
	v.assertString(params.query_input, "query_input", { allowEmpty: true });
	v.assertCount(params.query_match_count, "query_match_count");
	if (params.query_field_name !== "content") {
		throw new ValidationError(
			"query_field_name",
			`only "content" holds JSON, got ${v.describe(params.query_field_name)}`,
		);
	}
	if (
		typeof params.query_field_sub_name !== "string" ||
		!JSON_KEY_RE.test(params.query_field_sub_name)
	) {
		throw new ValidationError(
			"query_field_sub_name",
			`expected a key such as "text", got ${v.describe(params.query_field_sub_name)}`,
		);
	}
	if (params.query_match_count === 0) return [];
	const input = params.query_input;
	const threshold = params.query_threshold;
	const length = codePointLength(input);
	const [type, key, minLength, maxLength] = [
		params.query_table_name,
		params.query_field_sub_name,
		Math.max(0, length - threshold),
		Math.min(length + threshold, v.MAX_COUNT), // PostgreSQL binds it as a 32-bit integer
	];
	const { statements } = ctx.family;
	// Texts can be megabytes long, and an embedded engine runs its statements on this thread:
	// there, rows whose content is large are read one statement each; and the comparison runs in
	// slices. So the event loop keeps turning. A server reads them all in one statement.
	const split = ready(ctx).backend.driver.concurrentStatements ? null : LARGE_CONTENT_BYTES;
	const found = await op(ctx, "getCachedEmbeddings", (s) =>
		s.all(statements.cachedEmbeddingCandidates, [
			type,
			key,
			minLength,
			maxLength,
			length <= 255 ? input : null, // only a prefilter limited to 255 characters reads it
			threshold,
			split,
		]),
	);
	const large =
		split === null
			? []
			: await op(ctx, "getCachedEmbeddings", (s) =>
					s.all(statements.cachedEmbeddingLargeRows, [type, split, minLength]),
				);
	const slice = new TimeSlice();
	const scored: { text: string; row: Row; score: number }[] = [];
	const score = async (row: Row) => {
		const text = row.text as string;
		// Also the exact length test, which cachedEmbeddingCandidate may leave to this side.
		const distance = await levenshteinBoundedSliced(text, input, threshold, slice);
		if (distance <= threshold) scored.push({ text, row, score: distance });
	};
	for (const row of found) await score(row);
	for (const { id } of large) {
		if (slice.due) await slice.giveWay();
		const [row] = await op(ctx, "getCachedEmbeddings", (s) =>
			s.all(statements.cachedEmbeddingCandidate, [id, key, minLength, maxLength]),
		);
		if (row) await score(row);
	}
	scored.sort((a, b) => a.score - b.score || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
	return scored.slice(0, params.query_match_count).map(({ row, score }) => ({
		embedding: toNumberArray(ctx.family.decodeEmbedding(row.embedding) ?? []),
		levenshtein_score: score,
	}));
}
