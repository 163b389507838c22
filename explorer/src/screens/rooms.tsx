/** Rooms: every room the key/token may see, with participants, counts per type and activity. */
import { useEffect, useState } from "preact/hooks";
import { api } from "../api.js";
import { count, shortId, time } from "../format.js";
import { href } from "../router.js";
import type { RoomSummary } from "../types.js";
import { ErrorBox, Loading } from "../ui/bits.js";

/** Rooms whose participants' names are fetched (one request each). */
const ACTOR_ROOMS = 60;

export function roomLabel(room: Pick<RoomSummary, "id" | "name">): string {
	return room.name || `room ${shortId(room.id)}`;
}

export function Rooms() {
	const [rooms, setRooms] = useState<RoomSummary[] | null>(null);
	const [error, setError] = useState<unknown>(null);
	const [filter, setFilter] = useState("");
	const [actors, setActors] = useState(new Map<string, string[]>());
	useEffect(() => {
		api.listRooms().then((list) => {
			setRooms(list);
			// Participants' names, for the first rooms (the list is newest activity first).
			for (const r of list.slice(0, ACTOR_ROOMS))
				api.actors(r.id).then(
					(a) =>
						setActors((old) =>
							new Map(old).set(
								r.id,
								a.map((x) => x.name || x.username),
							),
						),
					() => undefined,
				);
		}, setError);
	}, []);
	const shown = (rooms ?? []).filter((r) =>
		`${r.name ?? ""} ${r.id} ${(actors.get(r.id) ?? []).join(" ")}`
			.toLowerCase()
			.includes(filter.toLowerCase()),
	);
	return (
		<section aria-labelledby="rooms-h">
			<div class="row" style={{ justifyContent: "space-between", marginBottom: "12px" }}>
				<h2 id="rooms-h" style={{ margin: 0 }}>
					Rooms {rooms ? <span class="muted">({rooms.length})</span> : null}
				</h2>
				<label class="row">
					<span class="sr-only">Filter rooms</span>
					<input
						type="search"
						placeholder="Filter by name, id or participant"
						value={filter}
						onInput={(e) => setFilter(e.currentTarget.value)}
					/>
				</label>
			</div>
			<ErrorBox error={error} />
			{rooms === null && !error ? <Loading what="rooms" /> : null}
			{rooms?.length === 0 ? <p class="muted">No rooms yet.</p> : null}
			<ul class="grid list" style={{ listStyle: "none" }}>
				{shown.map((r) => (
					<li key={r.id} style={{ border: 0 }}>
						<a class="card room-card" href={href.room(r.id)} data-room-id={r.id}>
							<h3>{roomLabel(r)}</h3>
							<div class="small muted">
								{time(r.firstActivity)} → {time(r.lastActivity)}
							</div>
							<div class="chips" style={{ margin: "6px 0" }}>
								{Object.entries(r.memories).map(([type, n]) => (
									<span class="chip" key={type}>
										{type}: {count(n)}
									</span>
								))}
							</div>
							<div class="small">
								{r.participants} participant{r.participants === 1 ? "" : "s"}
								{actors.get(r.id)?.length ? ": " : ""}
								<span class="muted">
									{(actors.get(r.id) ?? []).slice(0, 8).join(", ")}
									{(actors.get(r.id)?.length ?? 0) > 8 ? ", …" : ""}
								</span>
							</div>
						</a>
					</li>
				))}
			</ul>
		</section>
	);
}
