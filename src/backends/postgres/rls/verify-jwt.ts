/**
 * Verifies a Supabase-style JWT (HS256 project secret, or the project's JWKS for asymmetric keys)
 * and yields its claims, ready for `adapter.asUser(claims)`. Signature, expiry (required),
 * not-before, audience and issuer are checked by `jose`; every refusal is an `AuthError`.
 *
 * Hardened for tokens that come straight from clients: a token over 16 KB is refused before it is
 * parsed, a JWKS is fetched only over https (http only on loopback, for tests and local sidecars),
 * and a `service_role` token (which bypasses row-level security) is refused unless the caller opts
 * in with `allowServiceRole` (server-to-server use only).
 */
import { createRemoteJWKSet, errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from "jose";
import {
	AuthError,
	ConfigurationError,
	ConnectionError,
	ValidationError,
} from "../../../core/errors.js";

/** The key a token must be signed with: a shared secret (HS256/384/512) or a JWKS URL. */
export type JwtKey = { secret: string | Uint8Array } | { jwksUrl: string | URL };

export interface VerifyJwtOptions {
	/** Expected `aud` (Supabase user tokens carry `authenticated`). Checked when given. */
	audience?: string | string[];
	/** Expected `iss` (Supabase: `https://<project>.supabase.co/auth/v1`). Checked when given. */
	issuer?: string | string[];
	/** Allowed clock skew in seconds for `exp`/`nbf`. Default 0. */
	clockToleranceSec?: number;
	/**
	 * Accept a token whose `role` claim is `service_role` (it bypasses row-level security). Default
	 * false: a user-facing endpoint never has a reason to accept one.
	 */
	allowServiceRole?: boolean;
}

/** The largest token accepted, in bytes (Supabase's user tokens are well under 2 KB). */
export const MAX_TOKEN_BYTES = 16 * 1024;

/** The verified claims of a token; `sub` and `role` are what row-level security reads. */
export type JwtClaims = JWTPayload & { role?: string; [claim: string]: unknown };

const HMAC = ["HS256", "HS384", "HS512"];
const ASYMMETRIC = [
	"RS256",
	"RS384",
	"RS512",
	"PS256",
	"PS384",
	"PS512",
	"ES256",
	"ES384",
	"ES512",
	"EdDSA",
];
/** One key set per URL, so its keys are fetched once and refreshed by jose's own cooldown. */
const keySets = new Map<string, JWTVerifyGetKey>();

export async function verifyJwt(
	token: string,
	key: JwtKey,
	options: VerifyJwtOptions = {},
): Promise<JwtClaims> {
	if (typeof token !== "string" || token === "")
		throw new ValidationError("token", "expected a JWT string");
	// Before any decoding or crypto: a huge token costs nothing to refuse.
	if (token.length > MAX_TOKEN_BYTES || Buffer.byteLength(token) > MAX_TOKEN_BYTES)
		throw new AuthError(`token refused: it is larger than ${MAX_TOKEN_BYTES} bytes`);
	const check = {
		audience: options.audience,
		issuer: options.issuer,
		clockTolerance: options.clockToleranceSec ?? 0,
		requiredClaims: ["exp"],
	};
	let claims: JwtClaims | undefined;
	try {
		if (key && "secret" in key) {
			const secret =
				typeof key.secret === "string" ? new TextEncoder().encode(key.secret) : key.secret;
			if (!(secret instanceof Uint8Array) || secret.length === 0)
				throw new ConfigurationError("verifyJwt: the secret is empty");
			claims = (await jwtVerify(token, secret, { ...check, algorithms: HMAC })).payload;
		} else if (key && "jwksUrl" in key) {
			const url = jwksLocation(key.jwksUrl);
			let keySet = keySets.get(url.href);
			if (!keySet) {
				keySet = createRemoteJWKSet(url);
				keySets.set(url.href, keySet);
			}
			claims = (await jwtVerify(token, keySet, { ...check, algorithms: ASYMMETRIC })).payload;
		}
	} catch (err) {
		throw refusal(err);
	}
	if (!claims) throw new ConfigurationError("verifyJwt: give { secret } or { jwksUrl } as the key");
	if (claims.role === "service_role" && options.allowServiceRole !== true)
		throw new AuthError(
			"token refused: its role is service_role, which bypasses row-level security; pass { allowServiceRole: true } only where a server-to-server token is expected",
		);
	return claims;
}

/** The JWKS URL, if it is https (or http on loopback: tests and local sidecars). */
function jwksLocation(jwksUrl: string | URL): URL {
	const url = new URL(jwksUrl);
	const loopback =
		url.hostname === "localhost" ||
		url.hostname === "[::1]" ||
		/^127\.\d+\.\d+\.\d+$/.test(url.hostname);
	if (url.protocol === "https:" || (url.protocol === "http:" && loopback)) return url;
	throw new ConfigurationError(
		`verifyJwt: the JWKS URL must use https (http is allowed only on loopback), got ${url.protocol}//${url.host}`,
	);
}

function refusal(err: unknown): Error {
	if (err instanceof ConfigurationError) return err;
	if (err instanceof TypeError && /Invalid URL/i.test(err.message))
		return new ConfigurationError(`verifyJwt: jwksUrl is not a URL (${err.message})`, {
			cause: err,
		});
	if (err instanceof errors.JWKSTimeout || (err instanceof TypeError && /fetch/i.test(err.message)))
		return new ConnectionError(`verifyJwt: cannot fetch the JWKS (${err.message})`, { cause: err });
	if (err instanceof errors.JWTExpired) return new AuthError("token expired", { cause: err });
	if (err instanceof errors.JWTClaimValidationFailed)
		return new AuthError(`token claim "${err.claim}" is invalid: ${err.message}`, { cause: err });
	if (err instanceof errors.JWSSignatureVerificationFailed)
		return new AuthError("token signature is invalid", { cause: err });
	if (err instanceof errors.JOSEError)
		return new AuthError(`token refused: ${err.message}`, { cause: err });
	return new AuthError(`token refused: ${err instanceof Error ? err.message : String(err)}`, {
		cause: err,
	});
}
