/**
 * Edit and delete. The contract has no content update, but storing an existing id replaces that
 * memory: an edit re-embeds the new text with the service's embedder and stores the memory again
 * (same id, type, room, user and agent). Both are checked afterwards by reading the memory back,
 * so a write that row-level security silently filtered out is reported, not shown as done.
 */
import { useState } from "preact/hooks";
import { api } from "../api.js";
import { ApiError, describeError } from "../http.js";
import { href } from "../router.js";
import type { Memory } from "../types.js";
import { Dialog } from "../ui/bits.js";

export function MemoryActions(props: { memory: Memory; tableName: string; onChanged: () => void }) {
	const m = props.memory;
	const [confirming, setConfirming] = useState(false);
	const [editing, setEditing] = useState(false);
	const [draft, setDraft] = useState("");
	const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
	const [deleted, setDeleted] = useState(false);
	const [busy, setBusy] = useState(false);

	const remove = async () => {
		setBusy(true);
		try {
			const deleted = await api.deleteMemory(m.id as string, props.tableName);
			if (deleted === 0 && (await api.getMemoryById(m.id as string)))
				throw new ApiError(
					403,
					"PERMISSION_DENIED",
					"the memory is still there (row-level security kept it)",
				);
			setDeleted(true);
			setMessage({ ok: true, text: "Deleted." });
		} catch (e) {
			setMessage({ ok: false, text: describeError(e) });
		} finally {
			setBusy(false);
			setConfirming(false);
		}
	};

	const save = async () => {
		setBusy(true);
		try {
			const content = JSON.parse(draft) as Memory["content"];
			if (typeof content !== "object" || content === null || Array.isArray(content))
				throw new Error("Content must be a JSON object.");
			const text = typeof content.text === "string" ? content.text : "";
			const embedding =
				text === m.content.text
					? m.embedding
					: text
						? (await api.embed(text)).embedding
						: undefined;
			const { similarity: _s, unique: _u, ...rest } = m;
			await api.createMemory(
				{ ...rest, content, ...(embedding ? { embedding } : {}) },
				props.tableName,
			);
			const back = await api.getMemoryById(m.id as string);
			if (JSON.stringify(back?.content) !== JSON.stringify(content))
				throw new ApiError(
					403,
					"PERMISSION_DENIED",
					"the memory was not changed (row-level security kept it)",
				);
			setEditing(false);
			setMessage({ ok: true, text: "Saved." });
			props.onChanged();
		} catch (e) {
			setMessage({
				ok: false,
				text: e instanceof SyntaxError ? `Not JSON: ${e.message}` : describeError(e),
			});
		} finally {
			setBusy(false);
		}
	};

	if (deleted)
		return (
			<p class="notice" role="status" data-testid="deleted">
				Deleted. <a href={href.room(m.roomId)}>Back to the room</a>
			</p>
		);
	return (
		<div>
			<div class="row">
				<a class="chip" href={href.search({ like: m.id as string, type: props.tableName })}>
					More like this
				</a>
				<button
					type="button"
					onClick={() => {
						setDraft(JSON.stringify(m.content, null, 2));
						setEditing(!editing);
					}}
				>
					Edit
				</button>
				<button type="button" class="danger" onClick={() => setConfirming(true)}>
					Delete…
				</button>
			</div>
			{message ? (
				<p
					class={message.ok ? "notice" : "error"}
					role={message.ok ? "status" : "alert"}
					data-testid="action-message"
				>
					{message.text}
				</p>
			) : null}
			{editing ? (
				<div style={{ marginTop: "8px" }}>
					<label class="small muted" for="edit-content">
						Content (JSON). Saving stores the memory again under the same id; a changed text is
						re-embedded with the database's embedder.
					</label>
					<textarea
						id="edit-content"
						value={draft}
						onInput={(e) => setDraft(e.currentTarget.value)}
						rows={8}
						style={{
							width: "100%",
							font: "12px ui-monospace, monospace",
							background: "var(--bg)",
							color: "var(--fg)",
						}}
					/>
					<div class="row">
						<button type="button" class="primary" onClick={save} disabled={busy}>
							Save
						</button>
						<button type="button" onClick={() => setEditing(false)}>
							Cancel
						</button>
					</div>
				</div>
			) : null}
			<Dialog open={confirming} title="Delete this memory?" onClose={() => setConfirming(false)}>
				<p>
					This removes the {props.tableName} memory <code>{m.id}</code> for good. Agents will no
					longer recall it.
				</p>
				<div class="row" style={{ justifyContent: "flex-end" }}>
					<button type="button" onClick={() => setConfirming(false)} autofocus>
						Cancel
					</button>
					<button type="button" class="danger solid" onClick={remove} disabled={busy}>
						Delete
					</button>
				</div>
			</Dialog>
		</div>
	);
}
