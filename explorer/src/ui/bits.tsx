/** Small pieces every screen uses: similarity bars, errors, a confirmation dialog, a memory row. */
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { speakerOf, textOf, time } from "../format.js";
import { describeError } from "../http.js";
import { href } from "../router.js";
import type { Memory } from "../types.js";

export function SimBar({ value }: { value: number }) {
	const pct = Math.max(0, Math.min(1, value)) * 100;
	return (
		<span class="simbar" title={`cosine similarity ${value.toFixed(4)}`}>
			<span class="track" aria-hidden="true">
				<span class="fill" style={{ width: `${pct}%`, display: "block" }} />
			</span>
			<span>{value.toFixed(3)}</span>
		</span>
	);
}

export function ErrorBox({ error }: { error: unknown }) {
	if (!error) return null;
	return (
		<div class="error" role="alert">
			{describeError(error)}
		</div>
	);
}

/** A modal dialog (the platform's <dialog>: focus kept inside, Esc closes it). */
export function Dialog(props: {
	open: boolean;
	title: string;
	onClose: () => void;
	children: ComponentChildren;
}) {
	const ref = useRef<HTMLDialogElement>(null);
	useEffect(() => {
		const d = ref.current;
		if (!d) return;
		if (props.open && !d.open) d.showModal();
		if (!props.open && d.open) d.close();
	}, [props.open]);
	return (
		<dialog ref={ref} aria-label={props.title} onClose={props.onClose} onCancel={props.onClose}>
			<h2>{props.title}</h2>
			{props.children}
		</dialog>
	);
}

/** One memory in a list: time, speaker, type, unique flag, text; a link to its detail. */
export function MemoryRow(props: {
	memory: Memory;
	tableName: string;
	names?: Map<string, string>;
	fresh?: boolean;
	extra?: ComponentChildren;
}) {
	const m = props.memory;
	return (
		<li>
			<a
				class={`item${props.fresh ? " fresh" : ""}`}
				href={href.memory(props.tableName, m.id ?? "")}
				style={{ color: "inherit", textDecoration: "none", display: "grid" }}
				data-memory-id={m.id}
			>
				<span class="meta">
					<div>
						<strong>{speakerOf(m, props.names)}</strong> · {time(m.createdAt)}
					</div>
					<div class="chips">
						<span class="chip">{props.tableName}</span>
						{m.unique === false ? (
							<span class="chip dup" title="stored as a near-duplicate">
								duplicate
							</span>
						) : null}
					</div>
				</span>
				<span>
					{props.extra ? <div>{props.extra}</div> : null}
					<span class="text">{textOf(m)}</span>
				</span>
			</a>
		</li>
	);
}

export function Loading({ what }: { what: string }) {
	return (
		<p class="muted" aria-live="polite">
			Loading {what}…
		</p>
	);
}
