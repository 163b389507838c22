/**
 * One process per PGlite data directory (PGlite corrupts a directory two processes open). The lock
 * is `<dir>/.agentmem.lock`, created atomically (`wx`) and holding the owner's pid, host and process
 * start time (Linux: /proc/<pid>/stat field 22), so a recycled pid is not mistaken for the owner.
 * A lock whose owner is gone is taken over; a live owner's lock fails fast with LockedError.
 * Node-only: the adapter imports this module dynamically, for directory paths only.
 */
import { readFileSync, unlinkSync } from "node:fs";
import { chmod, link, mkdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname, join, resolve } from "node:path";
import { LockedError } from "../../core/errors.js";

export const LOCK_FILE = ".agentmem.lock";
/** Takeover attempts before giving up (each one lost only to another process's fresh lock). */
const ATTEMPTS = 5;

interface Holder {
	pid: number;
	host: string;
	/** Process start time in clock ticks since boot (Linux), else null. */
	start: string | null;
}

export interface DirLock {
	readonly path: string;
	release(): Promise<void>;
}

/** New data directories hold private conversations: owner only. */
export const DEFAULT_DIR_MODE = 0o700;

/**
 * Locks `dir` for this process, or throws LockedError naming the holder. An absent `dir` is
 * created with exactly `mode` (whatever the umask; its missing parents get the usual mode); an
 * existing one is left as it is.
 */
export async function lockDirectory(dir: string, mode = DEFAULT_DIR_MODE): Promise<DirLock> {
	await createIfAbsent(dir, mode);
	const path = join(dir, LOCK_FILE);
	const mine = JSON.stringify({
		pid: process.pid,
		host: hostname(),
		start: startTime(process.pid),
	});
	for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
		try {
			await writeFile(path, mine, { flag: "wx" });
			return held(path, mine);
		} catch (err) {
			if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
		}
		const text = await readFile(path, "utf8").catch(() => null);
		if (text === null) continue; // released meanwhile
		const holder = parse(text);
		if (!holder && !(await stillUnreadable(path, text))) continue;
		if (holder && isAlive(holder)) {
			const who = holder.pid === process.pid ? "this process" : `process ${holder.pid}`;
			throw new LockedError(
				`The PGlite data directory ${dir} is in use by ${who}${holder.host === hostname() ? "" : ` on ${holder.host}`} (lock file ${path}). ` +
					"PGlite allows one process per directory: close the other adapter, or give this one another dataDir.",
			);
		}
		await takeOver(path, text);
	}
	throw new LockedError(`Could not lock ${dir}: other processes kept taking its lock (${path}).`);
}

async function createIfAbsent(dir: string, mode: number): Promise<void> {
	await mkdir(dirname(resolve(dir)), { recursive: true });
	try {
		await mkdir(dir, { mode });
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code === "EEXIST") return;
		throw err;
	}
	await chmod(dir, mode);
}

/**
 * Moves a stale lock aside atomically. If what was moved is not the stale lock read before (another
 * process took over and locked in between), it is put back with `link`, which never overwrites.
 */
async function takeOver(path: string, stale: string): Promise<void> {
	const aside = `${path}.stale-${process.pid}-${Math.random().toString(36).slice(2)}`;
	try {
		await rename(path, aside);
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
		throw err;
	}
	const moved = await readFile(aside, "utf8").catch(() => stale);
	if (moved !== stale) await link(aside, path).catch(() => undefined);
	await unlink(aside).catch(() => undefined);
}

/** An unparseable lock may be one being written right now: it is stale if it stays so. */
async function stillUnreadable(path: string, text: string): Promise<boolean> {
	await new Promise((resolve) => setTimeout(resolve, 100));
	return (await readFile(path, "utf8").catch(() => null)) === text;
}

function held(path: string, mine: string): DirLock {
	let released = false;
	// A normal exit removes the lock; a crash leaves it, and the next opener finds its owner gone.
	const onExit = () => {
		if (!released && readText(path) === mine) unlinkSync(path);
	};
	process.once("exit", onExit);
	return {
		path,
		async release() {
			if (released) return;
			released = true;
			process.removeListener("exit", onExit);
			if ((await readFile(path, "utf8").catch(() => null)) === mine) await unlink(path);
		},
	};
}

function readText(path: string): string | null {
	try {
		return readFileSync(path, "utf8");
	} catch {
		return null;
	}
}

function parse(text: string): Holder | null {
	try {
		const h = JSON.parse(text) as Partial<Holder>;
		if (typeof h.pid === "number" && Number.isInteger(h.pid) && h.pid > 0) {
			return {
				pid: h.pid,
				host: typeof h.host === "string" ? h.host : "",
				start: typeof h.start === "string" ? h.start : null,
			};
		}
	} catch {
		// Torn or foreign content: a half-written lock of a crashed process.
	}
	return null;
}

/** True unless the holder is provably gone. Another host's process cannot be checked: alive. */
function isAlive(h: Holder): boolean {
	if (h.host !== hostname()) return true;
	try {
		process.kill(h.pid, 0);
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code !== "EPERM") return false;
	}
	if (h.start === null) return true;
	const now = startTime(h.pid);
	return now === null || now === h.start;
}

/** The process's start time from /proc/<pid>/stat (field 22), or null off Linux. */
function startTime(pid: number): string | null {
	const stat = readText(`/proc/${pid}/stat`);
	if (stat === null) return null;
	// Field 2 (comm) is parenthesised and may hold spaces: count fields after its closing ')'.
	const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
	return fields[19] ?? null;
}
