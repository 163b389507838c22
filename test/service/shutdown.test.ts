/**
 * The real CLI (`node dist/cli/main.js serve`, from `npm run build`) on a database this test
 * creates: SIGTERM under a load of concurrent writes loses no write that was acknowledged.
 */
import { execFile, spawn } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteDatabaseAdapter } from "../../src/backends/sqlite/index.js";
import { assertBuilt, BIN, run, tempDir } from "../cli/run.js";

const KEY = "shutdown-test-key-0123456789";
const exec = promisify(execFile);

describe("agentmem serve: graceful shutdown", () => {
	const dir = tempDir("agentmem-serve-");
	const file = join(dir, "memory.db");
	afterAll(async () => {
		const { rmSync } = await import("node:fs");
		rmSync(dir, { recursive: true, force: true });
	});

	it("refuses to listen beyond loopback without AGENTMEM_API_KEY, and creates nothing", async () => {
		assertBuilt();
		const r = await run(
			["serve", "--url", `sqlite:${join(dir, "refused.db")}`, "--host", "0.0.0.0", "--port", "0"],
			dir,
		);
		expect(r.code).toBe(1);
		expect(r.stderr).toMatch(
			/CONFIGURATION.*refusing to listen on 0\.0\.0\.0 without a service key/,
		);
		const { existsSync } = await import("node:fs");
		expect(existsSync(join(dir, "refused.db"))).toBe(false);
	});

	it("SIGTERM under concurrent writes: every write that got a 2xx is in the database", async () => {
		assertBuilt();
		const env = { ...process.env, AGENTMEM_API_KEY: KEY, AGENTMEM_LOG_LEVEL: "warn" };
		const child = spawn(
			process.execPath,
			[BIN, "serve", "--url", `sqlite:${file}`, "--port", "0"],
			{ cwd: dir, env },
		);
		const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
		let stderr = "";
		const base = await new Promise<string>((found, fail) => {
			child.stderr.on("data", (d) => {
				stderr += d;
				const m = /listening on (http:\/\/\S+)/.exec(stderr);
				if (m) found(m[1] as string);
			});
			child.on("exit", () => fail(new Error(`serve exited before listening: ${stderr}`)));
		});
		const user = crypto.randomUUID();
		const room = crypto.randomUUID();
		// One request through curl, as a user would send it.
		const { stdout } = await exec("curl", [
			"-s",
			"-X",
			"POST",
			`${base}/v1/accounts`,
			"-H",
			`apikey: ${KEY}`,
			"-H",
			"content-type: application/json",
			"-d",
			JSON.stringify({ id: user, name: "Load", username: "load" }),
		]);
		expect(JSON.parse(stdout)).toEqual({ result: true });
		const headers = { authorization: `Bearer ${KEY}`, "content-type": "application/json" };
		expect(
			(
				await fetch(`${base}/v1/rooms`, {
					method: "POST",
					headers,
					body: JSON.stringify({ roomId: room }),
				})
			).status,
		).toBe(200);

		const acknowledged: string[] = [];
		let stop = false;
		const worker = async () => {
			while (!stop) {
				const id = crypto.randomUUID();
				try {
					const res = await fetch(`${base}/v1/memories`, {
						method: "POST",
						headers,
						body: JSON.stringify({
							tableName: "messages",
							memory: {
								id,
								userId: user,
								agentId: user,
								roomId: room,
								content: { text: `load ${id}` },
							},
						}),
					});
					if (res.ok) acknowledged.push(id);
					await res.arrayBuffer();
				} catch {
					stop = true; // the server is gone: connection refused or reset
				}
			}
		};
		const workers = Array.from({ length: 16 }, worker);
		while (acknowledged.length < 100) await new Promise((r) => setTimeout(r, 10));
		child.kill("SIGTERM");
		const code = await exited;
		stop = true;
		await Promise.all(workers);
		expect(code).toBe(0);

		const db = new SqliteDatabaseAdapter({ path: file });
		await db.init();
		try {
			const stored = await db.getMemoriesByIds(acknowledged as never[]);
			expect(stored.length).toBe(acknowledged.length);
			expect((await db.stats()).memories).toBeGreaterThanOrEqual(acknowledged.length);
		} finally {
			await db.close();
		}
		expect(acknowledged.length).toBeGreaterThanOrEqual(100);
	});
});
