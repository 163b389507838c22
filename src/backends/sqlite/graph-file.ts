/**
 * The HNSW graph (slot-graph.ts) saved beside a SQLite database file, so reopening loads it in
 * about a second instead of rebuilding it (a minute at 100,000 rows, tens at 1,000,000):
 *
 * - `<file>.agentmem-hnsw`: the graph in usearch's format, keyed by the copy's slots;
 * - `<file>.agentmem-hnsw.json`: what it is: the database's random id (migration 005's
 *   `database_id`), the change-log seq it reflects, the dimension, how many slots were built, the
 *   id in each slot, and the graph file's size and SHA-256.
 *
 * Each is written to a temporary file, fsynced and renamed over the old one, the description
 * last, and binds the graph by its hash: a crash at any point leaves either the old pair, or a
 * graph its description does not match, which is ignored. Anything that does not match (another
 * database, another dimension, a seq the log no longer reaches, a torn or foreign file) is
 * ignored and the graph rebuilt; the graph only chooses candidates, which are ranked exactly.
 */
import { createHash, randomBytes } from "node:crypto";
import {
	closeSync,
	fsyncSync,
	openSync,
	readFileSync,
	readSync,
	renameSync,
	rmSync,
	writeSync,
} from "node:fs";
import { dirname } from "node:path";
import type { SlotGraph } from "./slot-graph.js";

const FORMAT = 1;

/** What a saved graph is (the `.json` beside it). */
export interface SavedGraph {
	format: typeof FORMAT;
	databaseId: string;
	seq: number;
	dimension: number;
	/** Every slot below this was added to the graph (or dead then). */
	built: number;
	/** The memory id in each slot, null for an empty one. */
	ids: (string | null)[];
	bytes: number;
	sha256: string;
}

/**
 * Where the cached search (sqlite-vector-cache.ts) saves its graph and loads it from. Typed here,
 * implemented for files by `graphFile`, so the cache itself needs no filesystem (SQL.js).
 */
export interface GraphStore {
	/** The saved graph's description when it is well-formed and for this database and dimension. */
	read(databaseId: string, dimension: number): SavedGraph | null;
	/** Loads the graph `saved` describes into `graph`; false when the file is not that graph. */
	load(saved: SavedGraph, graph: SlotGraph): boolean;
	/** Saves `graph` and its description crash-safely; false (nothing replaced) when it cannot. */
	save(graph: SlotGraph, about: Omit<SavedGraph, "format" | "bytes" | "sha256">): boolean;
}

/** Where a database's graph is saved, and with which permission bits (the database's). */
interface GraphFile {
	path: string;
	fileMode: number;
}

export function graphFile(databasePath: string, fileMode: number): GraphStore {
	const f = { path: `${databasePath}.agentmem-hnsw`, fileMode };
	return {
		read: (databaseId, dimension) => readSavedGraph(f, databaseId, dimension),
		load: (saved, graph) => loadSavedGraph(f, saved, graph),
		save: (graph, about) => saveGraph(f, graph, about),
	};
}

const describedBy = (f: GraphFile) => `${f.path}.json`;

function sha256Of(path: string): { bytes: number; sha256: string } {
	const hash = createHash("sha256");
	const buf = Buffer.allocUnsafe(1 << 20);
	const fd = openSync(path, "r");
	let bytes = 0;
	try {
		for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) {
			hash.update(buf.subarray(0, n));
			bytes += n;
		}
	} finally {
		closeSync(fd);
	}
	return { bytes, sha256: hash.digest("hex") };
}

/** A new file only this process writes, with the database's permission bits. */
function temporary(f: GraphFile, suffix: string): string {
	const path = `${f.path}.${randomBytes(6).toString("hex")}.${suffix}`;
	closeSync(openSync(path, "wx", f.fileMode));
	return path;
}

function fsyncPath(path: string, flags = "r"): void {
	const fd = openSync(path, flags);
	try {
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}

function saveGraph(
	f: GraphFile,
	graph: SlotGraph,
	about: Omit<SavedGraph, "format" | "bytes" | "sha256">,
): boolean {
	const made: string[] = [];
	try {
		const tmpGraph = temporary(f, "tmp");
		made.push(tmpGraph);
		graph.save(tmpGraph);
		fsyncPath(tmpGraph);
		const described: SavedGraph = { format: FORMAT, ...about, ...sha256Of(tmpGraph) };
		const tmpJson = temporary(f, "json.tmp");
		made.push(tmpJson);
		const fd = openSync(tmpJson, "w");
		try {
			writeSync(fd, JSON.stringify(described));
			fsyncSync(fd);
		} finally {
			closeSync(fd);
		}
		renameSync(tmpGraph, f.path);
		renameSync(tmpJson, describedBy(f));
		made.length = 0;
		// The renames themselves survive a power loss once the directory is synced.
		try {
			fsyncPath(dirname(f.path));
		} catch {
			// Some platforms cannot fsync a directory; the files are written either way.
		}
		return true;
	} catch {
		for (const path of made) rmSync(path, { force: true });
		return false;
	}
}

function readSavedGraph(f: GraphFile, databaseId: string, dimension: number): SavedGraph | null {
	let s: Partial<SavedGraph>;
	try {
		s = JSON.parse(readFileSync(describedBy(f), "utf8")) as Partial<SavedGraph>;
	} catch {
		return null;
	}
	const ok =
		s !== null &&
		typeof s === "object" &&
		s.format === FORMAT &&
		s.databaseId === databaseId &&
		s.dimension === dimension &&
		Number.isSafeInteger(s.seq) &&
		Number.isSafeInteger(s.built) &&
		Array.isArray(s.ids) &&
		(s.built as number) <= s.ids.length &&
		s.ids.every((id) => id === null || typeof id === "string") &&
		typeof s.sha256 === "string" &&
		Number.isSafeInteger(s.bytes);
	return ok ? (s as SavedGraph) : null;
}

function loadSavedGraph(f: GraphFile, saved: SavedGraph, graph: SlotGraph): boolean {
	try {
		const { bytes, sha256 } = sha256Of(f.path);
		if (bytes !== saved.bytes || sha256 !== saved.sha256) return false;
	} catch {
		return false;
	}
	return graph.load(f.path, saved.built);
}
