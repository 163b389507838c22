/** The contract's stats: row counts per table and the recorded embedding settings. */
import type { AdapterStats } from "../types.js";
import { ready, type SqlContext } from "./context.js";
import * as rows from "./rows.js";
import { op } from "./session.js";

export async function stats(ctx: SqlContext): Promise<AdapterStats> {
	const { settings } = ready(ctx);
	return op(ctx, "stats", async (s) => {
		const [c] = await s.all(ctx.family.statements.statsCounts);
		const byType = await s.all(ctx.family.statements.statsMemoriesByType);
		const n = (k: string) => rows.int(c?.[k] ?? 0);
		return {
			accounts: n("accounts"),
			rooms: n("rooms"),
			participants: n("participants"),
			memories: n("memories"),
			memoriesMissingEmbedding: n("memories_missing"),
			memoriesByType: Object.fromEntries(byType.map((r) => [r.type as string, rows.int(r.n)])),
			goals: n("goals"),
			relationships: n("relationships"),
			logs: n("logs"),
			cache: n("cache"),
			knowledge: n("knowledge"),
			embeddingDimension: settings.embeddingDimension,
			embeddingModel: settings.embeddingModel,
		};
	});
}
