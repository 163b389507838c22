/**
 * What Supabase's API (PostgREST) does at the start of each request's transaction, as a prelude for
 * `adapter.asUser(claims)`: switch to the request's role and expose its JWT claims, both local to
 * the transaction, so `auth.uid()` and the row-level security policies see them.
 */
import { ValidationError } from "../../../core/errors.js";
import type { SqlStatement } from "../../../core/sql/context.js";
import * as v from "../../../core/validation.js";

/** The roles a request may take, as in Supabase. Default: `authenticated`. */
export const REQUEST_ROLES = ["anon", "authenticated", "service_role"] as const;
export type RequestRole = (typeof REQUEST_ROLES)[number];

/** JWT claims as `verifyJwt` yields them (or built by a trusted server). */
export interface RequestClaims {
	/** The user's id (an account id); required for `authenticated`. */
	sub?: string;
	role?: string;
	[claim: string]: unknown;
}

const REQUEST_SETTINGS =
	"SELECT set_config('role', $1::text, true), set_config('request.jwt.claims', $2::text, true)";

export function requestPrelude(claims: RequestClaims): SqlStatement[] {
	if (claims === null || typeof claims !== "object" || Array.isArray(claims))
		throw new ValidationError("claims", "expected the JWT claims object");
	const role = claims.role ?? "authenticated";
	if (!(REQUEST_ROLES as readonly unknown[]).includes(role)) {
		throw new ValidationError(
			"claims.role",
			`expected one of ${REQUEST_ROLES.join(", ")}, got ${v.describe(role)}`,
		);
	}
	if (role === "authenticated" || claims.sub !== undefined) v.assertUuid(claims.sub, "claims.sub");
	const json = v.jsonObjectText({ ...claims, role }, "claims");
	return [{ sql: REQUEST_SETTINGS, params: [role, json] }];
}

/**
 * What an `asUser` view owns: the subscriptions made through it (the connection pool, LISTEN
 * connection and everything else belong to the adapter it came from). Its `close()` ends those and
 * retires the view; the adapter and its other views stay open.
 */
export class UserViewResources {
	closed = false;
	readonly #subscriptions = new Set<() => Promise<void>>();

	/** Tracks a subscription of the view; the returned unsubscribe also forgets it. */
	track(unsubscribe: () => Promise<void>): () => Promise<void> {
		this.#subscriptions.add(unsubscribe);
		return async () => {
			this.#subscriptions.delete(unsubscribe);
			await unsubscribe();
		};
	}

	async close(): Promise<void> {
		this.closed = true;
		const ends = [...this.#subscriptions];
		this.#subscriptions.clear();
		await Promise.all(ends.map((end) => end()));
	}
}
