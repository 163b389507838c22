/**
 * SQLite on read-only storage and on a full disk: typed errors that say what is wrong and what to
 * do (never a raw SqliteError), `readonly: true` to read a database without writing anything, and
 * a full disk that refuses a write without losing or corrupting what was stored.
 *
 * The tests run as root, for whom chmod does not stop writes: read-only storage is a real
 * read-only mount (a tmpfs remounted `ro`) and the full disk a tiny tmpfs. Where mounting is not
 * permitted, a user who is not root gets an honest stand-in for read-only storage: a directory
 * and files without write permission (chmod stops such a user). Root without mount rights, and
 * the full-disk test without a tmpfs, skip with a notice instead of faking either.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteDatabaseAdapter } from "../../src/backends/sqlite/index.js";
import {
	ConfigurationError,
	ReadOnlyDatabaseError,
	StorageFullError,
} from "../../src/core/errors.js";
import type { UUID } from "../../src/core/types.js";
import { createAdapter } from "../../src/create-adapter.js";

const DIM = 3;
const root = mkdtempSync(join(tmpdir(), "agentmem-ro-"));
const mounts: string[] = [];

function mountTmpfs(dir: string, size: string): boolean {
	try {
		execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir], { stdio: "pipe" });
		mounts.push(dir);
		return true;
	} catch {
		return false;
	}
}

const roDir = join(root, "ro");
const fullDir = join(root, "full");
execFileSync("mkdir", ["-p", roDir, fullDir]);
const isRoot = process.getuid?.() === 0;
/** How the read-only directory is made read-only: a remount, or (not root) permissions. */
const readOnlyBy: "mount" | "chmod" | null = mountTmpfs(roDir, "8m")
	? "mount"
	: isRoot
		? null
		: "chmod";
const canFill = mountTmpfs(fullDir, "512k");
if (!readOnlyBy || !canFill) {
	console.warn(
		`\n!!!!!!!! SKIPPING sqlite-readonly: ${[!readOnlyBy && "read-only storage", !canFill && "full disk"].filter(Boolean).join(" and ")}: cannot mount a tmpfs here (needs CAP_SYS_ADMIN) !!!!!!!!\n`,
	);
}
/** What the error names as the reason, by how the storage was made read-only. */
const unwritable =
	readOnlyBy === "chmod" ? "is not writable by this process" : "is on read-only storage";

afterAll(() => {
	if (readOnlyBy === "chmod") {
		chmodSync(roDir, 0o755);
		for (const f of readdirSync(roDir)) chmodSync(join(roDir, f), 0o644);
	}
	// Lazy: a handle a failed test left open must not keep the mount (and the temp dir) around.
	for (const dir of mounts.reverse()) execFileSync("umount", ["-l", dir]);
	rmSync(root, { recursive: true, force: true });
});

const ids = {
	user: "00000000-0000-4000-8000-000000000001" as UUID,
	room: "00000000-0000-4000-8000-000000000002" as UUID,
};

/** A database with one account, room and memory, written by the adapter (WAL mode), closed. */
async function seed(path: string): Promise<void> {
	const a = new SqliteDatabaseAdapter({ path, embeddingDimension: DIM });
	await a.init();
	await a.createAccount({ id: ids.user, name: "U", username: "u" });
	await a.createRoom(ids.room);
	await a.createMemory(
		{
			userId: ids.user,
			agentId: ids.user,
			roomId: ids.room,
			content: { text: "kept" },
			embedding: [1, 0, 0],
		},
		"messages",
	);
	await a.close();
}

const digest = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

async function failure(open: () => Promise<unknown>): Promise<Error> {
	const err = await open().then(
		() => null,
		(e: unknown) => e as Error,
	);
	if (!err) throw new Error("expected the open to fail");
	return err;
}

describe.runIf(readOnlyBy)("SQLite on read-only storage", () => {
	const wal = join(roDir, "wal.db");
	const rollback = join(roDir, "rollback.db");

	beforeAll(async () => {
		await seed(wal);
		await seed(rollback);
		// A database switched out of WAL before being put on read-only storage.
		const db = new Database(rollback);
		db.pragma("journal_mode = DELETE");
		db.close();
		if (readOnlyBy === "mount") execFileSync("mount", ["-o", "remount,ro", roDir]);
		else {
			for (const f of readdirSync(roDir)) chmodSync(join(roDir, f), 0o444);
			chmodSync(roDir, 0o555);
		}
	});

	it("a new database in a read-only directory: ReadOnlyDatabaseError naming the storage", async () => {
		const err = await failure(() => createAdapter(`sqlite:${join(roDir, "new.db")}`));
		expect(err).toBeInstanceOf(ReadOnlyDatabaseError);
		expect((err as ReadOnlyDatabaseError).code).toBe("READ_ONLY");
		expect(err.message).toContain(`new.db: its directory ${unwritable}`);
		expect(err.message).toMatch(/writable storage/);
	});

	it("an existing WAL database opened to write: says it is WAL and what to do", async () => {
		const before = digest(wal);
		const err = await failure(() => createAdapter(`sqlite:${wal}`));
		expect(err).toBeInstanceOf(ReadOnlyDatabaseError);
		expect(err.message).toContain(unwritable);
		expect(err.message).toMatch(/WAL mode/);
		expect(err.message).toMatch(/journal_mode=DELETE/);
		expect(digest(wal)).toBe(before);
	});

	it("a WAL database cannot be read from read-only storage even with readonly: true, and says why", async () => {
		const err = await failure(() => createAdapter(`sqlite:${wal}`, { readonly: true }));
		expect(err).toBeInstanceOf(ReadOnlyDatabaseError);
		expect(err.message).toMatch(/-shm/);
	});

	it("a rollback-journal database opened to write: ReadOnlyDatabaseError suggesting readonly: true", async () => {
		const err = await failure(() => createAdapter(`sqlite:${rollback}`));
		expect(err).toBeInstanceOf(ReadOnlyDatabaseError);
		expect(err.message).toContain(`rollback.db: the database file ${unwritable}`);
		expect(err.message).toMatch(/readonly: true/);
	});

	it("readonly: true reads it (records, search, stats, export) and refuses every write, typed", async () => {
		const before = digest(rollback);
		const db = await createAdapter(`sqlite:${rollback}`, { readonly: true });
		expect(db.capabilities.vectorSearch).toBe("exact-scan");
		const [m] = await db.getMemories({ roomId: ids.room, tableName: "messages" });
		expect(m?.content.text).toBe("kept");
		const found = await db.searchMemoriesByEmbedding([1, 0, 0], { tableName: "messages" });
		expect(found.map((f) => f.content.text)).toEqual(["kept"]);
		expect((await db.stats()).memories).toBe(1);
		let records = 0;
		for await (const _ of db.exportRecords()) records++;
		expect(records).toBeGreaterThan(3);
		await expect(db.createRoom()).rejects.toBeInstanceOf(ReadOnlyDatabaseError);
		await expect(db.createRoom()).rejects.toThrow(/opened with readonly: true/);
		await expect(db.setCache({ agentId: ids.user, key: "k", value: "v" })).rejects.toBeInstanceOf(
			ReadOnlyDatabaseError,
		);
		await db.close();
		expect(digest(rollback)).toBe(before);
	});
});

describe("readonly: true on writable storage", () => {
	it("reads a WAL database another adapter writes, and refuses its own writes", async () => {
		const path = join(root, "shared.db");
		await seed(path);
		const writer = await createAdapter(`sqlite:${path}`);
		const reader = await createAdapter(`sqlite:${path}`, { readonly: true });
		await writer.createMemory(
			{ userId: ids.user, agentId: ids.user, roomId: ids.room, content: { text: "new" } },
			"messages",
		);
		expect(await reader.countMemories(ids.room, false, "messages")).toBe(2);
		await expect(reader.removeAllMemories(ids.room, "messages")).rejects.toBeInstanceOf(
			ReadOnlyDatabaseError,
		);
		expect(await writer.countMemories(ids.room, false, "messages")).toBe(2);
		await reader.close();
		await writer.close();
	});

	it("never creates a database", async () => {
		const path = join(root, "absent.db");
		const err = await failure(() => createAdapter(`sqlite:${path}`, { readonly: true }));
		expect(err).toBeInstanceOf(ConfigurationError);
		expect(err.message).toMatch(/never creates one/);
		expect(() => readFileSync(path)).toThrow();
	});

	it("refuses a database agentmem never set up (nothing to migrate read-only)", async () => {
		const path = join(root, "foreign.db");
		new Database(path).close();
		const err = await failure(() => createAdapter(`sqlite:${path}`, { readonly: true }));
		expect(err).toBeInstanceOf(ReadOnlyDatabaseError);
		expect(err.message).toMatch(/open it once without readonly/);
	});
});

describe.runIf(canFill)("SQLite on a full disk", () => {
	it("a write that does not fit: StorageFullError, nothing partial, the database intact", async () => {
		const path = join(fullDir, "full.db");
		const db = new SqliteDatabaseAdapter({ path, embeddingDimension: DIM });
		await db.init();
		await db.createAccount({ id: ids.user, name: "U", username: "u" });
		await db.createRoom(ids.room);
		const big = "x".repeat(16 * 1024);
		let stored = 0;
		let err: unknown;
		for (let i = 0; i < 100 && !err; i++) {
			// A batch of 4: all or nothing.
			const batch = Array.from({ length: 4 }, () => ({
				memory: {
					userId: ids.user,
					agentId: ids.user,
					roomId: ids.room,
					content: { text: big },
				},
				tableName: "messages",
			}));
			try {
				await db.createMemories(batch);
				stored += batch.length;
			} catch (e) {
				err = e;
			}
		}
		try {
			expect(err).toBeInstanceOf(StorageFullError);
			expect((err as StorageFullError).code).toBe("STORAGE_FULL");
			expect((err as Error).message).toMatch(/disk is full.*intact/);
			expect(stored).toBeGreaterThan(0);
			expect(await db.countMemories(ids.room, false, "messages")).toBe(stored);
		} finally {
			await db.close();
		}
		// Free space (the WAL is checkpointed into the file at close), reopen, check.
		const check = new Database(path, { readonly: true });
		expect(check.pragma("integrity_check", { simple: true })).toBe("ok");
		check.close();
		const again = await createAdapter(`sqlite:${path}`, { readonly: true });
		expect(await again.countMemories(ids.room, false, "messages")).toBe(stored);
		await again.close();
	});
});
