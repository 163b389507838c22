/** Reads a closed SQLite database file directly (better-sqlite3 + sqlite-vec), bypassing agentmem. */
import Database from "better-sqlite3";
import * as sqliteVec from "sqlite-vec";

export interface FileFacts {
	integrity: string;
	/** Rows of `memories` that have an embedding. */
	embedded: number;
	/** Rows of the vec0 index (null when the file has none). */
	indexed: number | null;
}

export function inspectFile(path: string): FileFacts {
	const db = new Database(path, { readonly: true });
	try {
		sqliteVec.load(db);
		const integrity = (db.pragma("integrity_check") as { integrity_check: string }[])
			.map((r) => r.integrity_check)
			.join("; ");
		const embedded = (
			db.prepare("SELECT count(*) AS n FROM memories WHERE embedding IS NOT NULL").get() as {
				n: number;
			}
		).n;
		const hasIndex = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'vec_memories'").get();
		const indexed = hasIndex
			? (db.prepare("SELECT count(*) AS n FROM vec_memories").get() as { n: number }).n
			: null;
		return { integrity, embedded, indexed };
	} finally {
		db.close();
	}
}

/** The vector the vec0 index holds for a memory id (null when it holds none). */
export function indexedVector(path: string, memoryId: string): number[] | null {
	const db = new Database(path, { readonly: true });
	try {
		sqliteVec.load(db);
		const row = db
			.prepare("SELECT embedding FROM vec_memories WHERE memory_id = ?")
			.get(memoryId) as { embedding: Buffer } | undefined;
		if (!row) return null;
		const e = row.embedding;
		return Array.from(new Float32Array(e.buffer.slice(e.byteOffset, e.byteOffset + e.byteLength)));
	} finally {
		db.close();
	}
}
