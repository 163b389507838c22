/**
 * `agentmem reembed`: switches the database to another embedding model (core/sql/reembed.ts),
 * online and resumable. The target is the configured embedder (--embedding-url/--embedding-model,
 * or the offline hashing embedder with --dimension); the current model is the one the database
 * records. Ctrl-C stops between batches; running the command again continues.
 */
import type { Command } from "commander";
import type { DatabaseAdapter } from "../../core/adapter.js";
import { OutdatedSchemaError } from "../../core/errors.js";
import { redactUrl } from "../../core/redact.js";
import type { Content } from "../../core/types.js";
import { createAdapter } from "../../create-adapter.js";
import { withEmbeddingCache } from "../../embed/cache.js";
import { createHashingEmbedder } from "../../embed/hashing.js";
import type { EmbeddingProvider } from "../../embed/provider.js";
import { abortReembed, reembed, reembedStatus } from "../../reembed.js";
import {
	databaseUrl,
	type GlobalOptions,
	optionsOf,
	output,
	positiveInt,
	UsageError,
	using,
} from "../context.js";
import { embedder, openExisting } from "../open.js";
import { progress } from "../progress.js";
import { spoken } from "./basic.js";

const HASHING_MODEL = /^agentmem-hashing-v\d+-(\d+)$/;

interface ReembedFlags {
	batchSize?: number;
	status?: boolean;
	abort?: boolean;
}

export function registerReembedCommand(program: Command): void {
	program
		.command("reembed")
		.description(
			"switch the database to another embedding model: re-embeds every memory beside the old vectors, then switches at once (Ctrl-C stops; run it again to continue)",
		)
		.option("--batch-size <n>", "rows embedded and committed together (default 128)", positiveInt)
		.option("--status", "show the recorded model and a re-embed in progress, change nothing")
		.option("--abort", "abandon a re-embed in progress (search goes on with the current model)")
		.addHelpText(
			"after",
			`
The new model is the configured embedder: --embedding-url (an OpenAI-compatible server) with
--embedding-model and --dimension, or the offline hashing embedder with --dimension.

Examples:
  agentmem reembed --dimension 128
  agentmem reembed --embedding-url http://localhost:11434/v1 --embedding-model nomic-embed-text
  agentmem reembed --status --json`,
		)
		.action(async (flags: ReembedFlags, cmd: Command) => {
			const g = optionsOf(cmd);
			if (flags.status && flags.abort)
				throw new UsageError("reembed: give --status or --abort, not both");
			await using(openMigrated(g), async (db) => {
				if (flags.status) return showStatus(db, g);
				if (flags.abort) {
					const was = await abortReembed(db);
					return output(g, { aborted: was }, () =>
						was
							? "Abandoned the re-embed in progress; search goes on with the current model."
							: "No re-embed was in progress.",
					);
				}
				await run(db, g, flags);
			});
		});
}

/** The database for a write: migrated when its schema is older (the shadow tables are new). */
async function openMigrated(g: GlobalOptions): Promise<DatabaseAdapter> {
	const url = databaseUrl(g);
	try {
		return await openExisting(url, g);
	} catch (err) {
		if (err instanceof OutdatedSchemaError) return createAdapter(url);
		throw err;
	}
}

async function showStatus(db: DatabaseAdapter, g: GlobalOptions): Promise<void> {
	const s = await reembedStatus(db);
	output(g, s, () => {
		const now = `Model: ${s.model ?? "not recorded"} (${s.dimension} dimensions).`;
		if (!s.target) return `${now} No re-embed in progress.`;
		return `${now} Re-embedding to ${s.target.model} (${s.target.dimension} dimensions): ${s.done.toLocaleString("en-US")} of ${s.total.toLocaleString("en-US")} rows done; run \`agentmem reembed\` to continue.`;
	});
}

/** Nothing configured about the embedder: a re-embed in progress continues with its own target. */
function configured(g: GlobalOptions): boolean {
	return (["embeddingUrl", "embeddingModel", "dimension"] as const).some(
		(name) => g.sources[name] !== undefined && g.sources[name] !== "default",
	);
}

async function target(db: DatabaseAdapter, g: GlobalOptions): Promise<EmbeddingProvider> {
	const inProgress = (await reembedStatus(db)).target;
	if (inProgress && !configured(g)) {
		const hashing = inProgress.model ? HASHING_MODEL.exec(inProgress.model) : null;
		if (!hashing)
			throw new UsageError(
				`a re-embed to "${inProgress.model}" is in progress: give its server with --embedding-url to continue, or --abort`,
			);
		return withEmbeddingCache(createHashingEmbedder({ dimension: inProgress.dimension }));
	}
	if (!configured(g))
		throw new UsageError(
			"reembed: name the new model: --dimension N (offline hashing), or --embedding-url with --embedding-model",
		);
	return embedder(g);
}

async function run(db: DatabaseAdapter, g: GlobalOptions, flags: ReembedFlags): Promise<void> {
	const provider = await target(db, g);
	const before = await reembedStatus(db);
	const from = `${before.model ?? "an unrecorded model"} (${before.dimension} dimensions)`;
	const to = `${provider.model} (${provider.dimension} dimensions)`;
	if (
		!before.target &&
		before.model === provider.model &&
		before.dimension === provider.dimension
	) {
		return output(
			g,
			{ switched: false, model: provider.model, dimension: provider.dimension },
			() => `The database already uses ${to}; nothing to re-embed.`,
		);
	}
	if (!g.json) process.stderr.write(`Re-embedding ${redactUrl(databaseUrl(g))}: ${from} → ${to}\n`);
	const stop = new AbortController();
	const interrupt = () => stop.abort();
	process.once("SIGINT", interrupt);
	process.once("SIGTERM", interrupt);
	let bar: ReturnType<typeof progress> | undefined;
	let last = { done: 0, total: 0 };
	try {
		const result = await reembed(db, {
			embedder: provider,
			batchSize: flags.batchSize,
			signal: stop.signal,
			// The CLI embeds a named speaker with the text (remember, ingest): so does its re-embed.
			textOf: (content: Content) =>
				typeof content.text === "string"
					? spoken(typeof content.name === "string" ? content.name : undefined, content.text)
					: null,
			onProgress: (p) => {
				last = p;
				if (p.phase === "switched") return;
				bar ??= progress("re-embedding", p.total, !g.json);
				if (p.phase === "embedding") bar.update(p.done);
				else bar.finish();
			},
		});
		output(g, { switched: true, ...result }, () => {
			const rows = `${count(result.memories, "memory", "memories")} and ${count(result.knowledge, "knowledge item", "knowledge items")}`;
			const resumed = result.resumed
				? ` (${result.resumed.toLocaleString("en-US")} done by an earlier run)`
				: "";
			const empty = result.withoutText
				? `; ${count(result.withoutText, "row", "rows")} without text now without a vector`
				: "";
			return `Switched to ${to}: ${rows} searchable under the new model${resumed}${empty}.`;
		});
	} catch (err) {
		if (!stop.signal.aborted) throw err;
		const message = `interrupted after ${last.done.toLocaleString("en-US")} of ${last.total.toLocaleString("en-US")} rows; run \`agentmem reembed\` again to continue (search still uses ${from})`;
		if (g.json)
			process.stdout.write(`${JSON.stringify({ error: { code: "INTERRUPTED", message } })}\n`);
		else process.stderr.write(`\n${message}\n`);
		process.exitCode = 130;
	} finally {
		process.off("SIGINT", interrupt);
		process.off("SIGTERM", interrupt);
	}
}

function count(n: number, one: string, many: string): string {
	return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}
