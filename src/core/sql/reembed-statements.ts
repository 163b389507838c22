/**
 * The statements of a re-embed (reembed.ts), per family: pages of rows still lacking their next
 * vector, the conditional write of one next vector, progress counts, the triggers that forget a
 * next vector when its row changes, and the move of the next vectors into `embedding`.
 */
import type { SqlFamily } from "./family.js";

/** The tables a re-embed covers: each has `id`, `content` (with the text) and `embedding`. */
export type ReembedTable = "memories" | "knowledge";
export const REEMBED_TABLES: readonly ReembedTable[] = ["memories", "knowledge"];

const SHADOW = { memories: "memory_embeddings_next", knowledge: "knowledge_embeddings_next" };
const KEY = { memories: "memory_id", knowledge: "knowledge_id" };

/** agentmem_meta keys recording a re-embed in progress (its target). */
export const TARGET_DIMENSION_KEY = "reembed_target_dimension";
export const TARGET_MODEL_KEY = "reembed_target_model";

export interface ReembedStatements {
	/** (afterId?, limit) → id, content (as stored text): rows with a vector and no next vector, by id */
	page(table: ReembedTable): string;
	/** (id, nextEmbedding or null, content as read): written only while the row is unchanged */
	put(table: ReembedTable): string;
	/** → memories, memories_done, knowledge, knowledge_done */
	counts: string;
	/** (key) */
	metaDelete: string;
	/** Installs the triggers that forget a row's next vector when the row changes. */
	startTriggers: readonly string[];
	stopTriggers: readonly string[];
	/** Serialises writers for the switch (readers go on); none where the transaction already does. */
	lock?: string;
	/** Moves every next vector into `embedding` (NULL where the next one is) and empties the shadows. */
	move(dimension: number): readonly string[];
	/** Forgets every next vector (an abandoned re-embed). */
	clear: readonly string[];
}

const sqlite: ReembedStatements = {
	page: (t) => `SELECT t.id AS id, t.content AS content FROM ${t} t
		WHERE t.embedding IS NOT NULL AND (?1 IS NULL OR t.id > ?1)
		AND NOT EXISTS (SELECT 1 FROM ${SHADOW[t]} n WHERE n.${KEY[t]} = t.id)
		ORDER BY t.id LIMIT ?2`,
	put: (t) => `INSERT INTO ${SHADOW[t]} (${KEY[t]}, embedding)
		SELECT id, ?2 FROM ${t} WHERE id = ?1 AND content = ?3 AND embedding IS NOT NULL
		ON CONFLICT (${KEY[t]}) DO UPDATE SET embedding = excluded.embedding`,
	counts: `SELECT (SELECT count(*) FROM memories WHERE embedding IS NOT NULL) AS memories,
		(SELECT count(*) FROM memory_embeddings_next) AS memories_done,
		(SELECT count(*) FROM knowledge WHERE embedding IS NOT NULL) AS knowledge,
		(SELECT count(*) FROM knowledge_embeddings_next) AS knowledge_done`,
	metaDelete: "DELETE FROM agentmem_meta WHERE key = ?1",
	startTriggers: (["memories", "knowledge"] as const).flatMap((t) => [
		`CREATE TRIGGER IF NOT EXISTS agentmem_reembed_${t}_update AFTER UPDATE OF content, embedding
		ON ${t} WHEN old.content IS NOT new.content OR old.embedding IS NOT new.embedding BEGIN
		DELETE FROM ${SHADOW[t]} WHERE ${KEY[t]} = old.id OR ${KEY[t]} = new.id; END`,
		`CREATE TRIGGER IF NOT EXISTS agentmem_reembed_${t}_delete AFTER DELETE ON ${t} BEGIN
		DELETE FROM ${SHADOW[t]} WHERE ${KEY[t]} = old.id; END`,
	]),
	stopTriggers: (["memories", "knowledge"] as const).flatMap((t) => [
		`DROP TRIGGER IF EXISTS agentmem_reembed_${t}_update`,
		`DROP TRIGGER IF EXISTS agentmem_reembed_${t}_delete`,
	]),
	move: () =>
		(["memories", "knowledge"] as const).flatMap((t) => [
			`UPDATE ${t} SET embedding = (SELECT n.embedding FROM ${SHADOW[t]} n WHERE n.${KEY[t]} = ${t}.id)
			WHERE embedding IS NOT NULL`,
			`DELETE FROM ${SHADOW[t]}`,
		]),
	clear: ["DELETE FROM memory_embeddings_next", "DELETE FROM knowledge_embeddings_next"],
};

const ID_TYPE = { memories: "uuid", knowledge: "text" };
const FORGET = {
	memories: "agentmem_reembed_forget_memory",
	knowledge: "agentmem_reembed_forget_knowledge",
};

const postgres: ReembedStatements = {
	page: (t) => `SELECT t.id::text AS id, t.content::text AS content FROM ${t} t
		WHERE t.embedding IS NOT NULL AND ($1::${ID_TYPE[t]} IS NULL OR t.id > $1::${ID_TYPE[t]})
		AND NOT EXISTS (SELECT 1 FROM ${SHADOW[t]} n WHERE n.${KEY[t]} = t.id)
		ORDER BY t.id LIMIT $2::integer`,
	put: (t) => `INSERT INTO ${SHADOW[t]} (${KEY[t]}, embedding)
		SELECT id, $2::vector FROM ${t} WHERE id = $1::${ID_TYPE[t]} AND content::text = $3::text
		AND embedding IS NOT NULL
		ON CONFLICT (${KEY[t]}) DO UPDATE SET embedding = EXCLUDED.embedding`,
	counts: `SELECT (SELECT count(*) FROM memories WHERE embedding IS NOT NULL)::integer AS memories,
		(SELECT count(*) FROM memory_embeddings_next)::integer AS memories_done,
		(SELECT count(*) FROM knowledge WHERE embedding IS NOT NULL)::integer AS knowledge,
		(SELECT count(*) FROM knowledge_embeddings_next)::integer AS knowledge_done`,
	metaDelete: "DELETE FROM agentmem_meta WHERE key = $1::text",
	startTriggers: (["memories", "knowledge"] as const).flatMap((t) => [
		`DROP TRIGGER IF EXISTS ${t}_reembed ON ${t}`,
		`CREATE TRIGGER ${t}_reembed AFTER UPDATE OF content, embedding ON ${t} FOR EACH ROW
		WHEN (OLD.content IS DISTINCT FROM NEW.content OR OLD.embedding IS DISTINCT FROM NEW.embedding)
		EXECUTE FUNCTION ${FORGET[t]}()`,
	]),
	stopTriggers: (["memories", "knowledge"] as const).map(
		(t) => `DROP TRIGGER IF EXISTS ${t}_reembed ON ${t}`,
	),
	// Blocks writers (and other re-embeds' switches), not readers, while the last rows are embedded.
	lock: "LOCK TABLE memories, knowledge IN SHARE ROW EXCLUSIVE MODE",
	// USING NULL: every old vector goes (a row that had one has its next one by now), the column
	// takes the new dimension, and the UPDATE fills it from the shadow.
	move: (dimension) =>
		(["memories", "knowledge"] as const).flatMap((t) => [
			`ALTER TABLE ${t} ALTER COLUMN embedding TYPE vector(${dimension}) USING NULL`,
			`UPDATE ${t} t SET embedding = n.embedding FROM ${SHADOW[t]} n
			WHERE n.${KEY[t]} = t.id AND n.embedding IS NOT NULL`,
			`TRUNCATE ${SHADOW[t]}`,
		]),
	clear: ["TRUNCATE memory_embeddings_next, knowledge_embeddings_next"],
};

export function reembedStatements(family: SqlFamily): ReembedStatements {
	return family.name === "postgres" ? postgres : sqlite;
}
