/** Stored text every backend keeps unchanged: the check strings and JSON (json-check.ts) share. */
import { ValidationError } from "./errors.js";

/** Text every backend stores unchanged: well-formed UTF-16 (no lone surrogate), no U+0000. */
export function assertStorableText(value: string, field: string): void {
	assertNoNul(value, field);
	assertNoLoneSurrogate(value, field);
}

const LONE_SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function assertNoLoneSurrogate(value: string, field: string): void {
	const match = LONE_SURROGATE_RE.exec(value);
	if (match) {
		const code = (match[0].codePointAt(0) ?? 0).toString(16).toUpperCase();
		throw new ValidationError(
			field,
			`contains a lone surrogate (U+${code} at index ${match.index}), which is not Unicode text: PostgreSQL cannot store it and SQLite would keep it corrupted; no backend accepts it`,
		);
	}
}

function assertNoNul(value: string, field: string): void {
	if (value.includes("\u0000")) {
		throw new ValidationError(
			field,
			"contains U+0000 (NUL), which PostgreSQL cannot store; no backend accepts it",
		);
	}
}
