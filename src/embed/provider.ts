/**
 * What every embedding provider offers: a model name and dimension (recorded in the database's
 * metadata at first use) and text-to-vector calls that keep the input order.
 */
import { ValidationError } from "../core/errors.js";
import { assertString, describe } from "../core/validation.js";

export interface EmbeddingProvider {
	/** The model's name as recorded in the database, e.g. `text-embedding-3-small`. */
	readonly model: string;
	/** The length of every vector this provider returns. */
	readonly dimension: number;
	/** One vector per text, in the order of `texts`. */
	embed(texts: string[]): Promise<Float32Array[]>;
	embedOne(text: string): Promise<Float32Array>;
}

/** Refuses anything but an array of strings (NUL is refused as everywhere, see validation.ts). */
export function assertTexts(texts: unknown, field = "texts"): asserts texts is string[] {
	if (!Array.isArray(texts)) {
		throw new ValidationError(field, `expected an array of strings, got ${describe(texts)}`);
	}
	texts.forEach((text, i) => {
		assertString(text, `${field}[${i}]`, { allowEmpty: true });
	});
}

/** `embedOne` through `embed`, for providers with no cheaper single-text path. */
export async function embedOneWith(
	embed: (texts: string[]) => Promise<Float32Array[]>,
	text: string,
): Promise<Float32Array> {
	assertTexts([text], "text");
	const [vector] = await embed([text]);
	return vector as Float32Array;
}
