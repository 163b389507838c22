/**
 * What every command shares: the global options (database URL, output mode, embedding provider),
 * opening the database, stable ids for names, and the usage error (exit code 2).
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { type Command, InvalidArgumentError } from "commander";
import type { DatabaseAdapter } from "../core/adapter.js";
import { ConfigurationError } from "../core/errors.js";
import { redactUrl } from "../core/redact.js";
import type { UUID } from "../core/types.js";
import { isUuid } from "../core/uuid.js";
import { createAdapter, defaultDatabaseUrl, parseDatabaseUrl } from "../create-adapter.js";
import { withEmbeddingCache } from "../embed/cache.js";
import { createHashingEmbedder, DEFAULT_HASHING_DIMENSION } from "../embed/hashing.js";
import { createOpenAIEmbedder } from "../embed/openai.js";
import type { EmbeddingProvider } from "../embed/provider.js";

/** A mistake in how the command was called: exit code 2. */
export class UsageError extends Error {}

export interface GlobalOptions {
	url?: string;
	json?: boolean;
	embeddingUrl?: string;
	embeddingModel?: string;
	dimension?: number;
}

/** A command's options merged with the global ones. */
export function optionsOf(cmd: Command): GlobalOptions & Record<string, unknown> {
	return cmd.optsWithGlobals() as GlobalOptions & Record<string, unknown>;
}

export function databaseUrl(options: GlobalOptions): string {
	return options.url ?? defaultDatabaseUrl();
}

/**
 * The embedding provider: an OpenAI-compatible server when a URL is given (option or
 * AGENTMEM_EMBEDDING_URL), else the offline hashing embedder. Repeated texts are embedded once.
 */
export async function embedder(options: GlobalOptions): Promise<EmbeddingProvider> {
	const env = process.env;
	const baseUrl = options.embeddingUrl ?? (env.AGENTMEM_EMBEDDING_URL || undefined);
	const envDim = env.AGENTMEM_EMBEDDING_DIMENSION
		? Number(env.AGENTMEM_EMBEDDING_DIMENSION)
		: undefined;
	const dimension = options.dimension ?? envDim;
	if (baseUrl) {
		const provider = createOpenAIEmbedder({ baseUrl, model: options.embeddingModel, dimension });
		await provider.detectDimension();
		return withEmbeddingCache(provider);
	}
	return withEmbeddingCache(
		createHashingEmbedder({ dimension: dimension ?? DEFAULT_HASHING_DIMENSION }),
	);
}

/** Opens a database that must already exist (a SQLite file that is missing is an error, not created). */
export async function openExisting(url: string): Promise<DatabaseAdapter> {
	const parsed = parseDatabaseUrl(url);
	const path =
		parsed.backend === "sqlite" && parsed.path !== ":memory:"
			? parsed.path
			: parsed.backend === "pglite"
				? parsed.dataDir
				: undefined;
	if (path !== undefined && !existsSync(path)) {
		throw new ConfigurationError(
			`No database at ${path}: create one with \`agentmem init --url ${redactUrl(url)}\` (or check the path).`,
		);
	}
	return createAdapter(url);
}

/** Opens (creating when needed) a database for the provider's vectors. */
export async function openFor(url: string, provider: EmbeddingProvider): Promise<DatabaseAdapter> {
	return createAdapter(url, {
		embeddingDimension: provider.dimension,
		embeddingModel: provider.model,
	});
}

/** A stable UUID for a name (so `--room general` is the same room every time); a UUID is kept. */
export function stableId(kind: string, name: string): UUID {
	if (isUuid(name)) {
		return name.toLowerCase() as UUID;
	}
	const h = createHash("sha1").update(`agentmem:${kind}:${name}`).digest("hex");
	// Shaped as a version-5 (name-based, SHA-1) UUID.
	const variant = ((Number.parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(18, 20)}-${h.slice(20, 32)}` as UUID;
}

/** Creates the account (named `name`) if absent and returns its id. */
export async function ensureAccount(db: DatabaseAdapter, name: string): Promise<UUID> {
	const id = stableId("user", name);
	await db.createAccount({ id, name, username: name.toLowerCase().replace(/\s+/g, "-") });
	return id;
}

/** Rooms have no name column: the CLI keeps the names it was given in the key-value cache. */
const CLI_AGENT = stableId("agent", "agentmem-cli");
const roomKey = (id: UUID) => `room-name:${id}`;

export async function roomName(db: DatabaseAdapter, id: UUID): Promise<string | undefined> {
	return db.getCache({ agentId: CLI_AGENT, key: roomKey(id) });
}

/** Creates the room and adds the users to it, all idempotently. */
export async function ensureRoom(db: DatabaseAdapter, name: string, users: UUID[]): Promise<UUID> {
	const id = await db.createRoom(stableId("room", name));
	if (id !== name) await db.setCache({ agentId: CLI_AGENT, key: roomKey(id), value: name });
	for (const user of users) await db.addParticipant(user, id);
	return id;
}

/** Commander argument parsers that report a usage error (exit 2). */
export function positiveInt(value: string): number {
	const n = Number(value);
	if (!Number.isSafeInteger(n) || n < 1)
		throw new InvalidArgumentError("expected a positive integer");
	return n;
}

export function similarity(value: string): number {
	const n = Number(value);
	if (value.trim() === "" || !Number.isFinite(n) || n < -1 || n > 1)
		throw new InvalidArgumentError("expected a cosine similarity between -1 and 1");
	return n;
}

/** Prints the result: JSON for `--json`, else the human text. */
export function output(options: GlobalOptions, json: unknown, human: () => string): void {
	process.stdout.write(options.json ? `${JSON.stringify(json, null, 2)}\n` : `${human()}\n`);
}

/** Runs `fn` with the adapter and always closes it. */
export async function using<T>(
	open: Promise<DatabaseAdapter>,
	fn: (db: DatabaseAdapter) => Promise<T>,
): Promise<T> {
	const db = await open;
	try {
		return await fn(db);
	} finally {
		await db.close();
	}
}
