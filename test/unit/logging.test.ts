import { describe, expect, it } from "vitest";
import { SqlJsDatabaseAdapter } from "../../src/backends/sqljs/index.js";
import type { DatabaseAdapter } from "../../src/core/adapter.js";
import { ValidationError } from "../../src/core/errors.js";
import type { UUID } from "../../src/core/types.js";
import {
	type AdapterLogger,
	checkHealth,
	createLoggingDatabaseAdapter,
} from "../../src/wrappers/logging.js";

type Entry = { level: string; message: string; fields: Record<string, unknown> };

function recorder(): AdapterLogger & { entries: Entry[] } {
	const entries: Entry[] = [];
	const at = (level: string) => (message: string, fields: Record<string, unknown>) => {
		entries.push({ level, message, fields });
	};
	return { entries, debug: at("debug"), warn: at("warn"), error: at("error") };
}

async function world(adapter: DatabaseAdapter) {
	const user = globalThis.crypto.randomUUID() as UUID;
	await adapter.createAccount({ id: user, name: "U", username: "u" });
	const room = await adapter.createRoom();
	return { user, room };
}

describe("createLoggingDatabaseAdapter", () => {
	it("logs method, duration, outcome and sizes, never content or embeddings", async () => {
		const inner = new SqlJsDatabaseAdapter({ embeddingDimension: 3 });
		await inner.init();
		const log = recorder();
		// slowMs out of reach: a loaded machine must not turn this call into a "slow" warning.
		const adapter = createLoggingDatabaseAdapter(inner, { logger: log, slowMs: 3_600_000 });
		const { user, room } = await world(adapter);
		const secret = "the-secret-text";
		await adapter.createMemory(
			{
				userId: user,
				agentId: user,
				roomId: room,
				content: { text: secret },
				embedding: [0.2513, 0.5127, 0.7539],
			},
			"messages",
		);
		const found = await adapter.searchMemoriesByEmbedding([0.2513, 0.5127, 0.7539], {
			tableName: "messages",
			roomId: room,
		});
		expect(found).toHaveLength(1);

		// The lifecycle calls are logged like the rest (a count is a present value: size 1).
		expect(await adapter.deleteMemories({ roomId: room, tableName: "facts" })).toBe(0);
		expect(await adapter.pruneMemories({ keepLast: 5 })).toBe(0);
		for (const method of ["deleteMemories", "pruneMemories"])
			expect(log.entries.find((e) => e.fields.method === method)?.fields).toMatchObject({
				outcome: "ok",
				argSizes: [1],
				resultSize: 1,
			});

		const search = log.entries.find((e) => e.fields.method === "searchMemoriesByEmbedding");
		expect(search?.level).toBe("debug");
		expect(search?.fields).toMatchObject({ outcome: "ok", resultSize: 1, argSizes: [3, 1] });
		expect(typeof search?.fields.durationMs).toBe("number");
		const serialised = JSON.stringify(log.entries);
		expect(serialised).not.toContain(secret);
		// Four decimals: a duration (two decimals, e.g. 10.75 ms) can never spell it.
		expect(serialised).not.toContain("0.7539");
		await adapter.close();
	});

	it("logs failures with the typed error's code and rethrows the same error", async () => {
		const inner = new SqlJsDatabaseAdapter({ embeddingDimension: 3 });
		await inner.init();
		const log = recorder();
		const adapter = createLoggingDatabaseAdapter(inner, { logger: log });
		await expect(adapter.getRoom("not-a-uuid" as UUID)).rejects.toBeInstanceOf(ValidationError);
		expect(log.entries.at(-1)).toMatchObject({
			level: "error",
			fields: {
				method: "getRoom",
				outcome: "error",
				errorName: "ValidationError",
				errorCode: "VALIDATION",
			},
		});
		await adapter.close();
	});

	it("warns on calls slower than slowMs, and wraps the transaction's adapter too", async () => {
		const inner = new SqlJsDatabaseAdapter({ embeddingDimension: 3 });
		await inner.init();
		const log = recorder();
		const adapter = createLoggingDatabaseAdapter(inner, { logger: log, slowMs: 0 });
		const value = await adapter.transaction(async (tx) => {
			await tx.createRoom();
			return 42;
		});
		expect(value).toBe(42);
		const methods = log.entries.map((e) => e.fields.method);
		expect(methods).toContain("createRoom");
		expect(methods).toContain("transaction");
		expect(log.entries.every((e) => e.level === "warn")).toBe(true);
		await adapter.close();
	});
});

describe("checkHealth", () => {
	it("reports ok with a latency for a working adapter, and the typed error for a closed one", async () => {
		const adapter = new SqlJsDatabaseAdapter();
		await adapter.init();
		const ok = await checkHealth(adapter);
		expect(ok.ok).toBe(true);
		expect(ok.latencyMs).toBeGreaterThanOrEqual(0);
		await adapter.close();
		const closed = await checkHealth(adapter);
		expect(closed).toMatchObject({ ok: false, error: { code: "CLOSED" } });
	});
});

describe("credentials in health reports and logs", () => {
	it("masks a URL's password that a third-party adapter's raw error echoes", async () => {
		const url = "postgres://app:S3cr3tPw@db.example.com:5432/prod";
		// Any adapter can be wrapped: this one fails as a driver would, with a plain Error.
		const failing = {
			testConnection: async () => {
				throw new Error(`could not connect to ${url}`);
			},
		} as unknown as DatabaseAdapter;
		const health = await checkHealth(failing);
		expect(health.ok).toBe(false);
		expect(health.error?.message).toBe(
			"could not connect to postgres://app:***@db.example.com:5432/prod",
		);
		const log = recorder();
		await expect(
			createLoggingDatabaseAdapter(failing, { logger: log }).testConnection(),
		).rejects.toThrow();
		expect(log.entries).toHaveLength(1);
		expect(JSON.stringify(log.entries)).not.toContain("S3cr3tPw");
	});
});
