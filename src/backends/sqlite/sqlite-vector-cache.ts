/**
 * Vector search over an in-memory copy of the embeddings (vector-columns.ts), for SQLite-family
 * connections searched in JavaScript: SQL.js, and SQLite's `exact-scan` and `quantized` modes.
 * The `memories` table stays the source of truth; the copy is derived from it and kept in step
 * without trusting anything the table does not say:
 *
 * - Triggers in the file (migration 005) log the id of every memory inserted, deleted or changed
 *   in a vector column, by any connection or process, into `memory_changes` under a contiguous
 *   seq. The copy remembers the last seq it reflects; before each search the ids logged since
 *   are read back from the table and refreshed in the copy (and in its graph). The log is
 *   transactional, so a rolled-back write leaves no entry. When the copy's next seq has been
 *   pruned from the log, or the log is behind the copy, the copy is rebuilt from the table.
 * - A TEMP mark, rewritten with a fresh value each time the copy is brought up to date, says the
 *   copy matches this connection: a reopened connection (sql.js's `export()`) has none, and when a
 *   transaction that refreshed the copy rolls back, the earlier mark comes back (and the log's
 *   seqs it saw may be reused). Either way the copy is rebuilt. So refreshing inside a
 *   transaction (a `unique` insert's check) is safe.
 * - Without the log's three triggers (dropped by hand) nothing can be trusted: searches read the
 *   rows through SQL.
 */
import type { Row, SqlSession } from "../../core/sql/driver.js";
import { createExactScan, StaleDimensionError } from "../../core/sql/exact-scan.js";
import type { MemoryVectorQuery, SqlFamily, VectorSearch } from "../../core/sql/family.js";
import type { GraphStore, SavedGraph } from "./graph-file.js";
import type { SlotGraph } from "./slot-graph.js";
import { type ColumnFilter, type Ranked, VectorColumns } from "./vector-columns.js";

const MARK = "agentmem_vector_mark";
const SETUP = `CREATE TEMP TABLE IF NOT EXISTS ${MARK} (mark TEXT NOT NULL)`;
/** Fails (no such table) on a connection that never set up the mark: then the copy is rebuilt. */
const STATE = `SELECT (SELECT mark FROM temp.${MARK}) AS mark,
	(SELECT min(seq) FROM main.memory_changes) AS first,
	(SELECT max(seq) FROM main.memory_changes) AS last,
	(SELECT count(*) FROM main.sqlite_master WHERE type = 'trigger' AND name IN
		('memory_changes_insert', 'memory_changes_update', 'memory_changes_delete')) AS triggers`;
const SEQS = "SELECT min(seq) AS first, coalesce(max(seq), 0) AS last FROM main.memory_changes";
const DATABASE_ID = "SELECT value FROM agentmem_meta WHERE key = 'database_id'";
const VECTOR_COLUMNS = "id, type, room_id, agent_id, is_unique, embedding";
const ALL_VECTORS = `SELECT ${VECTOR_COLUMNS} FROM memories WHERE embedding IS NOT NULL`;
const SOME_VECTORS = `SELECT ${VECTOR_COLUMNS} FROM memories WHERE id IN (SELECT value FROM json_each(?1))`;
const CHANGES_SINCE = `SELECT DISTINCT memory_id AS id FROM main.memory_changes
	WHERE seq > ?1 AND seq <= ?2`;
const CLEAR_MARK = `DELETE FROM temp.${MARK}`;
const SET_MARK = `INSERT INTO temp.${MARK} (mark) VALUES (?1)`;

export interface CachedSearchOptions {
	/**
	 * Approximate search above this many candidate rows (after the filters); absent: always exact.
	 * `rescore` candidates picked by binary codes are ranked exactly.
	 */
	approximate?: { exactBelow: number; rescore: number };
	/**
	 * With `approximate`: from `minRows` rows on, an HNSW graph (slot-graph.ts, from `create`; null
	 * when it cannot be had) is built over the copy in the background, in steps between other work,
	 * while `alive()` (the adapter is open); once built it chooses the candidates.
	 */
	graph?: {
		minRows: number;
		create(dimension: number): Promise<SlotGraph | null>;
		alive(): boolean;
		/**
		 * Where the graph is saved (a SQLite file's graph-file.ts): loaded on a rebuild when it
		 * matches, then caught up from the log; saved when a build finishes and by `persist()`.
		 */
		store?: GraphStore;
	};
}

interface Copy {
	columns: VectorColumns;
	/** The last `memory_changes` seq the copy reflects. */
	seq: number;
	mark: string;
	/** The database's `database_id` (read when the graph is saved beside the file). */
	databaseId?: string;
	/** The graph's `changes` when it was last saved or loaded. */
	savedChanges?: number;
	/** A graph is being created, or its steps are scheduled. */
	graphWork?: "creating" | "building";
}

/** What the copy holds and how far its graph is (`SqliteDatabaseAdapter#vectorIndexStatus`). */
export interface VectorIndexStatus {
	/** Memories in the in-memory copy (0 before the first search builds it). */
	rows: number;
	/** `none`: no graph (too few rows, turned off, or usearch missing); `building`; `ready`. */
	graph: "none" | "building" | "ready";
	/** Times the copy was read whole from the table since the adapter opened. */
	rebuilds: number;
	/** Times it caught up from the change log (own or other processes' writes) instead. */
	catchUps: number;
	/** The graph was loaded from the file saved beside the database, not built. */
	graphLoaded: boolean;
}

export function createCachedVectorSearch(
	family: SqlFamily,
	options: CachedSearchOptions = {},
): VectorSearch & {
	invalidate(): void;
	status(): VectorIndexStatus;
	persist(force?: boolean): void;
	catchUp(session: SqlSession): Promise<void>;
} {
	const exact = createExactScan(family);
	let copy: Copy | null = null;
	/** Bumped by every change to `copy`: a refresh that raced another gives up (see `refresh`). */
	let generation = 0;
	let rebuilds = 0;
	let catchUps = 0;

	async function setMark(session: SqlSession): Promise<string> {
		const mark = globalThis.crypto.randomUUID();
		await session.run(CLEAR_MARK);
		await session.run(SET_MARK, [mark]);
		return mark;
	}

	function putDecoded(columns: VectorColumns, row: Row, v: Float32Array): void {
		columns.put(
			String(row.id),
			String(row.type),
			String(row.room_id),
			String(row.agent_id),
			Boolean(row.is_unique),
			v,
		);
	}

	async function rebuild(session: SqlSession, dimension: number): Promise<Copy | null> {
		const gen = ++generation;
		copy = null;
		rebuilds++;
		await session.exec(SETUP);
		// Read before the rows: ids logged after it are refreshed later (refreshing twice is harmless).
		const [seqs] = await session.all(SEQS);
		const seq = Number(seqs?.last ?? 0);
		const rows = await session.all(ALL_VECTORS);
		const decoded: [Row, Float32Array][] = [];
		for (const row of rows) {
			const v = family.decodeEmbedding(row.embedding);
			if (!v) continue;
			// Another dimension: it changed under this adapter (a re-embed's switch elsewhere).
			if (v.length !== dimension) throw new StaleDimensionError(v.length, dimension);
			decoded.push([row, v]);
		}
		// The binary codes' centre: the mean vector (real embeddings are rarely centred on zero).
		const mean = new Float64Array(dimension);
		for (const [, v] of decoded) {
			for (let j = 0; j < dimension; j++) mean[j] = (mean[j] as number) + (v[j] as number);
		}
		const n = Math.max(1, decoded.length);
		const columns = new VectorColumns(
			dimension,
			Float32Array.from(mean, (x) => x / n),
		);
		const databaseId = options.graph?.store
			? String((await session.all(DATABASE_ID))[0]?.value ?? "")
			: undefined;
		const saved = databaseId
			? await savedGraph(databaseId, dimension, decoded.length, seqs, seq)
			: null;
		if (saved) placeAsSaved(columns, decoded, saved.about.ids, saved.graph);
		else for (const [row, v] of decoded) putDecoded(columns, row, v);
		const mark = await setMark(session);
		if (gen !== generation) return null;
		const c: Copy = { columns, seq: saved?.about.seq ?? seq, mark, databaseId };
		if (saved) c.savedChanges = saved.graph.changes;
		copy = c;
		// A loaded graph reflects its seq: the rows changed since are refreshed in it now.
		return c.seq < seq ? refresh(session, c, seq) : c;
	}

	/**
	 * The graph saved beside the file, loaded, when it is for this database and dimension, the log
	 * still reaches back to its seq, and it is worth having (rows enough, few changes since).
	 */
	async function savedGraph(
		databaseId: string,
		dimension: number,
		rows: number,
		seqs: Row | undefined,
		last: number,
	): Promise<{ about: SavedGraph; graph: SlotGraph } | null> {
		const g = options.graph;
		if (!g?.store || graphUnavailable || rows < g.minRows) return null;
		const about = g.store.read(databaseId, dimension);
		if (!about || about.seq > last) return null;
		const first = seqs?.first == null ? last + 1 : Number(seqs.first);
		if (about.seq < last && first > about.seq + 1) return null;
		if (last - about.seq > Math.max(1000, rows / 2)) return null;
		const graph = await g.create(dimension).catch(() => null);
		if (!graph || !g.store.load(about, graph)) return null;
		return { about, graph };
	}

	/** Puts the rows in the slots `ids` gives them (the saved graph's keys), the rest after. */
	function placeAsSaved(
		columns: VectorColumns,
		decoded: [Row, Float32Array][],
		ids: (string | null)[],
		graph: SlotGraph,
	): void {
		const byId = new Map(decoded.map((d) => [String(d[0].id), d]));
		const gone: number[] = [];
		for (const [slot, id] of ids.entries()) {
			const d = id === null ? undefined : byId.get(id);
			if (d) {
				putDecoded(columns, d[0], d[1]);
				byId.delete(id as string);
			} else {
				columns.appendDead();
				if (id !== null) gone.push(slot);
			}
		}
		for (const [row, v] of byId.values()) putDecoded(columns, row, v);
		columns.attachGraph(graph);
		// Deleted while the file was closed (and pruned from view): out of the graph too.
		for (const slot of gone) graph.remove(slot);
	}

	/**
	 * Saves the copy's graph beside the file when it changed since it was last saved or loaded (or
	 * always, with `force`: the log is about to lose the seq the saved one reflects).
	 */
	function persist(c: Copy | null, force = false): void {
		const store = options.graph?.store;
		const graph = c?.columns.graph;
		if (!c || !store || !graph || !c.databaseId) return;
		if (!force && graph.changes === c.savedChanges) return;
		const saved = store.save(graph, {
			databaseId: c.databaseId,
			seq: c.seq,
			dimension: c.columns.dimension,
			built: graph.built,
			ids: c.columns.slotIds(),
		});
		if (saved) c.savedChanges = graph.changes;
	}

	/**
	 * Applies the ids logged after `current.seq` up to `last` to `current`; null when another
	 * refresh got there in between.
	 */
	async function refresh(session: SqlSession, current: Copy, last: number): Promise<Copy | null> {
		const gen = generation;
		const ids = (await session.all(CHANGES_SINCE, [current.seq, last])).map((r) => String(r.id));
		const rows = ids.length ? await session.all(SOME_VECTORS, [JSON.stringify(ids)]) : [];
		const decoded: [Row, Float32Array | null][] = rows.map((r) => [
			r,
			family.decodeEmbedding(r.embedding),
		]);
		for (const [, v] of decoded) {
			// Another dimension: a re-embed's switch committed elsewhere (as in `rebuild`).
			if (v && v.length !== current.columns.dimension) {
				throw new StaleDimensionError(v.length, current.columns.dimension);
			}
		}
		const mark = await setMark(session);
		if (gen !== generation) {
			copy = null;
			return null;
		}
		generation++;
		catchUps++;
		for (const id of ids) current.columns.remove(id);
		for (const [row, v] of decoded) if (v) putDecoded(current.columns, row, v);
		current.seq = last;
		current.mark = mark;
		return current;
	}

	/** No graph can be had here (the library is missing): never asked again. */
	let graphUnavailable = false;

	/** Starts (or resumes) building `c`'s graph in the background when it is worth one. */
	function buildGraph(c: Copy): void {
		const g = options.graph;
		if (!g || graphUnavailable || c.graphWork || c.columns.live < g.minRows) return;
		if (c.columns.graph) {
			if (c.columns.graphLag > 0) schedule(c);
			return;
		}
		c.graphWork = "creating";
		void g.create(c.columns.dimension).then(
			(graph) => {
				c.graphWork = undefined;
				if (!graph) graphUnavailable = true;
				else if (copy === c && g.alive()) {
					c.columns.attachGraph(graph);
					schedule(c);
				}
			},
			() => {
				c.graphWork = undefined;
				graphUnavailable = true;
			},
		);
	}

	/** One step (128 slots, tens of ms) per timer turn, so other work runs in between. */
	function schedule(c: Copy): void {
		c.graphWork = "building";
		const timer = setTimeout(() => {
			c.graphWork = undefined;
			// A replaced copy's graph is dropped with it; a closed adapter builds nothing more.
			if (copy !== c || !options.graph?.alive()) return;
			if (c.columns.buildGraph()) schedule(c);
			else persist(c);
		}, 0);
		// Never keeps the process alive.
		(timer as { unref?: () => void }).unref?.();
	}

	/** The copy, up to date for this session, or null when it cannot be had (then scan by SQL). */
	async function upToDate(session: SqlSession, dimension: number): Promise<Copy | null> {
		let state: Row | undefined;
		try {
			[state] = await session.all(STATE);
		} catch {
			// No mark on this connection yet (first search, or a reopened connection).
		}
		if (state && Number(state.triggers) !== 3) {
			copy = null;
			generation++;
			return null;
		}
		const current = copy;
		if (
			!state ||
			!current ||
			current.columns.dimension !== dimension ||
			state.mark !== current.mark
		) {
			return rebuild(session, dimension);
		}
		const last = Number(state.last ?? 0);
		if (last === current.seq) return current;
		// Behind the copy (the log was emptied), or its next entry pruned away: reread.
		if (last < current.seq || Number(state.first ?? 0) > current.seq + 1) {
			return rebuild(session, dimension);
		}
		const pending = last - current.seq;
		// A log longer than half the copy (a bulk load) is cheaper to reread whole.
		if (pending > 1000 && pending > current.columns.live / 2) return rebuild(session, dimension);
		return refresh(session, current, last);
	}

	function rank(c: Copy, query: Float32Array, q: MemoryVectorQuery): Ranked[] {
		const filter: ColumnFilter = {
			type: q.tableName,
			room: q.roomId,
			agent: q.agentId,
			uniqueOnly: q.uniqueOnly,
		};
		return options.approximate
			? c.columns.approximate(query, filter, q.count, q.threshold, options.approximate)
			: c.columns.exact(query, filter, q.count, q.threshold);
	}

	return {
		status() {
			const c = copy;
			const rows = c?.columns.live ?? 0;
			const counts = { rebuilds, catchUps, graphLoaded: c?.columns.graph?.loaded ?? false };
			if (!c || (!c.columns.graph && !c.graphWork)) return { rows, graph: "none", ...counts };
			return { rows, graph: c.columns.graphLag === 0 ? "ready" : "building", ...counts };
		},
		/** Saves the graph if it changed (on close; a build's end saves it too). */
		persist: (force) => persist(copy, force),
		/** Brings an existing copy up to date (before the log is cut short: `compact()`). */
		async catchUp(session) {
			const c = copy;
			if (c) await upToDate(session, c.columns.dimension);
		},
		invalidate() {
			copy = null;
			generation++;
		},
		async searchMemories(session, query, q) {
			let c: Copy | null;
			try {
				c = await upToDate(session, query.length);
			} catch {
				// E.g. TEMP tables refused: the copy cannot be kept, so read the rows through SQL.
				copy = null;
				c = null;
			}
			if (!c) return exact.searchMemories(session, query, q);
			if (options.approximate) buildGraph(c);
			const ranked = rank(c, query, q);
			if (ranked.length === 0) return [];
			const rows = await session.all(family.statements.memoriesByIds, [
				JSON.stringify(ranked.map((r) => r.id)),
				q.tableName,
			]);
			const byId = new Map<string, Row>(rows.map((r) => [String(r.id), r]));
			// A row deleted between the two reads is left out, never returned half-filled.
			return ranked.flatMap(({ id, similarity }) => {
				const row = byId.get(id);
				return row ? [{ ...row, similarity }] : [];
			});
		},
		searchKnowledge: (session, query, q) => exact.searchKnowledge(session, query, q),
	};
}
