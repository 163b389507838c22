/**
 * Opening the database and its embedder. Read commands open with `migrate: false` (nothing is
 * created or migrated, on any backend); write commands create a database only where none is. The
 * embedder follows the model and dimension the database records: the configured ones (flags,
 * `AGENTMEM_*`, config file) choose them only for a new database (and `reembed` switches them).
 */
import type { DatabaseAdapter } from "../core/adapter.js";
import { ConfigurationError, NoSchemaError, OutdatedSchemaError } from "../core/errors.js";
import { redactUrl } from "../core/redact.js";
import { createAdapter, parseDatabaseUrl } from "../create-adapter.js";
import { withEmbeddingCache } from "../embed/cache.js";
import { createHashingEmbedder, DEFAULT_HASHING_DIMENSION } from "../embed/hashing.js";
import { createOpenAIEmbedder } from "../embed/openai.js";
import type { EmbeddingProvider } from "../embed/provider.js";
import { databaseUrl, type GlobalOptions } from "./context.js";

const HASHING_MODEL = /^agentmem-hashing-v\d+-(\d+)$/;

/**
 * The configured embedding provider (for a new database, or `doctor`'s comparison): an
 * OpenAI-compatible server when a URL is set, else the offline hashing embedder.
 */
export async function embedder(g: GlobalOptions): Promise<EmbeddingProvider> {
	if (g.embeddingUrl) {
		const provider = createOpenAIEmbedder({
			baseUrl: g.embeddingUrl,
			model: g.embeddingModel,
			dimension: g.dimension,
			apiKey: g.apiKey,
		});
		await provider.detectDimension();
		return withEmbeddingCache(provider);
	}
	return withEmbeddingCache(
		createHashingEmbedder({ dimension: g.dimension ?? DEFAULT_HASHING_DIMENSION }),
	);
}

/**
 * The provider for an open database: its recorded model and dimension. A configured dimension or
 * model that differs is refused (vectors of two models cannot be compared).
 */
export async function embedderFor(
	db: DatabaseAdapter,
	g: GlobalOptions,
): Promise<EmbeddingProvider> {
	const dimension = db.capabilities.embeddingDimension;
	const model = (await db.stats()).embeddingModel;
	if (g.dimension !== undefined && g.dimension !== dimension) {
		throw new ConfigurationError(
			`This database stores ${dimension}-dimensional embeddings (model ${model ?? "not recorded"}), but the ${describeSource(g, "dimension")} says ${g.dimension}. Commands use the database's model; only \`agentmem init\` (a new database) and \`agentmem reembed\` (a switch) take another.`,
		);
	}
	const hashing = model === null || HASHING_MODEL.test(model);
	if (g.embeddingUrl) {
		if (g.embeddingModel !== undefined && model !== null && g.embeddingModel !== model) {
			throw new ConfigurationError(
				`This database's embeddings were made by "${model}", but the ${describeSource(g, "embeddingModel")} says "${g.embeddingModel}". Use "${model}", or switch with \`agentmem reembed\`.`,
			);
		}
		return embedder({ ...g, embeddingModel: g.embeddingModel ?? model ?? undefined, dimension });
	}
	if (!hashing) {
		throw new ConfigurationError(
			`This database's embeddings were made by "${model}": give its server with --embedding-url (or AGENTMEM_EMBEDDING_URL, or "embedding.url" in agentmem.config.json).`,
		);
	}
	return embedder({ ...g, dimension });
}

function describeSource(g: GlobalOptions, name: "dimension" | "embeddingModel"): string {
	const flag = name === "dimension" ? "--dimension" : "--embedding-model";
	const env = name === "dimension" ? "AGENTMEM_EMBEDDING_DIMENSION" : "AGENTMEM_EMBEDDING_MODEL";
	switch (g.sources[name]) {
		case "env":
			return `variable ${env}`;
		case "config":
			return `config file ${g.configFile}`;
		default:
			return `option ${flag}`;
	}
}

/**
 * Opens a database that must exist, creating and migrating nothing: a missing SQLite file, an
 * absent or empty PGlite directory and a PostgreSQL database without agentmem's tables are all a
 * NoSchemaError saying to run `agentmem init`.
 */
export async function openExisting(url: string, g?: GlobalOptions): Promise<DatabaseAdapter> {
	const shown = redactUrl(url);
	const done = openingLine(url, g);
	try {
		return await createAdapter(url, { migrate: false });
	} catch (err) {
		if (err instanceof NoSchemaError) {
			throw new NoSchemaError(
				`No agentmem database here (${shown}): create one with \`agentmem init --url ${shown}\`, or check the URL.`,
				{ cause: err },
			);
		}
		if (err instanceof OutdatedSchemaError) {
			throw new OutdatedSchemaError(
				`The database at ${shown} has an older agentmem schema: \`agentmem init --url ${shown}\` migrates it (read commands never do).`,
				{ cause: err },
			);
		}
		throw err;
	} finally {
		done();
	}
}

/**
 * Opens the database for a write, with its provider: an existing one (migrated when outdated)
 * with the model it records, else a new one created for the configured model.
 */
export async function openWritable(
	g: GlobalOptions,
): Promise<{ db: DatabaseAdapter; provider: EmbeddingProvider }> {
	const url = databaseUrl(g);
	let db: DatabaseAdapter;
	try {
		db = await openExisting(url, g);
	} catch (err) {
		if (err instanceof OutdatedSchemaError) db = await createAdapter(url);
		else if (err instanceof NoSchemaError) {
			const provider = await embedder(g);
			return { db: await openFor(url, provider, g), provider };
		} else throw err;
	}
	try {
		return { db, provider: await embedderFor(db, g) };
	} catch (err) {
		await db.close();
		throw err;
	}
}

/** Opens (creating when needed) a database for the provider's vectors. */
export async function openFor(
	url: string,
	provider: EmbeddingProvider,
	g?: GlobalOptions,
): Promise<DatabaseAdapter> {
	const done = openingLine(url, g);
	try {
		return await createAdapter(url, {
			embeddingDimension: provider.dimension,
			embeddingModel: provider.model,
		});
	} finally {
		done();
	}
}

/** "opening…" on a terminal's stderr while PGlite starts (it takes a second or two); erased after. */
function openingLine(url: string, g?: GlobalOptions): () => void {
	let pglite = false;
	try {
		pglite = parseDatabaseUrl(url).backend === "pglite";
	} catch {
		// createAdapter reports the bad URL.
	}
	if (!pglite || g?.json || process.stderr.isTTY !== true) return () => {};
	process.stderr.write(`opening ${redactUrl(url)}…`);
	return () => process.stderr.write("\r\x1b[K");
}
