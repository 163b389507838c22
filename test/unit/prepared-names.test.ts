import { describe, expect, it } from "vitest";
import {
	fnv1a64,
	MAX_PREPARED,
	planEveryCall,
	preparedNames,
} from "../../src/backends/postgres/prepared-statements.js";

describe("prepared statement names", () => {
	it("hashes with FNV-1a 64 (the published test vectors)", () => {
		expect(fnv1a64("")).toBe("cbf29ce484222325");
		expect(fnv1a64("a")).toBe("af63dc4c8601ec8c");
		expect(fnv1a64("foobar")).toBe("85944171f73967e8");
	});

	it("gives one text the same name in every adapter, and different texts different names", () => {
		const a = preparedNames();
		const b = preparedNames();
		const sql = "SELECT id FROM memories WHERE id = $1";
		expect(a.nameOf(sql)).toBe(b.nameOf(sql));
		expect(a.nameOf(sql)).toMatch(/^agentmem_[0-9a-f]{16}$/);
		expect(a.nameOf(`${sql} `)).not.toBe(a.nameOf(sql));
	});

	it("never names a statement planned for each call, and stops naming past the bound", () => {
		const names = preparedNames();
		expect(names.nameOf(planEveryCall("SELECT $1::int AS every_call"))).toBeUndefined();
		for (let i = 0; i < MAX_PREPARED; i++)
			expect(names.nameOf(`SELECT $1::int + ${i}`)).toBeDefined();
		expect(names.nameOf("SELECT $1::int - 1")).toBeUndefined();
		expect(names.nameOf("SELECT $1::int + 0")).toBeDefined();
	});
});
