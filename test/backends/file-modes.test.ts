/**
 * New database files hold private conversations: SQLite files (with -wal and -shm) are created
 * 0600 and PGlite data directories 0700, whatever the umask, unless the caller asks for another
 * mode; files and directories that already exist keep theirs. Mode bits are read with stat(), which
 * reports them even though the tests run as root.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lockDirectory } from "../../src/backends/pglite/dir-lock.js";
import { PGliteDatabaseAdapter } from "../../src/backends/pglite/index.js";
import { SqliteDatabaseAdapter } from "../../src/backends/sqlite/index.js";
import { ConfigurationError } from "../../src/core/errors.js";
import type { UUID } from "../../src/core/types.js";
import { createAdapter } from "../../src/create-adapter.js";

const root = mkdtempSync(join(tmpdir(), "agentmem-modes-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const mode = (path: string) => statSync(path).mode & 0o777;

/** Writes one account, so the WAL (and its shared-memory index) exist while the adapter is open. */
async function write(adapter: { createAccount(a: object): Promise<boolean> }) {
	await adapter.createAccount({ id: crypto.randomUUID() as UUID, name: "A", username: "a" });
}

describe("SQLite file modes", () => {
	it("creates the database, -wal and -shm 0600 by default", async () => {
		const path = join(root, "private.db");
		const adapter = new SqliteDatabaseAdapter({ path, embeddingDimension: 3 });
		await adapter.init();
		await write(adapter);
		expect(mode(path).toString(8)).toBe("600");
		expect(mode(`${path}-wal`).toString(8)).toBe("600");
		expect(mode(`${path}-shm`).toString(8)).toBe("600");
		await adapter.close();
	});

	it("uses the caller's fileMode exactly (not narrowed by the umask), via createAdapter too", async () => {
		const path = join(root, "shared.db");
		// 0660 would become 0640 under the usual umask 022 if the mode were not set explicitly.
		const adapter = await createAdapter(`sqlite:${path}`, {
			fileMode: 0o660,
			embeddingDimension: 3,
		});
		await write(adapter);
		expect(mode(path).toString(8)).toBe("660");
		expect(mode(`${path}-wal`).toString(8)).toBe("660");
		await adapter.close();
	});

	it("leaves an existing file's mode alone", async () => {
		const path = join(root, "existing.db");
		writeFileSync(path, "", { mode: 0o644 });
		const adapter = new SqliteDatabaseAdapter({ path, embeddingDimension: 3 });
		await adapter.init();
		await write(adapter);
		expect(mode(path).toString(8)).toBe("644");
		await adapter.close();
	});

	it("refuses a fileMode that is not permission bits", () => {
		for (const fileMode of [-1, 0o1000, 1.5, "600"]) {
			expect(
				() => new SqliteDatabaseAdapter({ path: join(root, "x.db"), fileMode } as never),
			).toThrow(ConfigurationError);
		}
	});
});

describe("PGlite data directory modes", () => {
	it("creates a new data directory 0700 by default (also below missing parents)", async () => {
		const dir = join(root, "parent", "pg-private");
		const adapter = new PGliteDatabaseAdapter({ dataDir: dir, embeddingDimension: 3 });
		await adapter.init();
		await write(adapter);
		expect(mode(dir).toString(8)).toBe("700");
		await adapter.close();
		expect(mode(dir).toString(8)).toBe("700");
	});

	it("uses the caller's dirMode exactly, and leaves an existing directory alone", async () => {
		const dir = join(root, "pg-group");
		const adapter = await createAdapter(`pglite:${dir}`, { dirMode: 0o770, embeddingDimension: 3 });
		await adapter.close();
		expect(mode(dir).toString(8)).toBe("770");

		// The adapter creates the directory only through its lock (a full PGlite start is slow here).
		const existing = join(root, "pg-existing");
		mkdirSync(existing, { mode: 0o755 });
		const lock = await lockDirectory(existing);
		await lock.release();
		expect(mode(existing).toString(8)).toBe("755");
	});

	it("refuses a dirMode that is not permission bits", () => {
		expect(() => new PGliteDatabaseAdapter({ dataDir: join(root, "y"), dirMode: 0o7777 })).toThrow(
			ConfigurationError,
		);
	});
});
