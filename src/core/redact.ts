/**
 * Credentials never leave agentmem in text: a URL's password and secret-looking query or
 * keyword parameters (`password=…`, `token=…`) are masked as `***` in every error message, log
 * line and CLI output. Masking is textual, so it also works on URLs no parser accepts (a bad port,
 * a raw `@` or `/` in the password): those are exactly the ones echoed in error messages.
 */

export const MASK = "***";

/** Query parameters (after `?`, `&` or `;`) whose value is a secret. */
const SECRET_QUERY =
	/([?&;](?:password|passwd|pwd|pass|sslpassword|secret|client_secret|token|access_token|auth_token|api[-_]?key|apikey|key|sig|signature)=)([^&#\s"<>]*)/gi;
/** libpq keyword/value connection strings: `host=db password=secret`, `password='a b'`. */
const SECRET_KEYWORD =
	/(^|[\s,;{(])((?:password|passwd|pwd|sslpassword)\s*=\s*)('[^']*'|"[^"]*"|[^\s,;)}]+)/gi;
/**
 * A URL with an authority, up to whitespace, a double quote or an angle bracket. Not a single
 * quote: `encodeURIComponent` leaves `'` in passwords (a token running on past a closing `'`
 * masks no more than the URL's own password).
 */
const URL_TOKEN = /\b[a-z][a-z0-9+.-]{0,30}:\/\/[^\s"<>`]*/gi;

/**
 * `url` with its password (and secret query parameters) masked: `postgres://app:***@db/prod`.
 * The user name, host, port, path and other parameters are kept, so the URL is still recognisable.
 */
export function redactUrl(url: string): string {
	const start = url.indexOf("://");
	if (start < 0) return maskParams(url);
	const head = url.slice(0, start + 3);
	const rest = url.slice(start + 3);
	const at = userinfoEnd(rest);
	if (at < 0) return head + maskParams(rest);
	const userinfo = rest.slice(0, at);
	const colon = userinfo.indexOf(":");
	const masked = colon < 0 ? userinfo : `${userinfo.slice(0, colon + 1)}${MASK}`;
	return head + masked + maskParams(rest.slice(at));
}

/**
 * Where the userinfo of a URL's remainder (after `//`) ends: the index of its `@`, or -1. The
 * authority normally ends at the first `/`, `?` or `#`, and its last `@` ends the userinfo. A raw
 * `/` in a password (an invalid URL, but one people write) moves that `@` past the first `/`: the
 * part before the `/` is then `user:pa`, which is no `host:port`.
 */
function userinfoEnd(rest: string): number {
	const authorityEnd = firstOf(rest, "/?#");
	const at = rest.lastIndexOf("@", authorityEnd - 1);
	if (at >= 0) return at;
	const beforeSlash = rest.slice(0, authorityEnd);
	const colon = beforeSlash.indexOf(":");
	if (colon < 0 || /^\d*$/.test(beforeSlash.slice(colon + 1))) return -1;
	// `user:pa/ss@host/db`: the last `@` before the query or fragment.
	const queryStart = firstOf(rest, "?#");
	return rest.lastIndexOf("@", queryStart - 1);
}

function firstOf(text: string, chars: string): number {
	for (let i = 0; i < text.length; i++) if (chars.includes(text[i] as string)) return i;
	return text.length;
}

function maskParams(text: string): string {
	return text.replace(SECRET_QUERY, `$1${MASK}`);
}

/** `text` with every URL's credentials and every `password=…` masked. */
export function redactSecrets(text: string): string {
	return text
		.replace(URL_TOKEN, (url) => redactUrl(url))
		.replace(SECRET_KEYWORD, `$1$2${MASK}`)
		.replace(SECRET_QUERY, `$1${MASK}`);
}

/** The error properties that may hold text (Node's invalid-URL TypeError keeps the URL in `input`). */
const TEXT_PROPERTIES = ["message", "stack", "input", "detail", "hint", "where", "path"] as const;

/**
 * Masks credentials, in place, in an error, its `cause` chain and an AggregateError's `errors`: a
 * driver's error kept as `cause` must not carry a password to whoever logs it. Only text changes.
 */
export function redactError(err: unknown, seen = new Set<unknown>()): void {
	if (err === null || typeof err !== "object" || seen.has(err) || seen.size > 20) return;
	seen.add(err);
	const e = err as Record<string, unknown>;
	for (const key of TEXT_PROPERTIES) {
		let value: unknown;
		try {
			value = e[key];
		} catch {
			continue;
		}
		if (typeof value !== "string") continue;
		const clean = redactSecrets(value);
		if (clean === value) continue;
		try {
			Object.defineProperty(err, key, {
				value: clean,
				writable: true,
				configurable: true,
				enumerable: Object.prototype.propertyIsEnumerable.call(err, key),
			});
		} catch {
			// A frozen foreign object: nothing to do but leave it.
		}
	}
	redactError(e.cause, seen);
	if (Array.isArray(e.errors)) for (const inner of e.errors) redactError(inner, seen);
}
