/**
 * Migration 004 (knowledge ids become text for ElizaOS's `<uuid>-chunk-<n>`) on a database that
 * already holds uuid-keyed knowledge: the rows keep their ids, and a file's chunks are removed by
 * a range scan of the primary key. PGlite runs the PostgreSQL family's migrations unchanged.
 */
import { randomUUID } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, expect, it } from "vitest";
import { PGliteDatabaseAdapter } from "../../src/backends/pglite/index.js";
import { migrations } from "../../src/backends/postgres/migrations.generated.js";
import { postgresStatements } from "../../src/backends/postgres/postgres-statements.js";
import type { UUID } from "../../src/core/types.js";
import { EXTENSIONS } from "./pglite/shared-instance.js";

const DIM = 4;
const pg = await PGlite.create({ extensions: EXTENSIONS });
afterAll(() => pg.close());

/** A database as agentmem left it at schema version 3, before knowledge ids were text. */
async function schemaVersion3(): Promise<void> {
	for (const statement of postgresStatements.bootstrap) await pg.exec(statement);
	for (const m of migrations.filter((m) => m.version <= 3)) {
		await pg.exec(m.sql.replaceAll("{{dimension}}", String(DIM)));
		await pg.query(
			"INSERT INTO agentmem_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
			[m.version, m.name, Date.now()],
		);
	}
	await pg.query("INSERT INTO agentmem_meta (key, value) VALUES ('embedding_dimension', $1)", [
		String(DIM),
	]);
}

it("keeps uuid-keyed knowledge through migration 004 and then stores chunk ids", async () => {
	await schemaVersion3();
	const agent = randomUUID() as UUID;
	const file = randomUUID() as UUID;
	const oldChunk = randomUUID() as UUID;
	await pg.query("INSERT INTO accounts (id, name, username, created_at) VALUES ($1, 'a', 'a', 1)", [
		agent,
	]);
	await pg.query(
		`INSERT INTO knowledge (id, agent_id, content, embedding, original_id, created_at) VALUES
		($1, $3, '{"text":"main"}', '[1,0,0,0]', NULL, 2), ($2, $3, '{"text":"old chunk"}', '[0,1,0,0]', $1, 1)`,
		[file, oldChunk, agent],
	);

	const a = new PGliteDatabaseAdapter({ pglite: pg, embeddingDimension: DIM });
	await a.init();
	try {
		const [column] = (
			await pg.query<{ data_type: string; collation_name: string }>(
				"SELECT data_type, collation_name FROM information_schema.columns WHERE table_name = 'knowledge' AND column_name = 'id'",
			)
		).rows;
		expect(column).toEqual({ data_type: "text", collation_name: "C" });
		expect((await a.getKnowledge({ agentId: agent })).map((k) => k.id)).toEqual([file, oldChunk]);
		const found = await a.searchKnowledge({
			agentId: agent,
			embedding: [1, 0, 0, 0],
			match_threshold: 0.9,
			match_count: 5,
		});
		expect(found.map((k) => k.id)).toEqual([file]);

		for (const n of [0, 1]) {
			await a.createKnowledge({
				id: `${file}-chunk-${n}` as UUID,
				agentId: agent,
				content: {
					text: `chunk ${n}`,
					metadata: { isChunk: true, originalId: file, chunkIndex: n },
				},
				embedding: Float32Array.from([0, 0, 1, n]),
			});
		}
		await a.removeKnowledge(`${file}-chunk-*` as UUID);
		expect((await a.getKnowledge({ agentId: agent })).map((k) => k.id)).toEqual([file, oldChunk]);
		await a.removeKnowledge(file);
		expect(await a.getKnowledge({ agentId: agent })).toEqual([]);

		// The chunk delete is a range scan of the primary key, not a pattern over the whole table.
		await pg.exec("SET enable_seqscan = off");
		const plan = await pg.query<{ "QUERY PLAN": string }>(
			`EXPLAIN ${postgresStatements.knowledgeDeleteChunks}`,
			[`${file}-chunk-`, `${file}-chunk.`],
		);
		expect(plan.rows.map((r) => r["QUERY PLAN"]).join("\n")).toMatch(/knowledge_pkey/);
	} finally {
		await a.close();
	}
});
