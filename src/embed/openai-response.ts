/**
 * Checks an OpenAI-compatible `/embeddings` response body: `{ data: [{ index, embedding }] }`.
 * Anything else (not JSON, wrong count, duplicate index, wrong or uneven dimension, a non-finite
 * component) is an `EmbeddingProviderError`, never a silently wrong vector.
 */
import { EmbeddingProviderError } from "../core/errors.js";
import { toFiniteFloat32 } from "../core/vector.js";

/**
 * Vectors in input order (by each item's `index`; servers that omit `index` everywhere are read in
 * array order). `context` prefixes every error message.
 */
export function parseEmbeddingResponse(
	text: string,
	expectedCount: number,
	expectedDimension: number | undefined,
	context: string,
): Float32Array[] {
	const fail = (message: string): never => {
		throw new EmbeddingProviderError(`${context}: ${message}`);
	};
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		return fail(`the response is not JSON: ${excerpt(text)}`);
	}
	const data = (body as { data?: unknown } | null)?.data;
	if (!Array.isArray(data)) return fail(`the response has no "data" array: ${excerpt(text)}`);
	if (data.length !== expectedCount) {
		return fail(`sent ${expectedCount} texts but received ${data.length} embeddings`);
	}
	const withIndex = data.filter(
		(item) => (item as { index?: unknown })?.index !== undefined,
	).length;
	if (withIndex !== 0 && withIndex !== data.length)
		fail("some embeddings have an index and some do not");
	const out: Float32Array[] = new Array(expectedCount);
	let dimension = expectedDimension;
	data.forEach((item: unknown, position) => {
		const { index = position, embedding } = (item ?? {}) as {
			index?: unknown;
			embedding?: unknown;
		};
		if (!Number.isInteger(index) || (index as number) < 0 || (index as number) >= expectedCount) {
			fail(
				`embedding ${position} has index ${String(index)}, expected an integer in 0..${expectedCount - 1}`,
			);
		}
		const i = index as number;
		if (out[i] !== undefined) fail(`index ${i} occurs twice`);
		if (!Array.isArray(embedding)) fail(`embedding ${i} is not an array of numbers`);
		const values = embedding as unknown[];
		if (dimension === undefined) dimension = values.length;
		if (values.length !== dimension) {
			fail(
				`embedding ${i} has ${values.length} dimensions, expected ${dimension}` +
					(expectedDimension === undefined ? " (as the others)" : " (the configured dimension)"),
			);
		}
		out[i] = toFiniteFloat32(values, (j, x) =>
			fail(`embedding ${i}, component ${j} is ${String(x)}, not a finite 32-bit float`),
		);
	});
	if (dimension === 0) fail("the embeddings are empty (0 dimensions)");
	return out;
}

/** The start of a body for error messages. */
export function excerpt(text: string, max = 300): string {
	const flat = text.replace(/\s+/g, " ").trim();
	if (flat.length === 0) return "(empty body)";
	return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
