/**
 * Re-embedding on a model switch, online and resumable. The next model's vectors are written beside
 * the old ones (shadow tables, migration PostgreSQL 008 / SQLite 004) while search goes on with the
 * old ones; once every row that has a vector has its next one, one transaction takes the writers'
 * lock, embeds the rows written since, moves the next vectors in, rebuilds the vector index for the
 * new dimension and records the new model and dimension. The shadow tables are the progress: a run
 * killed at any point continues where it stopped (each batch commits on its own).
 */
import type { EmbeddingProvider } from "../../embed/provider.js";
import {
	ConfigurationError,
	ConflictError,
	ReadOnlyDatabaseError,
	ValidationError,
} from "../errors.js";
import type { Content } from "../types.js";
import { assertCount, checkStoredEmbedding } from "../validation.js";
import { ready, type SqlContext } from "./context.js";
import type { SqlSession } from "./driver.js";
import { type DatabaseSettings, MAX_EMBEDDING_DIMENSION } from "./migrate.js";
import {
	REEMBED_TABLES,
	type ReembedStatements,
	type ReembedTable,
	reembedStatements,
	TARGET_DIMENSION_KEY,
	TARGET_MODEL_KEY,
} from "./reembed-statements.js";
import {
	abortReembed,
	callback,
	counts,
	OUTSIDE_TRANSACTION,
	type ReembedStatus,
	reembedStatus,
	wrapped,
} from "./reembed-status.js";
import { applySettings, readMeta, targetOf } from "./settings-refresh.js";

export type { ReembedStatus, ReembedTable };
export { abortReembed, reembedStatus };

export const DEFAULT_REEMBED_BATCH_SIZE = 128;

export interface ReembedOptions {
	/** The new model: its `model` and `dimension` are recorded at the switch. */
	embedder: EmbeddingProvider;
	/** Rows embedded and committed together. Default 128. */
	batchSize?: number;
	/** Stops between batches (throws the signal's reason); a later run continues. */
	signal?: AbortSignal;
	/** Called (and awaited) after each committed batch, and at the switch. */
	onProgress?: (progress: ReembedProgress) => void | Promise<void>;
	/**
	 * The text embedded for a row's content. Default: `content.text` (what ElizaOS embeds). A row
	 * whose text is absent or blank has no vector under the new model (its embedding becomes NULL).
	 */
	textOf?: (content: Content, table: ReembedTable) => string | null | undefined;
}

export interface ReembedProgress {
	/** `embedding`: batches; `switching`: the final transaction runs; `switched`: done. */
	phase: "embedding" | "switching" | "switched";
	/** Rows with their next vector (memories and knowledge items with a vector). */
	done: number;
	total: number;
}

export interface ReembedResult {
	from: { dimension: number; model: string | null };
	to: { dimension: number; model: string };
	/** Rows that already had their next vector when this run started (a resumed run). */
	resumed: number;
	/** Rows this run embedded. */
	embedded: number;
	/** Rows this run found without text (or with a text whose vector has no direction): now without a vector. */
	withoutText: number;
	/** Rows with a vector after the switch. */
	memories: number;
	knowledge: number;
}

interface Run {
	o: Required<Pick<ReembedOptions, "embedder" | "batchSize">> & ReembedOptions;
	st: ReembedStatements;
	target: { dimension: number; model: string };
	embedded: number;
	withoutText: number;
	done: number;
	total: number;
}

export async function reembed(ctx: SqlContext, options: ReembedOptions): Promise<ReembedResult> {
	const { backend, settings } = ready(ctx);
	if (ctx.scope) throw new ValidationError("reembed", OUTSIDE_TRANSACTION);
	if (backend.readOnly) throw new ReadOnlyDatabaseError("reembed: this adapter is read-only");
	// A provider that learns its dimension from its first answer (createOpenAIEmbedder) asks now.
	const detect = (options?.embedder as { detectDimension?: () => Promise<number> } | undefined)
		?.detectDimension;
	if (typeof detect === "function") await detect.call(options.embedder);
	const o = checkOptions(options);
	const st = reembedStatements(ctx.family);
	const target = { dimension: o.embedder.dimension, model: o.embedder.model };
	const run: Run = { o, st, target, embedded: 0, withoutText: 0, done: 0, total: 0 };
	return wrapped(backend, "reembed", async () => {
		await backend.driver.transaction(async (s) => {
			const recorded = targetOf(await readMeta(s, ctx));
			if (
				recorded &&
				(recorded.dimension !== target.dimension || recorded.model !== target.model)
			) {
				throw new ConfigurationError(
					`A re-embed to ${recorded.dimension} dimensions with "${recorded.model}" is in progress: finish it with that model, or abandon it first (abortReembed, agentmem reembed --abort).`,
				);
			}
			await s.run(ctx.family.statements.metaSet, [TARGET_DIMENSION_KEY, String(target.dimension)]);
			await s.run(ctx.family.statements.metaSet, [TARGET_MODEL_KEY, target.model]);
			for (const sql of st.startTriggers) await s.exec(sql);
		});
		await count(run, backend.driver.session);
		const resumed = run.done;
		await report(run, "embedding");
		// Rows written meanwhile are found by the next pass; the last pass runs inside the switch.
		for (let found = -1; found !== 0; ) {
			found = await pass(ctx, run, backend.driver.session, (fn) => backend.driver.transaction(fn));
		}
		await report(run, "switching");
		const next: DatabaseSettings = {
			...settings,
			embeddingDimension: target.dimension,
			embeddingModel: target.model,
		};
		await backend.driver.transaction(async (s) => {
			if (st.lock) await s.run(st.lock);
			const recorded = targetOf(await readMeta(s, ctx));
			if (recorded?.dimension !== target.dimension || recorded.model !== target.model) {
				throw new ConflictError(
					"reembed: the re-embed was abandoned or switched by another process meanwhile; run it again",
				);
			}
			await pass(ctx, run, s, (fn) => fn(s));
			for (const sql of st.stopTriggers) await s.exec(sql);
			await backend.vectorIndex?.drop(s);
			for (const sql of st.move(target.dimension)) await s.exec(sql);
			await s.run(ctx.family.statements.metaSet, ["embedding_dimension", String(target.dimension)]);
			await s.run(ctx.family.statements.metaSet, ["embedding_model", target.model]);
			await s.run(st.metaDelete, [TARGET_DIMENSION_KEY]);
			await s.run(st.metaDelete, [TARGET_MODEL_KEY]);
			await backend.vectorIndex?.create(s, next);
		});
		applySettings(ctx.shared, next);
		const after = await counts(run.st, backend.driver.session);
		backend.afterInsert?.("memories", after.memories);
		backend.afterInsert?.("knowledge", after.knowledge);
		run.done = run.total = after.memories + after.knowledge;
		await report(run, "switched");
		return {
			from: { dimension: settings.embeddingDimension, model: settings.embeddingModel },
			to: target,
			resumed,
			embedded: run.embedded,
			withoutText: run.withoutText,
			memories: after.memories,
			knowledge: after.knowledge,
		};
	});
}

/**
 * One pass over both tables: every row with a vector and no next vector, in id order, a batch at a
 * time (each written in one transaction by `write`). Returns the rows it found.
 */
async function pass(
	ctx: SqlContext,
	run: Run,
	read: SqlSession,
	write: (fn: (s: SqlSession) => Promise<void>) => Promise<void>,
): Promise<number> {
	let found = 0;
	for (const table of REEMBED_TABLES) {
		for (let after: string | null = null; ; ) {
			run.o.signal?.throwIfAborted();
			const rows: { id: string; content: string }[] = await read.all(run.st.page(table), [
				after,
				run.o.batchSize,
			]);
			if (rows.length === 0) break;
			after = String(rows[rows.length - 1]?.id);
			found += rows.length;
			const vectors = await embedRows(ctx, run, table, rows);
			run.o.signal?.throwIfAborted();
			await write(async (s) => {
				for (const [i, row] of rows.entries()) {
					await s.run(run.st.put(table), [row.id, vectors[i] ?? null, row.content]);
				}
			});
			run.done += rows.length;
			run.total = Math.max(run.total, run.done);
			await report(run, "embedding");
			// Embedded engines and the hashing embedder answer in microtasks only: let timers, I/O and
			// signals (Ctrl-C) in between batches, so the process stays responsive and can stop.
			await nextTurn();
		}
	}
	return found;
}

/** Each row's next vector in the family's encoding, or null when it has no text to embed. */
async function embedRows(
	ctx: SqlContext,
	run: Run,
	table: ReembedTable,
	rows: { id: string; content: string }[],
): Promise<unknown[]> {
	const texts = rows.map((row) => textOf(run, table, row.content));
	const wanted = texts.flatMap((t, i) => (t === null ? [] : [i]));
	const vectors = wanted.length
		? await callback(() => run.o.embedder.embed(wanted.map((i) => texts[i] as string)))
		: [];
	if (!Array.isArray(vectors) || vectors.length !== wanted.length) {
		throw new ConfigurationError(
			`reembed: the embedder returned ${Array.isArray(vectors) ? vectors.length : "no"} vectors for ${wanted.length} texts`,
		);
	}
	const out: unknown[] = rows.map(() => null);
	for (const [k, i] of wanted.entries()) {
		const checked = checkStoredEmbedding(
			vectors[k],
			run.target.dimension,
			`reembed: ${table} ${rows[i]?.id}`,
		);
		if (checked.kind === "vector") out[i] = ctx.family.encodeEmbedding(checked.vector);
	}
	run.embedded += rows.length;
	run.withoutText += out.filter((v) => v === null).length;
	return out;
}

function textOf(run: Run, table: ReembedTable, stored: string): string | null {
	let content: Content;
	try {
		content = JSON.parse(stored) as Content;
	} catch {
		return null;
	}
	const text = run.o.textOf ? run.o.textOf(content, table) : content?.text;
	return typeof text === "string" && text.trim() !== "" ? text : null;
}

async function count(run: Run, session: SqlSession): Promise<void> {
	const c = await counts(run.st, session);
	run.done = c.memories_done + c.knowledge_done;
	run.total = c.memories + c.knowledge;
}

function nextTurn(): Promise<void> {
	return new Promise((resolve) =>
		typeof setImmediate === "function" ? setImmediate(resolve) : setTimeout(resolve, 0),
	);
}

async function report(run: Run, phase: ReembedProgress["phase"]): Promise<void> {
	await callback(() => run.o.onProgress?.({ phase, done: run.done, total: run.total }));
}

function checkOptions(options: ReembedOptions): Run["o"] {
	if (options === null || typeof options !== "object")
		throw new ValidationError("options", "expected an object");
	const e = options.embedder;
	if (!e || typeof e !== "object" || typeof e.embed !== "function")
		throw new ValidationError(
			"embedder",
			"expected an EmbeddingProvider (model, dimension, embed)",
		);
	if (typeof e.model !== "string" || e.model === "")
		throw new ValidationError("embedder.model", "expected the model's name");
	assertCount(e.dimension, "embedder.dimension", { min: 1, max: MAX_EMBEDDING_DIMENSION });
	if (options.batchSize !== undefined)
		assertCount(options.batchSize, "batchSize", { min: 1, max: 10000 });
	if (options.onProgress !== undefined && typeof options.onProgress !== "function")
		throw new ValidationError("onProgress", "expected a function");
	if (options.textOf !== undefined && typeof options.textOf !== "function")
		throw new ValidationError("textOf", "expected a function");
	if (options.signal !== undefined && !(options.signal instanceof AbortSignal))
		throw new ValidationError("signal", "expected an AbortSignal");
	return { ...options, batchSize: options.batchSize ?? DEFAULT_REEMBED_BATCH_SIZE };
}
