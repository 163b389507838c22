/**
 * `list`, `show`, `forget`, `prune` and `rooms rename` (issue 16), run as the built binary against
 * a SQLite file and a PostgreSQL database of this test's own.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { setupTestDatabase } from "../backends/postgres/helpers.js";
import { assertBuilt, run, runJson, tempDir } from "./run.js";

beforeAll(assertBuilt);

const pg = await setupTestDatabase("agentmem CLI lifecycle commands on PostgreSQL");

interface Room {
	id: string;
	name: string | null;
	memories: Record<string, number>;
	lastActivity: number | null;
}
interface Listed {
	total: number;
	memories: { id: string; type: string; createdAt: number; content: { text: string } }[];
}

const backends: [string, () => string | undefined][] = [
	["SQLite", () => "sqlite:./agent.db"],
	["PostgreSQL", () => pg?.url],
];

describe.each(backends)("agentmem CLI lifecycle on %s", (_name, urlOf) => {
	const enabled = urlOf() !== undefined;

	it.runIf(enabled)(
		"lists rooms and memories in pages, shows one, renames a room, forgets and prunes",
		async () => {
			const dir = tempDir();
			const url = urlOf() as string;
			const cli = (args: string[]) =>
				runJson<Record<string, unknown>>([...args, "--url", url], dir);
			await cli(["init"]);
			for (let i = 1; i <= 5; i++)
				await cli(["remember", `ops note ${i} about the pager`, "--room", "ops"]);
			await cli(["remember", "a fact about lunch", "--room", "social", "--type", "facts"]);

			const rooms = (await cli(["list"])).rooms as Room[];
			expect(rooms.map((r) => [r.name, r.memories])).toEqual([
				["social", { facts: 1 }],
				["ops", { messages: 5 }],
			]);
			const human = await run(["list", "--url", url], dir);
			expect(human.stdout).toMatch(/^room\s+name\s+memories\s+last activity \(UTC\)\n/);
			expect(human.stdout).toMatch(
				/\n[0-9a-f-]{36}\s+ops\s+messages 5\s+\d{4}-\d\d-\d\d \d\d:\d\d\n/,
			);
			expect(human.stdout).toContain("(2 rooms)");

			const first = (await cli(["list", "--room", "ops", "--limit", "2"])) as unknown as Listed;
			expect(first.total).toBe(5);
			expect(first.memories.map((m) => m.content.text)).toEqual([
				"ops note 5 about the pager",
				"ops note 4 about the pager",
			]);
			const second = (await cli([
				"list",
				"--room",
				"ops",
				"--limit",
				"2",
				"--offset",
				"2",
			])) as unknown as Listed;
			expect(second.memories.map((m) => m.content.text)).toEqual([
				"ops note 3 about the pager",
				"ops note 2 about the pager",
			]);
			const page = await run(["list", "--room", "ops", "--limit", "2", "--url", url], dir);
			expect(page.stdout).toContain("(1–2 of 5 memories; next page: --offset 2)");
			const older = (await cli([
				"list",
				"--room",
				"ops",
				"--before",
				String((first.memories[1] as { createdAt: number }).createdAt),
			])) as unknown as Listed;
			expect(older.memories.map((m) => m.content.text)).not.toContain("ops note 4 about the pager");

			const id = (first.memories[0] as { id: string }).id;
			const shown = await cli(["show", id]);
			expect(shown).toMatchObject({
				id,
				type: "messages",
				roomName: "ops",
				content: { text: "ops note 5 about the pager" },
				embeddingDimension: 384,
			});
			const showText = await run(["show", id, "--url", url], dir);
			expect(showText.stdout).toMatch(
				/^ops note 5 about the pager\n\nid\s+[0-9a-f-]{36}\ntype\s+messages\nroom\s+"ops"/,
			);
			const missing = await run(
				["show", "00000000-0000-4000-8000-000000000000", "--url", url, "--json"],
				dir,
			);
			expect(missing.code).toBe(1);
			expect(JSON.parse(missing.stdout)).toEqual({
				error: { code: "NOT_FOUND", message: expect.stringContaining("No memory") },
			});

			const renamed = await cli(["rooms", "rename", "ops", "Operations"]);
			expect(renamed).toMatchObject({ previousName: "ops", name: "Operations" });
			const byNewName = (await cli(["list", "--room", "Operations"])) as unknown as Listed;
			expect(byNewName.total).toBe(5);

			const one = await run(["forget", id, "--yes", "--url", url], dir);
			expect(one.stdout).toBe("Forgot 1 memory.\n");
			expect(((await cli(["list", "--room", "Operations"])) as unknown as Listed).total).toBe(4);
			const again = await run(["forget", id, "--yes", "--url", url], dir);
			expect(again.stdout).toBe("Forgot 0 memories (1 id matched nothing).\n");

			const pruned = await run(
				["prune", "--keep-last", "2", "--room", "Operations", "--yes", "--url", url],
				dir,
			);
			expect(pruned.stdout).toBe("Pruned 2 memories.\n");
			const left = (await cli(["list", "--room", "Operations"])) as unknown as Listed;
			expect(left.memories.map((m) => m.content.text)).toEqual([
				"ops note 4 about the pager",
				"ops note 3 about the pager",
			]);
			const byTime = await cli([
				"forget",
				"--room",
				"Operations",
				"--before",
				"2999-01-01",
				"--yes",
			]);
			expect(byTime).toEqual({ deleted: 2 });
			const old = await cli(["prune", "--older-than", "1d", "--type", "facts", "--yes"]);
			expect(old.deleted).toBe(0);
			expect(((await cli(["list", "--room", "social"])) as unknown as Listed).total).toBe(1);
		},
		1_200_000,
	);

	it.runIf(enabled)(
		"refuses to delete without --yes when not on a terminal",
		async () => {
			const dir = tempDir();
			const url = urlOf() as string;
			await runJson(["remember", "keep me", "--room", "keep", "--url", url], dir);
			for (const args of [
				["forget", "--room", "keep", "--before", "2999-01-01"],
				["prune", "--keep-last", "1"],
			]) {
				const r = await run([...args, "--url", url], dir);
				expect(r.code, args.join(" ")).toBe(2);
				expect(r.stderr).toMatch(/cannot ask for confirmation here \(not a terminal\): add --yes/);
				const j = await run([...args, "--url", url, "--json"], dir);
				expect(JSON.parse(j.stdout).error.code).toBe("USAGE");
			}
			const kept = await runJson<Listed>(["list", "--room", "keep", "--url", url], dir);
			expect(kept.total).toBeGreaterThanOrEqual(1);
		},
		300_000,
	);
});

describe("agentmem CLI lifecycle: usage", () => {
	it("exits 2 on bad dates, durations and missing criteria", async () => {
		const dir = tempDir();
		for (const args of [
			["forget"],
			["forget", "--before", "yesterday"],
			["prune"],
			["prune", "--older-than", "30 parsecs"],
			["list", "--limit", "0"],
		]) {
			const r = await run(args, dir);
			expect(r.code, args.join(" ")).toBe(2);
		}
	});
});
