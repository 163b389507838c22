/**
 * Baseline (a) for SQLite: a hand-written sqlite-vec `vec0` KNN through better-sqlite3, no agentmem.
 * Cosine distance, in two layouts: `partitioned` (the room as a partition key with small chunks,
 * the layout agentmem's SQLite backend uses, so the ratio isolates agentmem's own cost) and `flat`
 * (the room as a metadata column, default chunks: the engine's best case for unfiltered queries).
 */

import { rmSync, statSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import * as sqliteVec from "sqlite-vec";
import type { Workload } from "../workload.js";
import { rowVector } from "../workload.js";
import type { Contender } from "./contender.js";

/** Size of a SQLite database and its WAL, in bytes. */
export function sqliteFileBytes(path: string): number {
	let total = 0;
	for (const suffix of ["", "-wal"]) {
		try {
			total += statSync(path + suffix).size;
		} catch {
			// absent: nothing to count
		}
	}
	return total;
}

export function removeSqliteFiles(path: string): void {
	// With agentmem's graph saved beside the file (up to ~0.9 GB at 1,000,000 rows).
	for (const suffix of ["", "-wal", "-shm", ".agentmem-hnsw", ".agentmem-hnsw.json"]) {
		rmSync(path + suffix, { force: true });
	}
}

const LAYOUTS = {
	partitioned: "room_id text partition key, chunk_size=8",
	flat: "room_id text",
} as const;

export async function rawSqliteContender(
	w: Workload,
	scratchDir: string,
	layout: keyof typeof LAYOUTS,
): Promise<Contender> {
	const name = layout === "flat" ? "raw-sqlite-vec-flat" : "raw-sqlite-vec";
	const path = join(scratchDir, `${name}.db`);
	let db: Database.Database | undefined;
	let insert: Database.Statement | undefined;
	let knn: Database.Statement | undefined;
	let knnRoom: Database.Statement | undefined;
	const vecBytes = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
	const put = (row: number) =>
		insert?.run(BigInt(row + 1), w.roomIds[w.roomOf[row] as number], vecBytes(rowVector(w, row)));
	return {
		name,
		kind: "raw",
		engine: "sqlite",
		exact: true,
		async open() {
			db?.close();
			removeSqliteFiles(path);
			db = new Database(path);
			sqliteVec.load(db);
			db.pragma("journal_mode = WAL");
			db.pragma("synchronous = NORMAL");
			db.exec(
				`CREATE VIRTUAL TABLE items USING vec0(embedding float[${w.spec.dim}] distance_metric=cosine, ${LAYOUTS[layout]})`,
			);
			insert = db.prepare("INSERT INTO items(rowid, room_id, embedding) VALUES (?, ?, ?)");
			knn = db.prepare("SELECT rowid FROM items WHERE embedding MATCH ? AND k = ?");
			knnRoom = db.prepare(
				"SELECT rowid FROM items WHERE embedding MATCH ? AND k = ? AND room_id = ?",
			);
		},
		async insertOne(row) {
			put(row);
		},
		async insertBatch(rows) {
			db?.transaction(() => {
				for (const row of rows) put(row);
			})();
		},
		async search(query, k, room) {
			const rows = (
				room === undefined
					? knn?.all(vecBytes(query), k)
					: knnRoom?.all(vecBytes(query), k, w.roomIds[room])
			) as { rowid: number }[];
			return rows.map((r) => w.ids[Number(r.rowid) - 1] as string);
		},
		async diskBytes() {
			db?.pragma("wal_checkpoint(TRUNCATE)");
			return sqliteFileBytes(path);
		},
		async close() {
			db?.close();
			db = undefined;
			removeSqliteFiles(path);
		},
	};
}
