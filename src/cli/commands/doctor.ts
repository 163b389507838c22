/**
 * `agentmem doctor`: each check prints OK or FAIL, and a FAIL says how to fix it. It reports what
 * the backend exposes (capabilities, schema, indexes, extension version) and claims nothing more.
 */
import type { Command } from "commander";
import type { DatabaseAdapter } from "../../core/adapter.js";
import { AgentmemError } from "../../core/errors.js";
import { redactSecrets, redactUrl } from "../../core/redact.js";
import { parseDatabaseUrl } from "../../create-adapter.js";
import type { Diagnostics } from "../../portable/export.js";
import { fromEnv, SETTINGS, type SettingName } from "../config.js";
import { configOf, databaseUrl, type GlobalOptions, optionsOf, output } from "../context.js";
import { embedderFor, openExisting } from "../open.js";

interface Check {
	name: string;
	ok: boolean;
	detail: string;
	/** How to fix a FAIL. */
	fix?: string;
}

const FIXES: Record<string, string> = {
	CONNECTION:
		"check that the server runs and the URL (host, port, user, password, database) is right",
	LOCKED: "another process holds the database: stop it (or use a separate copy)",
	VECTOR_EXTENSION_UNAVAILABLE:
		"install the vector extension: `npm install sqlite-vec` for SQLite, `CREATE EXTENSION vector` (pgvector) for PostgreSQL",
	CONFIGURATION: "fix the URL or settings as the message says",
};

export function registerDoctorCommand(program: Command): void {
	program
		.command("doctor")
		.description("check the connection, vector extension, indexes, dimension/model and lock state")
		.action(async (_o, cmd: Command) => {
			const g = optionsOf(cmd);
			const checks = await runChecks(databaseUrl(g), g);
			const ok = checks.every((c) => c.ok);
			const config = configReport(g);
			output(g, { ok, config, checks }, () =>
				[
					...checks.map(
						(c) =>
							`${c.ok ? "OK  " : "FAIL"}  ${c.name.padEnd(18)} ${c.detail}${c.fix ? `\n      fix: ${c.fix}` : ""}`,
					),
					"",
					`config file: ${config.file ?? "none (agentmem.config.json or .agentmemrc, searched from here up to your home directory)"}`,
					...Object.entries(config.settings).map(
						([k, v]) => `  ${k.padEnd(15)} ${v.value}  (${v.from})`,
					),
				].join("\n"),
			);
			if (!ok) process.exitCode = 1;
		});
}

async function runChecks(url: string, g: GlobalOptions): Promise<Check[]> {
	const checks: Check[] = [];
	try {
		parseDatabaseUrl(url);
		checks.push({ name: "url", ok: true, detail: redactUrl(url) });
	} catch (err) {
		return [
			{
				name: "url",
				ok: false,
				detail: redactSecrets((err as Error).message),
				fix: "pass --url or set AGENTMEM_DATABASE_URL to one of the valid forms",
			},
		];
	}
	let db: DatabaseAdapter;
	try {
		db = await openExisting(url, g);
	} catch (err) {
		const code = err instanceof AgentmemError ? err.code : "UNKNOWN";
		checks.push({
			name: "connection",
			ok: false,
			detail: redactSecrets((err as Error).message),
			fix: FIXES[code] ?? "see the message",
		});
		if (code === "LOCKED")
			checks.push({
				name: "lock",
				ok: false,
				detail: "locked by another process",
				fix: FIXES.LOCKED,
			});
		return checks;
	}
	try {
		const started = performance.now();
		await db.testConnection();
		const caps = db.capabilities;
		checks.push({
			name: "connection",
			ok: true,
			detail: `${caps.backend}, answered in ${(performance.now() - started).toFixed(1)} ms`,
		});
		checks.push({ name: "lock", ok: true, detail: "opened; no other process holds it" });
		const diag = await diagnostics(db);
		if (diag) checks.push(...diagnosticChecks(caps.vectorSearch, diag));
		checks.push(await searchCheck(db));
		checks.push(...(await settingsChecks(db, g)));
	} catch (err) {
		checks.push({
			name: "database",
			ok: false,
			detail: redactSecrets((err as Error).message),
			fix: "see the message",
		});
	} finally {
		await db.close();
	}
	return checks;
}

async function diagnostics(db: DatabaseAdapter): Promise<Diagnostics | null> {
	const d = db as DatabaseAdapter & { diagnostics?: () => Promise<Diagnostics> };
	return typeof d.diagnostics === "function" ? d.diagnostics() : null;
}

function diagnosticChecks(kind: string, d: Diagnostics): Check[] {
	const checks: Check[] = [
		{ name: "schema", ok: d.schemaVersion > 0, detail: `migration ${d.schemaVersion} applied` },
	];
	// SQLite's quantized mode, like the exact scan, searches an in-memory copy: no extension.
	if (kind === "exact-scan" || kind === "quantized") {
		checks.push({
			name: "vector extension",
			ok: true,
			detail: d.vectorExtensionVersion
				? `${d.vectorExtensionVersion} (${kind} search in use)`
				: `none needed: ${kind} search`,
		});
	} else {
		checks.push(
			d.vectorExtensionVersion
				? { name: "vector extension", ok: true, detail: d.vectorExtensionVersion }
				: {
						name: "vector extension",
						ok: false,
						detail: "not loaded",
						fix: FIXES.VECTOR_EXTENSION_UNAVAILABLE,
					},
		);
	}
	const vectorIndexes = d.indexes.filter((n) => /vec|hnsw|embedding/i.test(n));
	const memoryIndexes = d.indexes.filter((n) => n.startsWith("memories"));
	checks.push({
		name: "indexes",
		ok: memoryIndexes.length > 0,
		detail: `${d.indexes.length} (${memoryIndexes.join(", ") || "none on memories"})`,
		fix: memoryIndexes.length
			? undefined
			: "the schema is incomplete: restore from an export into a new database",
	});
	if (kind === "exact-scan" || kind === "quantized") {
		checks.push({
			name: "vector index",
			ok: true,
			detail:
				kind === "quantized"
					? "in memory: built from the table at the first search (binary codes, exact re-ranking)"
					: "none: exact scan compares every vector (exact, slower on large sets)",
		});
	} else {
		checks.push(
			vectorIndexes.length
				? { name: "vector index", ok: true, detail: `${kind}: ${vectorIndexes.join(", ")}` }
				: {
						name: "vector index",
						ok: false,
						detail: `${kind} search but no vector index found`,
						fix: "reopen the database with the adapter (it recreates the index), or rebuildVectorIndex() on SQLite",
					},
		);
	}
	return checks;
}

async function searchCheck(db: DatabaseAdapter): Promise<Check> {
	const q = new Array(db.capabilities.embeddingDimension).fill(0);
	q[0] = 1;
	const started = performance.now();
	await db.searchMemoriesByEmbedding(q, { tableName: "messages", count: 1 });
	return {
		name: "vector search",
		ok: true,
		detail: `${db.capabilities.vectorSearch}${db.capabilities.exactSearch ? " (exact)" : " (approximate)"}, probe in ${(performance.now() - started).toFixed(1)} ms`,
	};
}

async function settingsChecks(db: DatabaseAdapter, g: GlobalOptions): Promise<Check[]> {
	const s = await db.stats();
	const checks: Check[] = [];
	const configured = g.dimension ?? s.embeddingDimension;
	const dimOk = configured === s.embeddingDimension;
	checks.push({
		name: "dimension",
		ok: dimOk,
		detail: `database ${s.embeddingDimension}, embedder ${configured}`,
		fix: dimOk
			? undefined
			: `drop the configured dimension (commands use the database's), or switch the database with \`agentmem reembed --dimension ${configured}\``,
	});
	try {
		const provider = await embedderFor(db, { ...g, dimension: undefined });
		checks.push({
			name: "embedding model",
			ok: true,
			detail: `database ${s.embeddingModel ?? "(not recorded)"}, embedder ${provider.model}`,
		});
	} catch (err) {
		checks.push({
			name: "embedding model",
			ok: false,
			detail: redactSecrets((err as Error).message),
			fix: "configure the database's model (or its server), or switch with `agentmem reembed`",
		});
	}
	checks.push({
		name: "embeddings",
		ok: true,
		detail:
			s.memories === 0
				? "no memories yet"
				: s.memoriesMissingEmbedding === 0
					? s.memories === 1
						? "the one memory has one"
						: `all ${s.memories} memories have one`
					: `${s.memoriesMissingEmbedding} of ${s.memories} ${s.memories === 1 ? "memory" : "memories"} ${s.memoriesMissingEmbedding === 1 ? "has" : "have"} none (never returned by search; backfill with updateMemoryEmbedding)`,
	});
	return checks;
}

const SECRET_SETTINGS: readonly SettingName[] = ["apiKey"];

/** Which config file was read and where each setting came from; secrets masked. */
function configReport(g: GlobalOptions): {
	file: string | null;
	settings: Record<string, { value: string; from: string }>;
} {
	const settings: Record<string, { value: string; from: string }> = {};
	const o = g as GlobalOptions & Record<string, unknown>;
	const config = configOf().values;
	for (const name of Object.keys(SETTINGS) as SettingName[]) {
		// Defaults for other commands (room, user, …) are shown as the environment or file sets them.
		const env = fromEnv(name);
		const from =
			g.sources[name] ??
			(env !== undefined ? "env" : config[name] !== undefined ? "config" : undefined);
		const v = g.sources[name] ? o[name] : (env ?? config[name]);
		if (from === undefined || v === undefined) continue;
		const raw = String(v);
		const value = SECRET_SETTINGS.includes(name) ? "***" : redactUrl(raw);
		const where =
			from === "env" ? `env ${SETTINGS[name]}` : from === "config" ? "config file" : from;
		settings[name] = { value, from: where };
	}
	return { file: g.configFile, settings };
}
