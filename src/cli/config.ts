/**
 * The CLI's settings and where each came from. Precedence: a flag, then an `AGENTMEM_*` variable,
 * then the config file (`agentmem.config.json` or `.agentmemrc`, JSON, the nearest one from the
 * working directory upwards, stopping at the home directory or the filesystem root), then the
 * built-in default.
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { ConfigurationError } from "../core/errors.js";

export const CONFIG_FILES = ["agentmem.config.json", ".agentmemrc"] as const;

export type Source = "flag" | "env" | "config" | "default";

/** Every setting the config file and the environment may hold, with its variable. */
export const SETTINGS = {
	url: "AGENTMEM_DATABASE_URL",
	embeddingUrl: "AGENTMEM_EMBEDDING_URL",
	embeddingModel: "AGENTMEM_EMBEDDING_MODEL",
	dimension: "AGENTMEM_EMBEDDING_DIMENSION",
	apiKey: "AGENTMEM_EMBEDDING_API_KEY",
	room: "AGENTMEM_ROOM",
	user: "AGENTMEM_USER",
	agent: "AGENTMEM_AGENT",
	type: "AGENTMEM_TYPE",
} as const;

export type SettingName = keyof typeof SETTINGS;
export type SettingValue = string | number;

export interface LoadedConfig {
	/** The file read, or null when none was found. */
	file: string | null;
	values: Partial<Record<SettingName, SettingValue>>;
}

/** The nearest config file from `cwd` upwards; the home directory is the last one searched. */
export function findConfigFile(cwd = process.cwd(), home = homedir()): string | null {
	let dir = resolve(cwd);
	for (;;) {
		for (const name of CONFIG_FILES) {
			const path = join(dir, name);
			if (existsSync(path)) return path;
		}
		const parent = dirname(dir);
		if (dir === resolve(home) || parent === dir) return null;
		dir = parent;
	}
}

/**
 * Reads the config file: `{ "url", "embedding": { "url", "model", "dimension", "apiKey" },
 * "defaults": { "room", "user", "agent", "type" } }`. An unknown key or a wrong type is an error
 * naming the file, so a typo never silently falls back to a default.
 */
export function loadConfig(cwd?: string): LoadedConfig {
	const file = findConfigFile(cwd);
	if (!file) return { file: null, values: {} };
	let raw: unknown;
	try {
		raw = JSON.parse(readFileSync(file, "utf8"));
	} catch (err) {
		throw new ConfigurationError(`${file}: not valid JSON (${(err as Error).message})`);
	}
	const top = section(file, raw, "", ["url", "embedding", "defaults"]);
	const embedding = section(file, top.embedding ?? {}, "embedding.", [
		"url",
		"model",
		"dimension",
		"apiKey",
	]);
	const defaults = section(file, top.defaults ?? {}, "defaults.", [
		"room",
		"user",
		"agent",
		"type",
	]);
	const values: LoadedConfig["values"] = {};
	const put = (name: SettingName, v: unknown, key: string, kind: "string" | "dimension") => {
		if (v === undefined) return;
		if (
			kind === "dimension" ? !Number.isSafeInteger(v) || (v as number) < 1 : typeof v !== "string"
		)
			throw new ConfigurationError(
				`${file}: ${key} must be ${kind === "dimension" ? "a positive integer" : "a string"}`,
			);
		values[name] = v as SettingValue;
	};
	put("url", top.url, "url", "string");
	put("embeddingUrl", embedding.url, "embedding.url", "string");
	put("embeddingModel", embedding.model, "embedding.model", "string");
	put("dimension", embedding.dimension, "embedding.dimension", "dimension");
	put("apiKey", embedding.apiKey, "embedding.apiKey", "string");
	for (const k of ["room", "user", "agent", "type"] as const)
		put(k, defaults[k], `defaults.${k}`, "string");
	return { file, values };
}

function section(
	file: string,
	value: unknown,
	prefix: string,
	keys: string[],
): Record<string, unknown> {
	if (typeof value !== "object" || value === null || Array.isArray(value))
		throw new ConfigurationError(`${file}: ${prefix || "the file"} must be a JSON object`);
	for (const k of Object.keys(value))
		if (!keys.includes(k))
			throw new ConfigurationError(
				`${file}: unknown key "${prefix}${k}" (known: ${keys.map((x) => prefix + x).join(", ")})`,
			);
	return value as Record<string, unknown>;
}

/** A setting's value from the environment (an empty variable counts as unset). */
export function fromEnv(name: SettingName): SettingValue | undefined {
	const v = process.env[SETTINGS[name]];
	if (v === undefined || v === "") return undefined;
	if (name !== "dimension") return v;
	const n = Number(v);
	if (!Number.isSafeInteger(n) || n < 1)
		throw new ConfigurationError(`${SETTINGS[name]}=${v}: expected a positive integer`);
	return n;
}
