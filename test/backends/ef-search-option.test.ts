/**
 * The PostgreSQL family's `efSearch` option: the `hnsw.ef_search` a search uses (default 80 on small tables,
 * at least 4 × count). Checked at construction; on PGlite the search keeps its HNSW settings on the
 * connection, so the value a search ran with can be read back there.
 */
import { describe, expect, it } from "vitest";
import { PGliteDatabaseAdapter } from "../../src/backends/pglite/index.js";
import { PostgresDatabaseAdapter } from "../../src/backends/postgres/index.js";
import { ConfigurationError } from "../../src/core/errors.js";
import type { UUID } from "../../src/core/types.js";
import { sharedPGlite } from "./pglite/shared-instance.js";

const shared = sharedPGlite();

async function efAfterSearch(efSearch: number | undefined, count: number): Promise<string> {
	const a = await shared.adapter({ embeddingDimension: 3, ...(efSearch ? { efSearch } : {}) });
	try {
		const user = crypto.randomUUID() as UUID;
		await a.createAccount({ id: user, name: "u", username: "u" });
		const roomId = await a.createRoom();
		await a.createMemory(
			{ userId: user, agentId: user, roomId, content: { text: "x" }, embedding: [1, 0, 0] },
			"facts",
		);
		const found = await a.searchMemoriesByEmbedding([1, 0, 0], { tableName: "facts", count });
		expect(found.map((m) => m.content.text)).toEqual(["x"]);
		const pg = await shared.pglite();
		const { rows } = await pg.query<{ ef: string }>(
			"SELECT current_setting('hnsw.ef_search') AS ef",
		);
		return rows[0]?.ef as string;
	} finally {
		await a.close();
	}
}

describe("efSearch: the hnsw.ef_search of a search", () => {
	it("is 80 by default, the option when given, and at least 4 x count", async () => {
		expect(await efAfterSearch(undefined, 10)).toBe("80");
		expect(await efAfterSearch(400, 10)).toBe("400");
		expect(await efAfterSearch(100, 50)).toBe("200");
	});

	it.each([0, 1001, 2.5, "80", Number.NaN])("refuses %s with ConfigurationError", (bad) => {
		const pg = () =>
			new PostgresDatabaseAdapter({ connectionString: "postgres://x/y", efSearch: bad as number });
		expect(pg).toThrow(ConfigurationError);
		expect(pg).toThrow(/efSearch must be an integer from 1 to 1000/);
		expect(() => new PGliteDatabaseAdapter({ efSearch: bad as number })).toThrow(
			ConfigurationError,
		);
	});
});
