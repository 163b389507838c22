/**
 * Raw SQL as Supabase's API (PostgREST) or any SQL client sends it, for the row-level security
 * tests: a non-superuser LOGIN role (like Supabase's `authenticator`, granted `anon` and
 * `authenticated`, and `service_role` when asked) connects on a plain pg.Client, then per attempt
 * does `SET LOCAL ROLE` and sets `request.jwt.claims` itself. Each attempt runs in its own
 * transaction, rolled back unless asked otherwise, so the world stays as the test made it.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { expect } from "vitest";
import type { TestDatabase } from "./helpers.js";

export type Claims = Record<string, unknown>;
export type ApiRole = "anon" | "authenticated" | "service_role";
export type Statement = [string, unknown[]?];
/** What a statement did: its rows and row count, or the error's SQLSTATE and message. */
export type Outcome =
	| { rows: Record<string, unknown>[]; count: number }
	| { error: string; message: string };

export interface LoginRole {
	/** The login role's own connection (its search_path is the schema under test). */
	client: pg.Client;
	/**
	 * Runs `statements` as `role` with `claims` (plus `role`) in one transaction, each under a
	 * savepoint so a refused statement does not end the rest; rolled back unless `commit`.
	 */
	as(
		role: ApiRole,
		claims: Claims,
		statements: Statement[],
		options?: { commit?: boolean },
	): Promise<Outcome[]>;
	/** Closes the connection and drops the role. */
	close(): Promise<void>;
}

/**
 * Creates a fresh LOGIN role (NOINHERIT, not a superuser) granted `roles`, and connects as it with
 * `schema` first on its search_path.
 */
export async function loginRole(
	db: TestDatabase,
	schema: string,
	roles: ApiRole[] = ["anon", "authenticated"],
): Promise<LoginRole> {
	const name = `agentmem_authenticator_${randomBytes(5).toString("hex")}`;
	await db.sql(`CREATE ROLE ${name} LOGIN NOINHERIT NOSUPERUSER`);
	await db.sql(`GRANT ${roles.join(", ")} TO ${name}`);
	const url = new URL(db.url);
	url.username = name;
	url.password = "";
	const client = new pg.Client({ connectionString: url.toString() });
	await client.connect();
	await client.query(`SET search_path = ${schema}, public`);
	const [me] = (
		await client.query<{ rolsuper: boolean; rolbypassrls: boolean }>(
			"SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user",
		)
	).rows;
	expect(me).toEqual({ rolsuper: false, rolbypassrls: false });

	async function as(
		role: ApiRole,
		claims: Claims,
		statements: Statement[],
		options: { commit?: boolean } = {},
	): Promise<Outcome[]> {
		const out: Outcome[] = [];
		await client.query("BEGIN");
		let commit = false;
		try {
			await client.query(`SET LOCAL ROLE ${role}`);
			await client.query("SELECT set_config('request.jwt.claims', $1, true)", [
				JSON.stringify({ ...claims, role }),
			]);
			for (const [sql, params] of statements) {
				await client.query("SAVEPOINT attempt");
				try {
					const r = await client.query(sql, params);
					out.push({ rows: r.rows, count: r.rowCount ?? 0 });
				} catch (err) {
					const e = err as { code?: string; message?: string };
					out.push({ error: e.code ?? String(err), message: e.message ?? String(err) });
					await client.query("ROLLBACK TO SAVEPOINT attempt");
				}
			}
			commit = options.commit === true;
		} finally {
			await client.query(commit ? "COMMIT" : "ROLLBACK");
		}
		return out;
	}

	return {
		client,
		as,
		async close() {
			await client.end();
			await db.sql(`DROP OWNED BY ${name}`).catch(() => undefined);
			await db.sql(`DROP ROLE IF EXISTS ${name}`);
		},
	};
}

/** Refused: an error (42501: row-level security or privileges), or a statement that touched no row. */
export function refused(o: Outcome | undefined): void {
	expect(o && ("error" in o ? o.error : o.count)).toSatisfy(
		(v: unknown) => v === "42501" || v === 0,
	);
}

/** Done: the statement succeeded and touched `count` rows. */
export function done(o: Outcome | undefined, count = 1): void {
	expect(o).toMatchObject({ count });
}
