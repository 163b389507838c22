/** The one UUID pattern (any version, either case): ids are checked, and stored lower case. */
export const UUID_SOURCE = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

const UUID_RE = new RegExp(`^${UUID_SOURCE}$`, "i");

/** True when `value` is a string shaped as a UUID. */
export function isUuid(value: unknown): value is string {
	return typeof value === "string" && UUID_RE.test(value);
}
