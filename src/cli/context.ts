/**
 * What every command shares: the global options (database URL, output mode, embedding provider),
 * opening the database, stable ids for names, and the usage error (exit code 2).
 */
import { createHash } from "node:crypto";
import { type Command, InvalidArgumentError } from "commander";
import type { DatabaseAdapter } from "../core/adapter.js";
import type { UUID } from "../core/types.js";
import { isUuid } from "../core/uuid.js";
import { DEFAULT_DATABASE_URL } from "../create-adapter.js";
import {
	fromEnv,
	type LoadedConfig,
	loadConfig,
	SETTINGS,
	type SettingName,
	type Source,
} from "./config.js";

/** A mistake in how the command was called: exit code 2. */
export class UsageError extends Error {}

export interface GlobalOptions {
	url?: string;
	json?: boolean;
	yes?: boolean;
	embeddingUrl?: string;
	embeddingModel?: string;
	dimension?: number;
	apiKey?: string;
	/** Where each setting came from (flag, env, config or default). */
	sources: Partial<Record<SettingName, Source>>;
	/** The config file read, or null. */
	configFile: string | null;
}

let config: LoadedConfig | undefined;

/** The config file, read once per process. */
export function configOf(): LoadedConfig {
	config ??= loadConfig();
	return config;
}

/** Room, user, agent and type: config and env replace only a command's built-in default. */
const DEFAULTED: readonly SettingName[] = ["room", "user", "agent", "type"];

/**
 * A command's options merged with the global ones, each setting resolved by precedence: a flag,
 * then `AGENTMEM_*`, then the config file, then the default.
 */
export function optionsOf(cmd: Command): GlobalOptions & Record<string, unknown> {
	const o = cmd.optsWithGlobals() as GlobalOptions & Record<string, unknown>;
	const loaded = configOf();
	const sources: GlobalOptions["sources"] = {};
	for (const name of Object.keys(SETTINGS) as SettingName[]) {
		const given = sourceOf(cmd, name);
		if (given === "cli") {
			sources[name] = "flag";
			continue;
		}
		if (DEFAULTED.includes(name) && given !== "default") continue;
		const env = fromEnv(name);
		const value = env ?? loaded.values[name];
		if (value !== undefined) {
			(o as Record<string, unknown>)[name] = value;
			sources[name] = env !== undefined ? "env" : "config";
		} else if (o[name] !== undefined) sources[name] = "default";
	}
	if (o.url === undefined) {
		o.url = DEFAULT_DATABASE_URL;
		sources.url = "default";
	}
	o.sources = sources;
	o.configFile = loaded.file;
	return o;
}

/** Where commander got an option of this command or an ancestor ("cli", "default", …). */
function sourceOf(cmd: Command, name: string): string | undefined {
	for (let c: Command | null = cmd; c; c = c.parent) {
		const s = c.getOptionValueSource(name);
		if (s !== undefined) return s;
	}
	return undefined;
}

export function databaseUrl(options: GlobalOptions): string {
	return options.url ?? DEFAULT_DATABASE_URL;
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

/**
 * The room's name (rooms.name; names the CLI kept in the cache before, as `room-name:<id>`, were
 * moved there by migration 003 / 007).
 */
export async function roomName(db: DatabaseAdapter, id: UUID): Promise<string | undefined> {
	return (await db.getRoomName(id)) ?? undefined;
}

/**
 * Creates the room (its id derived from `name`, which becomes its name unless `name` is a UUID;
 * a room renamed since keeps its name) and adds the users to it, all idempotently.
 */
export async function ensureRoom(db: DatabaseAdapter, name: string, users: UUID[]): Promise<UUID> {
	const id = await db.createRoom(stableId("room", name), isUuid(name) ? undefined : name);
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
