/** `ingest` (files and directories into memories) and `demo` (the bundled corpus, then recalls). */
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { redactUrl } from "../../core/redact.js";
import { databaseUrl, optionsOf, output, using } from "../context.js";
import { plural } from "../format.js";
import { ingestFiles } from "../ingest.js";
import { openWritable } from "../open.js";
import { listFiles } from "../sources.js";
import { HASHING_FLOOR, recall, recallTable } from "./recall.js";

/** The sample corpus shipped in the package (data/sample-corpus). */
export const SAMPLE_CORPUS = fileURLToPath(
	new URL("../../../data/sample-corpus/", import.meta.url),
);

const DEMO_QUERIES = [
	"when is the database migration scheduled",
	"customer refund for the duplicate charge",
	"who is on call this weekend",
	"how do we reduce the cloud bill",
	"grandma's birthday dinner",
];

export function registerIngestCommands(program: Command): void {
	program
		.command("ingest")
		.description("store text, Markdown and JSONL chat logs as memories (directories are walked)")
		.argument("<paths...>", "files or directories (.txt, .md, .markdown, .jsonl)")
		.option(
			"--room <name>",
			"put everything in this room (default: the chat line's room, else the file name)",
		)
		.option(
			"--user <name>",
			"author of document chunks and of chat lines without a speaker",
			"user",
		)
		.option("--agent <name>", "the agent the memories belong to", "agent")
		.option("--type <type>", "memory type (tableName)", "messages")
		.action(async (paths: string[], _o, cmd: Command) => {
			const g = optionsOf(cmd);
			const files = await listFiles(paths);
			const { db: opened, provider } = await openWritable(g);
			await using(Promise.resolve(opened), async (db) => {
				const started = performance.now();
				const r = await ingestFiles(db, provider, files, {
					room: g.room as string | undefined,
					user: g.user as string,
					agent: g.agent as string,
					type: g.type as string,
					showProgress: !g.json,
				});
				const seconds = (performance.now() - started) / 1000;
				output(
					g,
					{ ...r, seconds },
					() =>
						`Ingested ${plural(r.memories, "memory", "memories")} from ${plural(r.files, "file")} into ${plural(r.rooms.length, "room")} in ${seconds.toFixed(1)} s` +
						(r.duplicates ? ` (${r.duplicates} stored as near-duplicates).` : "."),
				);
			});
		});

	program
		.command("demo")
		.description("ingest the bundled sample conversations and answer a few recall queries")
		.action(async (_o, cmd: Command) => {
			const g = optionsOf(cmd);
			const url = databaseUrl(g);
			const { db: opened, provider } = await openWritable(g);
			await using(Promise.resolve(opened), async (db) => {
				const say = (text: string) => {
					if (!g.json) process.stdout.write(`${text}\n`);
				};
				say(
					`agentmem demo — database ${redactUrl(url)} (${db.capabilities.backend}, ${db.capabilities.vectorSearch} search)`,
				);
				say(
					`embeddings: ${provider.model} (${provider.dimension} dimensions; offline hashing captures word overlap, not meaning)\n`,
				);
				const files = (await listFiles([SAMPLE_CORPUS])).filter((f) => f.endsWith(".jsonl"));
				const started = performance.now();
				const ingested = await ingestFiles(db, provider, files, {
					user: "user",
					agent: "agent",
					type: "messages",
					showProgress: !g.json,
				});
				say(
					`Ingested ${ingested.memories} messages from ${ingested.files} conversations (rooms: ${ingested.rooms.join(", ")}) in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`,
				);
				const answers = [];
				for (const query of DEMO_QUERIES) {
					const hashing = provider.model.startsWith("agentmem-hashing");
					const r = await recall(db, await provider.embedOne(query), {
						count: 3,
						type: "messages",
						floor: hashing ? HASHING_FLOOR : undefined,
						sharedWordOf: hashing ? query : undefined,
					});
					answers.push({ query, ...r });
					say(`recall "${query}"\n${recallTable(r)}\n`);
				}
				output(g, { url: redactUrl(url), ingested, queries: answers }, () =>
					[
						"Next, try:",
						'  npx agentmem recall "flaky test in the payment service" -k 5',
						'  npx agentmem remember "The launch moved to Thursday" --room launch --user alice',
						"  npx agentmem ingest ./notes            # your own .md, .txt or .jsonl chat logs",
						"  npx agentmem list                     # rooms; then list --room family-chat, show <id>",
						"  npx agentmem stats",
						"  npx agentmem doctor",
						"  npx agentmem export backup.jsonl",
						"  npx agentmem copy --from sqlite:./agentmem.db --to pglite:./agentmem-pg",
					].join("\n"),
				);
			});
		});
}
