/**
 * The map: every embedded memory of a room (or of the database) projected to 2-D in a worker
 * (map/projection.ts), drawn on a canvas (map/scatter.ts), coloured by room, type or speaker
 * (map/legend.ts); hover to read, click to open, type to highlight. Keyboard: +/- zoom, arrows
 * pan, 0 fits, Enter opens the hovered point.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api } from "../api.js";
import { shortId, time } from "../format.js";
import { type ColourBy, colourCategories } from "../map/legend.js";
import { useProjection } from "../map/projection.js";
import { OTHER, PALETTE, Scatter } from "../map/scatter.js";
import { href } from "../router.js";
import type { RoomSummary } from "../types.js";
import { ErrorBox, Loading } from "../ui/bits.js";
import { roomLabel } from "./rooms.js";

export function MapScreen({ roomId }: { roomId?: string }) {
	const [rooms, setRooms] = useState<RoomSummary[]>([]);
	const [limit, setLimit] = useState(20_000);
	const [colourBy, setColourBy] = useState<ColourBy>(roomId ? "speaker" : "room");
	const [highlight, setHighlight] = useState("");
	const [hovered, setHovered] = useState(-1);
	const [mouse, setMouse] = useState({ x: 0, y: 0 });
	const [timing, setTiming] = useState<string>("");
	const canvas = useRef<HTMLCanvasElement>(null);
	const scatter = useRef<Scatter | null>(null);
	const drawnOnce = useRef(false);

	useEffect(() => {
		api.listRooms().then(setRooms, () => setRooms([]));
	}, []);
	const roomNames = useMemo(
		() => new Map<string, string>(rooms.map((r) => [r.id, roomLabel(r)])),
		[rooms],
	);

	// A new scope: nothing hovered, and its first drawing is timed again.
	useEffect(() => {
		setHovered(-1);
		drawnOnce.current = false;
	}, [roomId, limit]);
	const { data, positions, error, arrived } = useProjection(roomId, limit);

	const categories = useMemo(
		() => colourCategories(data, colourBy, roomNames),
		[data, colourBy, roomNames],
	);

	const marked = useMemo(() => {
		const q = highlight.trim().toLowerCase();
		if (!data || !q) return null;
		const m = new Uint8Array(data.ids.length);
		data.texts.forEach((t, i) => {
			if (t.toLowerCase().includes(q)) m[i] = 1;
		});
		return m;
	}, [data, highlight]);
	const markedCount = marked ? marked.reduce((s, v) => s + v, 0) : 0;

	const redraw = () => {
		const c = canvas.current;
		if (!c || !data || !positions) return;
		scatter.current ??= new Scatter(c);
		const bg = getComputedStyle(c).getPropertyValue("--panel").trim() || "#fff";
		scatter.current.draw(categories.colour, [...PALETTE, OTHER], marked, hovered, bg);
	};

	useEffect(() => {
		const c = canvas.current;
		if (!c || !data || !positions) return;
		scatter.current ??= new Scatter(c);
		scatter.current.setPositions(positions.p, data.ids.length, positions.fit);
		redraw();
		if (!drawnOnce.current) {
			drawnOnce.current = true;
			const ms = performance.now() - arrived.current;
			window.__explorerMap = {
				points: data.ids.length,
				arrivedToDrawnMs: ms,
				method: positions.method,
				done: false,
			};
			setTiming(
				`${data.ids.length.toLocaleString("en-US")} points drawn ${Math.round(ms)} ms after the data arrived`,
			);
		}
	}, [positions, data]);
	useEffect(redraw, [categories, marked, hovered]);
	useEffect(() => {
		const on = () => redraw();
		addEventListener("resize", on);
		const mq = matchMedia("(prefers-color-scheme: dark)");
		mq.addEventListener("change", on);
		return () => {
			removeEventListener("resize", on);
			mq.removeEventListener("change", on);
		};
	});

	const open = (i: number) => {
		if (data && i >= 0) location.hash = href.memory(data.types[i] as string, data.ids[i] as string);
	};
	const drag = useRef<{ x: number; y: number; moved: boolean } | null>(null);
	const local = (e: MouseEvent) => {
		const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
		return { x: e.clientX - r.left, y: e.clientY - r.top };
	};
	const onMove = (e: MouseEvent) => {
		const p = local(e);
		setMouse(p);
		if (drag.current && scatter.current) {
			scatter.current.pan(p.x - drag.current.x, p.y - drag.current.y);
			drag.current = { ...p, moved: true };
			redraw();
			return;
		}
		setHovered(scatter.current ? scatter.current.pick(p.x, p.y) : -1);
	};
	const onKey = (e: KeyboardEvent) => {
		const s = scatter.current;
		if (!s) return;
		const { width, height } = s.size();
		const moves: Record<string, () => void> = {
			"+": () => s.zoom(1.25, width / 2, height / 2),
			"=": () => s.zoom(1.25, width / 2, height / 2),
			"-": () => s.zoom(0.8, width / 2, height / 2),
			ArrowLeft: () => s.pan(40, 0),
			ArrowRight: () => s.pan(-40, 0),
			ArrowUp: () => s.pan(0, 40),
			ArrowDown: () => s.pan(0, -40),
			"0": () => positions && data && s.setPositions(positions.p, data.ids.length, true),
			Enter: () => open(hovered),
		};
		const move = moves[e.key];
		if (!move) return;
		e.preventDefault();
		move();
		redraw();
	};

	const tip = data && hovered >= 0 ? hovered : -1;
	return (
		<section aria-labelledby="map-h">
			<div class="filters">
				<h2 id="map-h" style={{ margin: "0 12px 0 0" }}>
					Map
				</h2>
				<label>
					Scope
					<select
						value={roomId ?? ""}
						onChange={(e) => (location.hash = href.map(e.currentTarget.value || undefined))}
						aria-label="Scope"
					>
						<option value="">the whole database</option>
						{rooms.map((r) => (
							<option key={r.id} value={r.id}>
								{roomLabel(r)}
							</option>
						))}
					</select>
				</label>
				<label>
					At most
					<select
						value={limit}
						onChange={(e) => setLimit(Number(e.currentTarget.value))}
						aria-label="Point limit"
					>
						{[5_000, 20_000, 100_000].map((n) => (
							<option key={n} value={n}>
								{n.toLocaleString("en-US")} points
							</option>
						))}
					</select>
				</label>
				<label>
					Colour by
					<select
						value={colourBy}
						onChange={(e) => setColourBy(e.currentTarget.value as ColourBy)}
						aria-label="Colour by"
					>
						<option value="room">room</option>
						<option value="type">type</option>
						<option value="speaker">speaker</option>
					</select>
				</label>
				<label>
					Highlight text
					<input
						type="search"
						value={highlight}
						onInput={(e) => setHighlight(e.currentTarget.value)}
						placeholder="e.g. on call"
					/>
				</label>
				<span class="small muted" aria-live="polite" data-testid="map-status">
					{positions
						? `${positions.method === "pca" ? "PCA" : `UMAP ${Math.round(positions.progress * 100)}%`} · `
						: ""}
					{timing}
					{marked ? ` · ${markedCount} highlighted` : ""}
					{data?.truncated ? ` · cut at ${limit.toLocaleString("en-US")}` : ""}
				</span>
			</div>
			<ErrorBox error={error} />
			{!data && !error ? <Loading what="embeddings" /> : null}
			{data && data.ids.length === 0 ? <p class="muted">No embedded memories here.</p> : null}
			<div class="map-wrap">
				<canvas
					ref={canvas}
					tabIndex={0}
					aria-label="Map of memories: +/- zoom, arrows pan, 0 fits, Enter opens the point under the pointer"
					data-testid="map-canvas"
					onMouseMove={onMove}
					onMouseLeave={() => setHovered(-1)}
					onMouseDown={(e) => (drag.current = { ...local(e), moved: false })}
					onMouseUp={(e) => {
						const moved = drag.current?.moved;
						drag.current = null;
						if (!moved && scatter.current) open(scatter.current.pick(local(e).x, local(e).y));
					}}
					onWheel={(e) => {
						e.preventDefault();
						const p = local(e);
						scatter.current?.zoom(e.deltaY < 0 ? 1.15 : 1 / 1.15, p.x, p.y);
						redraw();
					}}
					onKeyDown={onKey}
				/>
				{tip >= 0 && data ? (
					<div
						class="tooltip"
						style={{ left: `${Math.min(mouse.x + 14, 9999)}px`, top: `${mouse.y + 14}px` }}
						role="tooltip"
					>
						<div class="muted">
							{time(data.createdAt[tip])} · {data.types[tip]} ·{" "}
							{roomNames.get(data.rooms[tip] as string) ?? shortId(data.rooms[tip])}
						</div>
						<div>{data.texts[tip]}</div>
					</div>
				) : null}
			</div>
			<fieldset class="legend" aria-label="Legend">
				{categories.legend.map((l) => (
					<span key={l.label}>
						<i style={{ background: l.colour }} />
						{l.label} ({l.count.toLocaleString("en-US")})
					</span>
				))}
			</fieldset>
		</section>
	);
}
