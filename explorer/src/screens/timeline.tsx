/**
 * A room's timeline: memories newest first (every type merged, or one), filtered by time range,
 * paged by `createdAt` as the list scrolls, and live: memories written meanwhile arrive over SSE.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api } from "../api.js";
import { fromLocalInput } from "../format.js";
import { listen } from "../live.js";
import { href } from "../router.js";
import type { Memory, RoomSummary } from "../types.js";
import { ErrorBox, Loading, MemoryRow } from "../ui/bits.js";
import { roomLabel } from "./rooms.js";

const PAGE = 50;

interface Row {
	memory: Memory;
	tableName: string;
	fresh?: boolean;
}

const newestFirst = (a: Row, b: Row) =>
	(b.memory.createdAt ?? 0) - (a.memory.createdAt ?? 0) ||
	(a.memory.id ?? "").localeCompare(b.memory.id ?? "");

export function Timeline({ roomId }: { roomId: string }) {
	const [room, setRoom] = useState<RoomSummary | null>(null);
	const [error, setError] = useState<unknown>(null);
	const [type, setType] = useState("");
	const [from, setFrom] = useState("");
	const [to, setTo] = useState("");
	const [rows, setRows] = useState<Row[]>([]);
	const [done, setDone] = useState(false);
	const [loading, setLoading] = useState(false);
	const [liveState, setLiveState] = useState("connecting");
	const state = useRef({
		generation: 0,
		busy: false,
		seen: new Set<string>(),
		cursor: undefined as number | undefined,
	});
	const sentinel = useRef<HTMLDivElement>(null);

	const [names, setNames] = useState(new Map<string, string>());
	useEffect(() => {
		api.listRooms().then((all) => setRoom(all.find((r) => r.id === roomId) ?? null), setError);
		api.actors(roomId).then(
			(a) => setNames(new Map(a.map((x) => [x.id, x.name || x.username] as const))),
			() => undefined,
		);
	}, [roomId]);
	const types = useMemo(() => (room ? Object.keys(room.memories).sort() : []), [room]);
	const start = fromLocalInput(from);
	const end = fromLocalInput(to);

	const loadMore = useCallback(async () => {
		const s = state.current;
		if (s.busy || !room) return;
		const generation = s.generation;
		s.busy = true;
		setLoading(true);
		try {
			const wanted = type ? [type] : types;
			const bound = s.cursor ?? end;
			// Memories sharing the cursor's timestamp come back again: ask for that many more.
			const ties = rows.filter((r) => r.memory.createdAt === s.cursor).length;
			const count = PAGE + ties;
			const pages = await Promise.all(
				wanted.map(async (tableName) => {
					const got = await api.getMemories({ roomId, tableName, count, start, end: bound });
					return { full: got.length >= count, rows: got.map((memory) => ({ memory, tableName })) };
				}),
			);
			if (generation !== s.generation) return;
			const fresh = pages
				.flatMap((p) => p.rows)
				.filter((r) => r.memory.id && !s.seen.has(r.memory.id))
				.sort(newestFirst)
				.slice(0, PAGE);
			for (const r of fresh) s.seen.add(r.memory.id as string);
			const last = fresh.at(-1);
			if (last) s.cursor = last.memory.createdAt;
			setRows((old) => [...old, ...fresh]);
			if (fresh.length === 0 || (fresh.length < PAGE && !pages.some((p) => p.full))) setDone(true);
		} catch (e) {
			setError(e);
			setDone(true);
		} finally {
			if (generation === s.generation) {
				s.busy = false;
				setLoading(false);
			}
		}
	}, [room, type, types, roomId, start, end, rows]);

	// A new filter starts the list again.
	useEffect(() => {
		const s = state.current;
		s.generation++;
		s.busy = false;
		s.seen = new Set();
		s.cursor = undefined;
		setRows([]);
		setDone(false);
		setError(null);
	}, [roomId, type, from, to]);

	// Infinite scroll: load the next page when the end of the list comes into view.
	useEffect(() => {
		const el = sentinel.current;
		if (!el || done || !room) return;
		const io = new IntersectionObserver((entries) => {
			if (entries.some((e) => e.isIntersecting)) void loadMore();
		});
		io.observe(el);
		return () => io.disconnect();
	}, [loadMore, done, room]);

	// Live: memories committed in this room while the timeline is open.
	useEffect(() => {
		return listen(
			{ roomId, ...(type ? { tableName: type } : {}) },
			(e) => {
				const s = state.current;
				const m = e.memory;
				if (!m.id || s.seen.has(m.id)) return;
				if (type && e.tableName !== type) return;
				const at = m.createdAt ?? Date.now();
				if ((start !== undefined && at < start) || (end !== undefined && at > end)) return;
				s.seen.add(m.id);
				setRows((old) =>
					[{ memory: m, tableName: e.tableName, fresh: true }, ...old].sort(newestFirst),
				);
			},
			setLiveState,
		);
	}, [roomId, type, start, end]);

	return (
		<section aria-labelledby="timeline-h">
			<p class="small">
				<a href={href.rooms()}>Rooms</a> ›
			</p>
			<div class="row" style={{ justifyContent: "space-between" }}>
				<h2 id="timeline-h">{room ? roomLabel(room) : "Room"}</h2>
				<div class="row">
					<span
						class={`badge ${liveState === "live" ? "ok" : "warn"}`}
						aria-live="polite"
						data-live={liveState}
					>
						{liveState === "live" ? "● live" : liveState}
					</span>
					<a href={href.map(roomId)}>Map of this room</a>
				</div>
			</div>
			<form class="filters" onSubmit={(e) => e.preventDefault()}>
				<label>
					Type
					<select
						value={type}
						onChange={(e) => setType(e.currentTarget.value)}
						aria-label="Memory type"
					>
						<option value="">all types</option>
						{types.map((t) => (
							<option key={t} value={t}>
								{t} ({room?.memories[t]})
							</option>
						))}
					</select>
				</label>
				<label>
					From (UTC)
					<input
						type="datetime-local"
						value={from}
						onChange={(e) => setFrom(e.currentTarget.value)}
					/>
				</label>
				<label>
					To (UTC)
					<input type="datetime-local" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
				</label>
				{from || to ? (
					<button
						type="button"
						onClick={() => {
							setFrom("");
							setTo("");
						}}
					>
						Clear time range
					</button>
				) : null}
			</form>
			<ErrorBox error={error} />
			{room === null && !error ? <Loading what="the room" /> : null}
			<ul class="list" aria-label="Memories, newest first" data-testid="timeline">
				{rows.map((r) => (
					<MemoryRow
						key={r.memory.id}
						memory={r.memory}
						tableName={r.tableName}
						names={names}
						fresh={r.fresh}
					/>
				))}
			</ul>
			{loading ? <Loading what="memories" /> : null}
			{done ? (
				<p class="muted small">
					{rows.length === 0 ? "No memories match." : `All ${rows.length} shown.`}
				</p>
			) : (
				<button type="button" onClick={() => void loadMore()} disabled={loading}>
					Load more
				</button>
			)}
			<div ref={sentinel} class="sentinel" />
		</section>
	);
}
