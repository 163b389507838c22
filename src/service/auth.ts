/**
 * Who a request acts as. The service key (`Authorization: Bearer <key>` or `apikey: <key>`,
 * compared in constant time) is the service role: the adapter itself. Any other bearer token is a
 * user JWT, verified with `verifyJwt`; the request then runs through `adapter.asUser(claims)` so
 * row-level security decides, and on a backend without it the request is refused (403), never
 * served as the service role. With no key configured (loopback only, see assertSafeBinding), a
 * request without credentials is the service role.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import {
	type JwtClaims,
	type JwtKey,
	type VerifyJwtOptions,
	verifyJwt,
} from "../backends/postgres/rls/verify-jwt.js";
import type { DatabaseAdapter } from "../core/adapter.js";
import { AuthError, ConfigurationError, PermissionDeniedError } from "../core/errors.js";

export interface AuthOptions {
	/** The service key (`AGENTMEM_API_KEY`). Without it the server serves loopback clients only. */
	apiKey?: string;
	/** How user JWTs are verified (`AGENTMEM_JWT_SECRET` or `AGENTMEM_JWKS_URL`); none: refused. */
	jwt?: JwtKey;
	/** Audience, issuer and clock tolerance for user JWTs. */
	jwtOptions?: VerifyJwtOptions;
}

/** The caller of one request. */
export type Caller = { kind: "service" } | { kind: "user"; claims: JwtClaims };

const digest = (text: string) => createHash("sha256").update(text).digest();

/** Resolves the caller from the request's headers, or throws `AuthError` (401). */
export class Authenticator {
	readonly #keyDigest: Buffer | undefined;
	readonly #options: AuthOptions;

	constructor(options: AuthOptions) {
		if (options.apiKey !== undefined && options.apiKey.length < 16)
			throw new ConfigurationError(
				"the service key (AGENTMEM_API_KEY) must be at least 16 characters",
			);
		this.#keyDigest = options.apiKey ? digest(options.apiKey) : undefined;
		this.#options = options;
	}

	get open(): boolean {
		return this.#keyDigest === undefined;
	}

	/** Constant time in the key's length too: both sides are compared as SHA-256 digests. */
	#isServiceKey(token: string): boolean {
		return this.#keyDigest !== undefined && timingSafeEqual(digest(token), this.#keyDigest);
	}

	async callerOf(headers: IncomingHttpHeaders): Promise<Caller> {
		const bearer = bearerOf(headers.authorization);
		const apikey = typeof headers.apikey === "string" ? headers.apikey : undefined;
		if (bearer !== undefined) {
			if (this.#isServiceKey(bearer)) return { kind: "service" };
			if (this.#options.jwt) {
				const claims = await verifyJwt(bearer, this.#options.jwt, this.#options.jwtOptions);
				return { kind: "user", claims };
			}
			if (this.open) return { kind: "service" };
			throw new AuthError(
				"the bearer token is not the service key, and user tokens are not enabled",
			);
		}
		if (apikey !== undefined) {
			if (this.#isServiceKey(apikey) || this.open) return { kind: "service" };
			throw new AuthError("the apikey header is not the service key");
		}
		if (this.open) return { kind: "service" };
		throw new AuthError(
			"credentials required: send the service key as `Authorization: Bearer <key>` or `apikey: <key>`, or a user JWT as a bearer token",
		);
	}
}

function bearerOf(header: string | undefined): string | undefined {
	if (header === undefined) return undefined;
	const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
	if (!m) throw new AuthError("the Authorization header must be `Bearer <token>`");
	return m[1];
}

type UserViews = DatabaseAdapter & { asUser?: (claims: JwtClaims) => DatabaseAdapter };

/**
 * The adapter a caller's calls run on: the adapter for the service role, an `asUser` view for a
 * user (close it after the request). A backend without row-level security refuses users (403).
 */
export function adapterFor(adapter: DatabaseAdapter, caller: Caller): DatabaseAdapter {
	if (caller.kind === "service") return adapter;
	const a = adapter as UserViews;
	if (!a.capabilities.rowLevelSecurity || typeof a.asUser !== "function")
		throw new PermissionDeniedError(
			`user tokens are refused: this backend (${a.capabilities.backend}) has no row-level security, so it cannot limit a user to their rows; use the service key, or serve a PostgreSQL database with row-level security`,
		);
	return a.asUser(caller.claims);
}

/** Refuses to serve beyond this machine without a service key. */
export function assertSafeBinding(host: string, apiKey: string | undefined): void {
	if (apiKey) return;
	if (isLoopback(host)) return;
	throw new ConfigurationError(
		`refusing to listen on ${host} without a service key: anyone who can reach it would own the database. Set AGENTMEM_API_KEY (16+ characters), or listen on 127.0.0.1`,
	);
}

export function isLoopback(host: string): boolean {
	const h = host.replace(/^\[|\]$/g, "").toLowerCase();
	return (
		h === "localhost" || h === "::1" || /^127\.\d+\.\d+\.\d+$/.test(h) || h === "::ffff:127.0.0.1"
	);
}
