/**
 * A re-embed's status and abandonment (reembed.ts runs it), and what both share: the progress
 * counts and how errors are passed on (the database's wrapped, the caller's callbacks' as they are).
 */
import { AgentmemError, ValidationError } from "../errors.js";
import { ready, type SqlBackend, type SqlContext } from "./context.js";
import type { SqlSession } from "./driver.js";
import {
	type ReembedStatements,
	reembedStatements,
	TARGET_DIMENSION_KEY,
	TARGET_MODEL_KEY,
} from "./reembed-statements.js";
import { type ReembedTarget, readMeta, targetOf } from "./settings-refresh.js";

export const OUTSIDE_TRANSACTION =
	"it runs its own transactions: call it on the adapter, outside transaction()";

export interface ReembedStatus {
	dimension: number;
	model: string | null;
	/** The re-embed in progress (its target), or null. */
	target: ReembedTarget | null;
	done: number;
	total: number;
}

/** The recorded model and dimension, and the re-embed in progress with its progress. */
export async function reembedStatus(ctx: SqlContext): Promise<ReembedStatus> {
	const { backend, settings } = ready(ctx);
	return wrapped(backend, "reembedStatus", async () => {
		const session = ctx.scope?.tx.session ?? backend.driver.session;
		const target = targetOf(await readMeta(session, ctx));
		const c = await counts(reembedStatements(ctx.family), session);
		return {
			dimension: settings.embeddingDimension,
			model: settings.embeddingModel,
			target,
			done: target ? c.memories_done + c.knowledge_done : 0,
			total: c.memories + c.knowledge,
		};
	});
}

/** Abandons a re-embed in progress (its next vectors are dropped); false when none was. */
export async function abortReembed(ctx: SqlContext): Promise<boolean> {
	const { backend } = ready(ctx);
	if (ctx.scope) throw new ValidationError("abortReembed", OUTSIDE_TRANSACTION);
	const st = reembedStatements(ctx.family);
	return wrapped(backend, "abortReembed", () =>
		backend.driver.transaction(async (s) => {
			const target = targetOf(await readMeta(s, ctx));
			for (const sql of st.stopTriggers) await s.exec(sql);
			for (const sql of st.clear) await s.exec(sql);
			await s.run(st.metaDelete, [TARGET_DIMENSION_KEY]);
			await s.run(st.metaDelete, [TARGET_MODEL_KEY]);
			return target !== null;
		}),
	);
}

export async function counts(
	st: ReembedStatements,
	session: SqlSession,
): Promise<{ memories: number; memories_done: number; knowledge: number; knowledge_done: number }> {
	const [row] = await session.all(st.counts);
	return {
		memories: Number(row?.memories ?? 0),
		memories_done: Number(row?.memories_done ?? 0),
		knowledge: Number(row?.knowledge ?? 0),
		knowledge_done: Number(row?.knowledge_done ?? 0),
	};
}

export /** Errors of the caller's callbacks, passed on as they are (not as database errors). */
const callers = new WeakSet<object>();

export async function callback<T>(fn: () => T | Promise<T>): Promise<T> {
	try {
		return await fn();
	} catch (err) {
		if (err !== null && typeof err === "object") callers.add(err);
		throw err;
	}
}

export async function wrapped<T>(
	backend: SqlBackend,
	what: string,
	work: () => Promise<T>,
): Promise<T> {
	try {
		return await work();
	} catch (err) {
		if (err instanceof AgentmemError || isAbort(err) || (err instanceof Object && callers.has(err)))
			throw err;
		throw backend.driver.wrapError(err, what);
	}
}

function isAbort(err: unknown): boolean {
	return err instanceof Error && (err.name === "AbortError" || err.name === "TimeoutError");
}
