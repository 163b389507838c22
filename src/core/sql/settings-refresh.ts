/**
 * The recorded embedding settings can change under an open adapter: a re-embed (reembed.ts) in
 * this process or another switches the model and dimension. Each adapter caches them; a search
 * whose vector does not fit, or that the engine refuses, reads them again before answering, so a
 * reader learns of a switch at its first query that needs to (no cost to queries that fit).
 */
import { EmbeddingDimensionError } from "../errors.js";
import { checkQueryEmbedding } from "../validation.js";
import { ready, type SharedState, type SqlContext } from "./context.js";
import type { SqlSession } from "./driver.js";
import type { DatabaseSettings } from "./migrate.js";
import { TARGET_DIMENSION_KEY, TARGET_MODEL_KEY } from "./reembed-statements.js";

/** A re-embed's target, recorded while it runs. */
export interface ReembedTarget {
	dimension: number;
	model: string | null;
}

export async function readMeta(session: SqlSession, ctx: SqlContext): Promise<Map<string, string>> {
	const rows = await session.all<{ key: string; value: string }>(ctx.family.statements.metaAll);
	return new Map(rows.map((r) => [r.key, r.value]));
}

export function targetOf(meta: Map<string, string>): ReembedTarget | null {
	const dimension = meta.get(TARGET_DIMENSION_KEY);
	if (dimension === undefined) return null;
	return { dimension: Number(dimension), model: meta.get(TARGET_MODEL_KEY) ?? null };
}

/** Makes `settings` the adapter's (and its views'), capabilities included. */
export function applySettings(shared: SharedState, settings: DatabaseSettings): void {
	const backend = shared.backend;
	if (!backend) return;
	shared.settings = settings;
	shared.capabilities = Object.freeze({
		...backend.capabilities(settings),
		embeddingDimension: settings.embeddingDimension,
	});
	backend.vectorIndex?.settingsChanged?.(settings);
}

/** Reads the recorded settings again; true when they changed (and were applied). */
export async function refreshSettings(
	ctx: SqlContext,
): Promise<{ changed: boolean; target: ReembedTarget | null }> {
	const { backend, settings } = ready(ctx);
	const meta = await readMeta(ctx.scope?.tx.session ?? backend.driver.session, ctx);
	const dimension = Number(meta.get("embedding_dimension") ?? settings.embeddingDimension);
	const model = meta.get("embedding_model") ?? null;
	const changed = dimension !== settings.embeddingDimension || model !== settings.embeddingModel;
	if (changed)
		applySettings(ctx.shared, {
			...settings,
			embeddingDimension: dimension,
			embeddingModel: model,
		});
	return { changed, target: targetOf(meta) };
}

/** The error for a query of `actual` dimensions, saying when a re-embed to it is under way. */
function dimensionError(
	expected: number,
	actual: number,
	what: string,
	target: ReembedTarget | null,
): EmbeddingDimensionError {
	const context =
		target?.dimension === actual
			? `${what} (a re-embed to ${actual} dimensions${target.model ? ` with "${target.model}"` : ""} is in progress: search uses the ${expected}-dimensional vectors until it switches)`
			: what;
	return new EmbeddingDimensionError(expected, actual, context);
}

/**
 * A search's query vector, checked against the recorded dimension; when it does not fit, the
 * settings are read again first (another process may have switched them).
 */
export async function checkQueryFresh(
	ctx: SqlContext,
	embedding: unknown,
	what: string,
): Promise<Float32Array> {
	try {
		return checkQueryEmbedding(embedding, ready(ctx).settings.embeddingDimension);
	} catch (err) {
		if (!(err instanceof EmbeddingDimensionError)) throw err;
		const { changed, target } = await refreshSettings(ctx);
		const dimension = ready(ctx).settings.embeddingDimension;
		if (!changed || err.actual !== dimension)
			throw dimensionError(dimension, err.actual, what, target);
		return checkQueryEmbedding(embedding, dimension);
	}
}

/**
 * Runs a search; when the engine refuses it and the recorded settings changed meanwhile (a switch
 * by another process), answers as the new settings say: an EmbeddingDimensionError for a query of
 * the old dimension, else the search again.
 */
export async function searchFresh<T>(
	ctx: SqlContext,
	query: Float32Array,
	what: string,
	search: () => Promise<T>,
): Promise<T> {
	try {
		return await search();
	} catch (err) {
		const { changed, target } = await refreshSettings(ctx).catch(() => ({
			changed: false,
			target: null,
		}));
		if (!changed) throw err;
		const dimension = ready(ctx).settings.embeddingDimension;
		if (query.length !== dimension) throw dimensionError(dimension, query.length, what, target);
		return search();
	}
}
