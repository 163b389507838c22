/** The data directory lock file on its own: fresh, held, stale (dead pid, reused pid, torn). */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LOCK_FILE, lockDirectory } from "../../src/backends/pglite/dir-lock.js";
import { LockedError } from "../../src/core/errors.js";
import { tempDir } from "./pglite/shared-instance.js";

const root = tempDir("pglite-lock");
let n = 0;
const fresh = () => join(root, `d${n++}`);

/** A pid that existed and is gone. */
function deadPid(): number {
	const pid = spawnSync(process.execPath, ["-e", ""]).pid;
	if (!pid) throw new Error("could not start a process");
	return pid;
}

describe("pglite directory lock", () => {
	it("creates the directory and a lock naming this process, removed on release", async () => {
		const dir = fresh();
		const lock = await lockDirectory(dir);
		const path = join(dir, LOCK_FILE);
		const held = JSON.parse(readFileSync(path, "utf8"));
		expect(held).toMatchObject({ pid: process.pid, host: hostname() });
		await expect(lockDirectory(dir)).rejects.toThrow(LockedError);
		await lock.release();
		expect(existsSync(path)).toBe(false);
		await (await lockDirectory(dir)).release();
	});

	it("takes over the lock of a process that is gone", async () => {
		const dir = fresh();
		await (await lockDirectory(dir)).release();
		writeFileSync(
			join(dir, LOCK_FILE),
			JSON.stringify({ pid: deadPid(), host: hostname(), start: "1" }),
		);
		const lock = await lockDirectory(dir);
		expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8")).pid).toBe(process.pid);
		await lock.release();
	});

	it("takes over a lock whose pid now belongs to another process (start time differs)", async () => {
		const dir = fresh();
		await (await lockDirectory(dir)).release();
		// process.pid is alive, but it is not the process that started at tick 1.
		writeFileSync(
			join(dir, LOCK_FILE),
			JSON.stringify({ pid: process.pid, host: hostname(), start: "1" }),
		);
		const lock = await lockDirectory(dir);
		await lock.release();
	});

	it("takes over a torn lock (a crash between create and write)", async () => {
		const dir = fresh();
		await (await lockDirectory(dir)).release();
		writeFileSync(join(dir, LOCK_FILE), "");
		const lock = await lockDirectory(dir);
		await lock.release();
	});

	it("refuses a live process's lock, naming its pid", async () => {
		const dir = fresh();
		await (await lockDirectory(dir)).release();
		const live = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"]);
		try {
			const start = existsSync(`/proc/${live.pid}/stat`)
				? readFileSync(`/proc/${live.pid}/stat`, "utf8").split(") ")[1]?.split(" ")[19]
				: null;
			writeFileSync(
				join(dir, LOCK_FILE),
				JSON.stringify({ pid: live.pid, host: hostname(), start }),
			);
			await expect(lockDirectory(dir)).rejects.toThrow(
				new RegExp(`in use by process ${live.pid}\\b`),
			);
		} finally {
			live.kill("SIGKILL");
		}
	});
});
