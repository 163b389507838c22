// A fixture for test/unit/summary-reporter.test.ts (not matched by the suite's *.test.ts).
import { describe, it } from "vitest";

it("runs", () => undefined);

it("fails on purpose", () => {
	throw new Error("the fixture's failure");
});

describe("a group needing a server", () => {
	it("one", (ctx) => ctx.skip("needs a server: FIXTURE_URL is not set"));
	it("two", (ctx) => ctx.skip("needs a server: FIXTURE_URL is not set"));
});

it.skip("skipped statically", () => undefined);
