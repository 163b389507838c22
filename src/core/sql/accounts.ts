/** The contract's accounts, over SQL. */
import { ValidationError } from "../errors.js";
import type { Account, UUID } from "../types.js";
import * as v from "../validation.js";
import type { SqlContext } from "./context.js";
import * as rows from "./rows.js";
import { op } from "./session.js";

export async function getAccountById(ctx: SqlContext, userId: UUID): Promise<Account | null> {
	if (userId === undefined || userId === null) return null; // a missing id is "not found"
	const id = v.uuid(userId, "userId");
	const found = await op(ctx, "getAccountById", (s) =>
		s.all(ctx.family.statements.accountGet, [id]),
	);
	return found[0] ? rows.toAccount(found[0]) : null;
}

export async function createAccount(ctx: SqlContext, account: Account): Promise<boolean> {
	if (account === null || typeof account !== "object")
		throw new ValidationError("account", "expected an account object");
	const id = v.uuid(account.id, "account.id");
	v.assertString(account.name, "account.name", { allowEmpty: true });
	v.assertString(account.username, "account.username", { allowEmpty: true });
	v.assertOptionalString(account.email, "account.email");
	v.assertOptionalString(account.avatarUrl, "account.avatarUrl");
	const details = v.jsonObjectText(account.details ?? {}, "account.details");
	const changed = await op(ctx, "createAccount", (s) =>
		s.run(ctx.family.statements.accountInsert, [
			id,
			account.name,
			account.username,
			account.email ?? null,
			account.avatarUrl ?? null,
			details,
			Date.now(),
		]),
	);
	return changed > 0;
}
