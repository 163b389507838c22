/**
 * `recall`: the memories most similar to a query, with their room and source. Weak hits are
 * hidden by default (counted, and shown with `--all`): below a similarity floor, and with the
 * offline hashing embedder also hits that share no word with the query, whose similarity is
 * only hash collisions (up to ~0.25 between two short texts at 384 dimensions).
 */
import { basename } from "node:path";
import type { Command } from "commander";
import type { DatabaseAdapter } from "../../core/adapter.js";
import type { Memory, UUID } from "../../core/types.js";
import { tokenize } from "../../embed/hashing.js";
import {
	databaseUrl,
	optionsOf,
	output,
	positiveInt,
	similarity,
	UsageError,
	using,
} from "../context.js";
import { clip, plural, shortTime, table, terminalWidth } from "../format.js";
import { embedderFor, openExisting } from "../open.js";
import { spoken } from "./basic.js";
import { resolveRoom } from "./rooms.js";

/**
 * The default floor for the offline hashing embedder. On the sample corpus at 384 dimensions,
 * 95% of pairs of texts that share no word score below 0.087 (99%: 0.133), while one shared name
 * ("when does Dan arrive" / "Dan: my flight lands…") scores 0.115. Other models have no default.
 */
export const HASHING_FLOOR = 0.1;

export function registerRecallCommand(program: Command): void {
	program
		.command("recall")
		.description("find the memories most similar to a query")
		.argument("<query>", "what to look for")
		.option("--room <name>", "only this room (name or UUID)")
		.option("-k, --count <n>", "how many results", positiveInt, 5)
		.option(
			"--threshold <similarity>",
			`minimum cosine similarity (-1..1; default ${HASHING_FLOOR} for the offline embedder)`,
			similarity,
		)
		.option("--all", "show hits below the similarity floor too")
		.option("--type <type>", "memory type (tableName)", "messages")
		.action(async (query: string, _o, cmd: Command) => {
			const g = optionsOf(cmd);
			if (query.trim() === "") throw new UsageError("recall: <query> must not be empty");
			await using(openExisting(databaseUrl(g), g), async (db) => {
				const provider = await embedderFor(db, g);
				const hashing = provider.model.startsWith("agentmem-hashing") && !g.all;
				const floor = (g.threshold as number | undefined) ?? (hashing ? HASHING_FLOOR : undefined);
				const r = await recall(db, await provider.embedOne(query), {
					roomId: g.room === undefined ? undefined : (await resolveRoom(db, g.room as string)).id,
					count: g.count as number,
					floor,
					sharedWordOf: hashing ? query : undefined,
					type: g.type as string,
				});
				output(g, { query, ...r }, () => recallTable(r));
			});
		});
}

export interface RecallRow {
	rank: number;
	similarity: number;
	createdAt: number | undefined;
	id: string | undefined;
	roomId: string;
	room: string | null;
	userId: string;
	speaker: string | undefined;
	source: string | undefined;
	text: string;
}

export interface RecallResult {
	latencyMs: number;
	results: RecallRow[];
	/** Hits among the best `count` that were hidden (below the floor, or sharing no word). */
	hidden: number;
	floor: number | null;
	/** Hits sharing no word with the query were hidden too (the hashing embedder). */
	sharedWordRequired: boolean;
}

const text = (v: unknown) => (typeof v === "string" ? v : undefined);

export async function recall(
	db: DatabaseAdapter,
	query: Float32Array,
	o: {
		roomId?: UUID;
		count: number;
		floor?: number;
		/** Hide hits that share no word with this query (hashing embedder: collisions only). */
		sharedWordOf?: string;
		type: string;
	},
): Promise<RecallResult> {
	const started = performance.now();
	const filtering = o.floor !== undefined || o.sharedWordOf !== undefined;
	// Hidden hits must not crowd out visible ones below them: with a filter, more are fetched.
	const found = await db.searchMemoriesByEmbedding(query, {
		tableName: o.type,
		count: filtering ? Math.max(o.count * 4, o.count + 20) : o.count,
		roomId: o.roomId,
	});
	const ms = Math.round((performance.now() - started) * 100) / 100;
	const floor = o.floor ?? Number.NEGATIVE_INFINITY;
	const words = o.sharedWordOf === undefined ? null : new Set(tokenize(o.sharedWordOf));
	const visible = (m: Memory) =>
		(m.similarity ?? 0) >= floor &&
		(!words ||
			tokenize(spoken(text(m.content.name), m.content.text ?? "")).some((w) => words.has(w)));
	const shown = found.filter(visible).slice(0, o.count);
	// Of the best `count` hits, those hidden: what `--all` would have shown instead.
	const hidden = found.slice(0, o.count).filter((m) => !visible(m)).length;
	const names = new Map<UUID, string | null>();
	for (const m of shown)
		if (!names.has(m.roomId)) names.set(m.roomId, await db.getRoomName(m.roomId));
	const results = shown.map((m, i) => ({
		rank: i + 1,
		similarity: m.similarity ?? 0,
		createdAt: m.createdAt,
		id: m.id,
		roomId: m.roomId,
		room: names.get(m.roomId) ?? null,
		userId: m.userId,
		speaker: text(m.content.name),
		source: text(m.content.source),
		text: m.content.text ?? "",
	}));
	return {
		latencyMs: ms,
		results,
		hidden,
		floor: o.floor ?? null,
		sharedWordRequired: words !== null,
	};
}

export function recallTable(r: RecallResult): string {
	const hidden = r.hidden
		? `${plural(r.hidden, "weaker hit")} hidden (similarity below ${r.floor}${r.sharedWordRequired ? " or no word in common" : ""}; --all shows ${r.hidden === 1 ? "it" : "them"})`
		: "";
	if (r.results.length === 0)
		return `No memories matched (${r.latencyMs} ms)${hidden ? `; ${hidden}` : ""}.`;
	const cells = r.results.map((x) => [
		String(x.rank),
		x.similarity.toFixed(3),
		shortTime(x.createdAt),
		clip(x.room ?? x.roomId.slice(0, 8), 20),
		clip(x.source ? basename(x.source) : "", 20),
	]);
	const used = [0, 1, 2, 3, 4].reduce(
		(sum, i) => sum + 2 + Math.max(...cells.map((c) => (c[i] ?? "").length), 6),
		0,
	);
	const textWidth = Math.max(60, terminalWidth() - used - 2);
	const rows = r.results.map((x, i) => [
		...(cells[i] as string[]),
		clip(x.speaker ? `${x.speaker}: ${x.text}` : x.text, textWidth),
	]);
	return [
		table(["#", "sim", "time (UTC)", "room", "source", "text"], rows),
		`(${plural(r.results.length, "result")} in ${r.latencyMs} ms${hidden ? `; ${hidden}` : ""})`,
	].join("\n");
}
