/**
 * The CLI never prints a database password: not for a URL it refuses, not for a server it cannot
 * reach, not for one it uses (doctor, stats, init, copy, export), whether the URL comes from --url
 * or AGENTMEM_DATABASE_URL. Runs the built binary.
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { setupTestDatabase } from "../backends/postgres/helpers.js";
import { assertBuilt, type RunResult, run, tempDir } from "./run.js";

beforeAll(assertBuilt);

const PASSWORD = "S3cr3tPw";
const printed = (r: RunResult) => `${r.stdout}\n${r.stderr}`;

describe("agentmem CLI: credentials are never printed", () => {
	it("a URL it refuses (bad port), from --url or AGENTMEM_DATABASE_URL, in every command", async () => {
		const dir = tempDir();
		const url = `postgres://app:${PASSWORD}@db.example.com:5432x/prod`;
		const runs: [string, Promise<RunResult>][] = [];
		for (const cmd of [["doctor"], ["stats"], ["init"], ["export"], ["recall", "x"]]) {
			runs.push([`${cmd[0]} --url`, run([...cmd, "--url", url], dir)]);
			runs.push([`${cmd[0]} env`, run(cmd, dir, { AGENTMEM_DATABASE_URL: url })]);
			runs.push([`${cmd[0]} --json`, run([...cmd, "--json", "--url", url], dir)]);
		}
		runs.push(["copy", run(["copy", "--from", url, "--to", "sqlite:./x.db"], dir)]);
		runs.push(["copy --to", run(["copy", "--from", "sqlite:./x.db", "--to", url], dir)]);
		for (const [what, pending] of runs) {
			const r = await pending;
			expect(r.code, what).toBe(1);
			expect(printed(r), what).not.toContain(PASSWORD);
		}
		const doctor = await run(["doctor", "--url", url], dir);
		expect(doctor.stdout).toContain("postgres://app:***@db.example.com:5432x/prod");
	});

	it("a server it cannot reach: doctor and stats say so without the password", async () => {
		const dir = tempDir();
		const url = `postgres://app:${PASSWORD}@127.0.0.1:1/prod?password=${PASSWORD}`;
		for (const cmd of ["doctor", "stats"]) {
			const r = await run([cmd, "--url", url], dir);
			expect(r.code, cmd).toBe(1);
			expect(printed(r), cmd).not.toContain(PASSWORD);
		}
		const debug = await run(["stats", "--url", url], dir, { AGENTMEM_DEBUG: "1" });
		expect(debug.stderr).toContain("    at ");
		expect(printed(debug)).not.toContain(PASSWORD);
	});
});

const db = await setupTestDatabase("CLI with a PostgreSQL password URL");

describe.runIf(db)("agentmem CLI: a PostgreSQL URL with a password, in use", () => {
	it("init, stats, doctor, copy and export print the URL masked", async () => {
		if (!db) return;
		const dir = tempDir();
		// The test server trusts local connections, so any password is accepted: it is only shown.
		const u = new URL(db.url);
		u.username = u.username || "postgres";
		u.password = PASSWORD;
		const url = u.toString();
		const masked = url.replace(PASSWORD, "***");
		const outputs: RunResult[] = [];
		const ok = async (args: string[], env: Record<string, string> = {}) => {
			const r = await run(args, dir, env);
			expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(0);
			outputs.push(r);
			return r;
		};
		expect((await ok(["init", "--url", url])).stdout).toContain(masked);
		await ok(["remember", "the launch moved to Thursday", "--url", url]);
		expect((await ok(["stats", "--url", url])).stdout).toContain(masked);
		expect((await ok(["stats", "--json"], { AGENTMEM_DATABASE_URL: url })).stdout).toContain(
			masked,
		);
		expect((await ok(["doctor", "--url", url])).stdout).toContain(masked);
		await ok(["doctor", "--json", "--url", url]);
		await ok(["copy", "--json", "--from", url, "--to", "sqlite:./copy.db"]);
		await ok(["export", "backup.jsonl", "--url", url]);
		for (const r of outputs) expect(printed(r)).not.toContain(PASSWORD);
		// What the commands wrote is private too: the SQLite copy and the export file.
		expect((statSync(join(dir, "copy.db")).mode & 0o777).toString(8)).toBe("600");
		expect((statSync(join(dir, "backup.jsonl")).mode & 0o777).toString(8)).toBe("600");
	});
});
