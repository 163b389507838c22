/**
 * One memory: content as pretty JSON, metadata, nearest neighbours, near-duplicates (the dedup
 * view: same agent, room and type at similarity >= 0.95), "more like this", edit and delete.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../api.js";
import { shortId, time } from "../format.js";
import { href } from "../router.js";
import type { Memory } from "../types.js";
import { ErrorBox, Loading, MemoryRow, SimBar } from "../ui/bits.js";
import { MemoryActions } from "./memory-actions.js";

/** createMemory's dedup threshold (see the contract). */
const DUPLICATE = 0.95;

export function MemoryDetail({ tableName, id }: { tableName: string; id: string }) {
	const [memory, setMemory] = useState<Memory | null | undefined>(undefined);
	const [roomName, setRoomName] = useState<string | null>(null);
	const [neighbours, setNeighbours] = useState<Memory[] | null>(null);
	const [duplicates, setDuplicates] = useState<Memory[] | null>(null);
	const [error, setError] = useState<unknown>(null);
	const [version, setVersion] = useState(0);

	const shown = useRef("");
	useEffect(() => {
		// Another memory starts blank; the same one reloaded (after an edit) keeps its screen.
		if (shown.current !== `${tableName}/${id}`) {
			shown.current = `${tableName}/${id}`;
			setMemory(undefined);
			setNeighbours(null);
			setDuplicates(null);
		}
		setError(null);
		(async () => {
			const m = await api.getMemoryById(id);
			setMemory(m);
			if (!m) return;
			api.listRooms().then(
				(rooms) => setRoomName(rooms.find((r) => r.id === m.roomId)?.name ?? null),
				() => undefined,
			);
			if (!m.embedding) {
				setNeighbours([]);
				setDuplicates([]);
				return;
			}
			const [near, dups] = await Promise.all([
				api.search(m.embedding, { tableName, count: 11 }),
				api.search(m.embedding, {
					tableName,
					count: 20,
					match_threshold: DUPLICATE,
					roomId: m.roomId,
					agentId: m.agentId,
				}),
			]);
			setNeighbours(near.filter((n) => n.id !== m.id).slice(0, 10));
			setDuplicates(dups.filter((n) => n.id !== m.id));
		})().catch(setError);
	}, [tableName, id, version]);

	if (memory === undefined && !error) return <Loading what="the memory" />;
	if (memory === null)
		return (
			<section>
				<h2>Memory not found</h2>
				<p class="muted">
					No {tableName} memory {id} (deleted, or not visible to this key/token).{" "}
					<a href={href.rooms()}>Back to the rooms</a>
				</p>
			</section>
		);
	return (
		<section aria-labelledby="memory-h">
			<p class="small">
				<a href={href.rooms()}>Rooms</a> ›{" "}
				{memory ? (
					<a href={href.room(memory.roomId)}>{roomName ?? `room ${shortId(memory.roomId)}`}</a>
				) : null}{" "}
				›
			</p>
			<h2 id="memory-h">Memory {shortId(id)}</h2>
			<ErrorBox error={error} />
			{memory ? (
				<div class="two">
					<div>
						<h3>Content</h3>
						<pre class="json" data-testid="content">
							{JSON.stringify(memory.content, null, 2)}
						</pre>
						<MemoryActions
							memory={memory}
							tableName={tableName}
							onChanged={() => setVersion(version + 1)}
						/>
						<h3>Nearest neighbours</h3>
						{neighbours === null ? <Loading what="neighbours" /> : null}
						{neighbours?.length === 0 ? (
							<p class="muted">None (no embedding, or nothing else of this type).</p>
						) : null}
						<ul class="list" data-testid="neighbours">
							{(neighbours ?? []).map((n) => (
								<MemoryRow
									key={n.id}
									memory={n}
									tableName={tableName}
									extra={<SimBar value={n.similarity ?? 0} />}
								/>
							))}
						</ul>
					</div>
					<div>
						<h3>Metadata</h3>
						<dl class="kv">
							<dt>id</dt>
							<dd>{memory.id}</dd>
							<dt>type</dt>
							<dd>{tableName}</dd>
							<dt>room</dt>
							<dd>
								<a href={href.room(memory.roomId)}>{roomName ?? memory.roomId}</a>
							</dd>
							<dt>user</dt>
							<dd>{memory.userId}</dd>
							<dt>agent</dt>
							<dd>{memory.agentId}</dd>
							<dt>created</dt>
							<dd>{time(memory.createdAt)} UTC</dd>
							<dt>unique</dt>
							<dd>{memory.unique === false ? "no: stored as a near-duplicate" : "yes"}</dd>
							<dt>embedding</dt>
							<dd>{memory.embedding ? `${memory.embedding.length} dimensions` : "none"}</dd>
						</dl>
						<h3>Near-duplicates</h3>
						<p class="small muted">
							Same agent, room and type, similarity ≥ {DUPLICATE} (what createMemory's dedup
							compares).
						</p>
						{duplicates === null ? <Loading what="near-duplicates" /> : null}
						{duplicates?.length === 0 ? <p class="muted">None.</p> : null}
						<ul class="list" data-testid="duplicates">
							{(duplicates ?? []).map((n) => (
								<MemoryRow
									key={n.id}
									memory={n}
									tableName={tableName}
									extra={<SimBar value={n.similarity ?? 0} />}
								/>
							))}
						</ul>
					</div>
				</div>
			) : null}
		</section>
	);
}
