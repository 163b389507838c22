/** A short, safe description of a value for error messages (never the whole value). */
export function describe(value: unknown): string {
	if (value === null) return "null";
	if (value === undefined) return "undefined";
	if (typeof value === "string") {
		const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
		return JSON.stringify(shown);
	}
	if (typeof value === "number") return String(value);
	if (Array.isArray(value)) return `an array of ${value.length}`;
	if (value instanceof Float32Array) return `a Float32Array of ${value.length}`;
	if (typeof value === "object") return `a ${value.constructor?.name ?? "null-prototype"} object`;
	return typeof value;
}
