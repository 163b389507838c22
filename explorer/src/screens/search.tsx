/**
 * Search: the query text embedded by the service with the database's recorded embedder, or a
 * stored memory's own embedding ("more like this"); hits with similarity bars. The form lives in
 * the URL (#/search?q=…), so a search can be linked to and Back returns to it.
 */
import { useEffect, useState } from "preact/hooks";
import { api } from "../api.js";
import { textOf } from "../format.js";
import { href } from "../router.js";
import type { Memory, RoomSummary } from "../types.js";
import { ErrorBox, Loading, MemoryRow, SimBar } from "../ui/bits.js";
import { roomLabel } from "./rooms.js";

export function Search({ params }: { params: URLSearchParams }) {
	const [rooms, setRooms] = useState<RoomSummary[]>([]);
	const [types, setTypes] = useState<string[]>(["messages"]);
	const [form, setForm] = useState(() => ({
		q: params.get("q") ?? "",
		room: params.get("room") ?? "",
		agent: params.get("agent") ?? "",
		type: params.get("type") ?? "messages",
		threshold: params.get("threshold") ?? "0",
		count: params.get("count") ?? "20",
	}));
	const like = params.get("like");
	const [hits, setHits] = useState<Memory[] | null>(null);
	const [likeMemory, setLikeMemory] = useState<Memory | null>(null);
	const [busy, setBusy] = useState(false);
	const [error, setError] = useState<unknown>(null);

	useEffect(() => {
		api.listRooms().then(setRooms, () => setRooms([]));
		api.stats().then(
			(s) => setTypes(Object.keys(s.memoriesByType).sort()),
			() => undefined,
		);
	}, []);

	// Run the search the URL describes.
	const key = params.toString();
	useEffect(() => {
		const q = params.get("q") ?? "";
		if (!q && !like) return;
		let stop = false;
		setBusy(true);
		setError(null);
		(async () => {
			let embedding: number[];
			if (like) {
				const m = await api.getMemoryById(like);
				if (!m?.embedding) throw new Error("That memory has no embedding to search with.");
				setLikeMemory(m);
				embedding = m.embedding;
			} else {
				embedding = (await api.embed(q)).embedding;
			}
			const found = await api.search(embedding, {
				tableName: params.get("type") || "messages",
				count: Number(params.get("count") || 20),
				match_threshold: Number(params.get("threshold") || 0),
				...(params.get("room") ? { roomId: params.get("room") as string } : {}),
				...(params.get("agent") ? { agentId: params.get("agent") as string } : {}),
			});
			if (!stop) setHits(found);
		})()
			.catch((e) => !stop && setError(e))
			.finally(() => !stop && setBusy(false));
		return () => {
			stop = true;
		};
	}, [key]);

	const submit = (e: Event) => {
		e.preventDefault();
		const next: Record<string, string> = {};
		for (const [k, v] of Object.entries(form)) if (v) next[k] = v;
		if (like && !form.q) next.like = like;
		location.hash = href.search(next);
	};
	const set = (k: keyof typeof form) => (e: { currentTarget: { value: string } }) =>
		setForm({ ...form, [k]: e.currentTarget.value });
	const type = params.get("type") || "messages";

	return (
		<section aria-labelledby="search-h">
			<h2 id="search-h">Search</h2>
			<form class="filters" onSubmit={submit} aria-label="Search memories">
				<label style={{ flex: "1 1 320px" }}>
					Query (embedded with the database's embedder)
					<input
						type="search"
						name="q"
						value={form.q}
						onInput={set("q")}
						placeholder={like ? "more like the memory below" : "what is the dog called?"}
						aria-label="Search text"
					/>
				</label>
				<label>
					Type
					<select value={form.type} onChange={set("type")} aria-label="Memory type">
						{types.map((t) => (
							<option key={t}>{t}</option>
						))}
					</select>
				</label>
				<label>
					Room
					<select value={form.room} onChange={set("room")} aria-label="Room">
						<option value="">any room</option>
						{rooms.map((r) => (
							<option key={r.id} value={r.id}>
								{roomLabel(r)}
							</option>
						))}
					</select>
				</label>
				<label>
					Agent id
					<input value={form.agent} onInput={set("agent")} placeholder="any agent" size={12} />
				</label>
				<label>
					Threshold {Number(form.threshold).toFixed(2)}
					<input
						type="range"
						min="0"
						max="1"
						step="0.01"
						value={form.threshold}
						onInput={set("threshold")}
					/>
				</label>
				<label>
					Results
					<input
						type="number"
						min="1"
						max="200"
						value={form.count}
						onInput={set("count")}
						size={4}
					/>
				</label>
				<button class="primary" type="submit">
					Search
				</button>
			</form>
			{like && likeMemory ? (
				<p class="notice">
					More like: <a href={href.memory(type, like)}>{textOf(likeMemory, 160)}</a>
				</p>
			) : null}
			<ErrorBox error={error} />
			{busy ? <Loading what="results" /> : null}
			{hits && !busy ? (
				<>
					<p class="muted small">
						{hits.length} result{hits.length === 1 ? "" : "s"}
					</p>
					<ul class="list" data-testid="hits">
						{hits.map((m) => (
							<MemoryRow
								key={m.id}
								memory={m}
								tableName={type}
								extra={<SimBar value={m.similarity ?? 0} />}
							/>
						))}
					</ul>
				</>
			) : null}
		</section>
	);
}
