/**
 * Verifies a Supabase-style JWT (HS256 project secret, or the project's JWKS for asymmetric keys)
 * and yields its claims, ready for `adapter.asUser(claims)`. Signature, expiry (required),
 * not-before, audience and issuer are checked by `jose`; every refusal is an `AuthError`.
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
}

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
	const check = {
		audience: options.audience,
		issuer: options.issuer,
		clockTolerance: options.clockToleranceSec ?? 0,
		requiredClaims: ["exp"],
	};
	try {
		if (key && "secret" in key) {
			const secret =
				typeof key.secret === "string" ? new TextEncoder().encode(key.secret) : key.secret;
			if (!(secret instanceof Uint8Array) || secret.length === 0)
				throw new ConfigurationError("verifyJwt: the secret is empty");
			return (await jwtVerify(token, secret, { ...check, algorithms: HMAC })).payload as JwtClaims;
		}
		if (key && "jwksUrl" in key) {
			const url = new URL(key.jwksUrl);
			let keySet = keySets.get(url.href);
			if (!keySet) {
				keySet = createRemoteJWKSet(url);
				keySets.set(url.href, keySet);
			}
			return (await jwtVerify(token, keySet, { ...check, algorithms: ASYMMETRIC }))
				.payload as JwtClaims;
		}
	} catch (err) {
		throw refusal(err);
	}
	throw new ConfigurationError("verifyJwt: give { secret } or { jwksUrl } as the key");
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
