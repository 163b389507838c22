/**
 * What `agentmem ingest` reads: text and Markdown files (chunked at paragraphs and headings) and
 * JSONL chat logs (one message per line). Directories are walked; other files are skipped.
 */
import { createReadStream } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, extname, isAbsolute, join, relative, resolve } from "node:path";
import { createInterface } from "node:readline";
import { ValidationError } from "../core/errors.js";

export const TEXT_EXTENSIONS = [".txt", ".md", ".markdown"];
export const CHAT_EXTENSIONS = [".jsonl"];
/** Chunks longer than this are split at sentence, then word boundaries. */
export const MAX_CHUNK_CHARS = 1000;

/** One future memory. */
export interface SourceItem {
	/** Stable across runs (file path and position), so re-ingesting replaces, never duplicates. */
	key: string;
	text: string;
	/** Who said it (chat logs); documents use the `--user` option. */
	speaker?: string;
	/** The room it belongs to: the chat line's `room`, else the file's name. */
	room: string;
	createdAt: number;
	/** The file, relative to the working directory when it lies inside it. */
	source: string;
}

/** The files under the given paths that ingest reads, sorted; a missing path is an error. */
export async function listFiles(paths: string[]): Promise<string[]> {
	const out: string[] = [];
	const walk = async (path: string, explicit: boolean): Promise<void> => {
		let info: Awaited<ReturnType<typeof stat>>;
		try {
			info = await stat(path);
		} catch {
			throw new ValidationError("path", `${path} does not exist`);
		}
		if (info.isDirectory()) {
			const entries = (await readdir(path)).filter((e) => !e.startsWith(".")).sort();
			for (const e of entries) await walk(join(path, e), false);
		} else if ([...TEXT_EXTENSIONS, ...CHAT_EXTENSIONS].includes(extname(path).toLowerCase())) {
			out.push(resolve(path));
		} else if (explicit) {
			throw new ValidationError(
				"path",
				`${path}: unsupported file type; ingest reads ${[...TEXT_EXTENSIONS, ...CHAT_EXTENSIONS].join(", ")}`,
			);
		}
	};
	for (const p of paths) await walk(p, true);
	return [...new Set(out)];
}

/** The items of one file. */
export async function* readSource(path: string): AsyncGenerator<SourceItem> {
	const room = basename(path, extname(path));
	const mtime = Math.floor((await stat(path)).mtimeMs);
	if (CHAT_EXTENSIONS.includes(extname(path).toLowerCase())) {
		yield* readChat(path, room, mtime);
		return;
	}
	const chunks = chunkText(await readFile(path, "utf8"), extname(path) !== ".txt");
	for (const [i, text] of chunks.entries()) {
		yield { key: `${path}#${i}`, text, room, createdAt: mtime + i, source: shown(path) };
	}
}

function shown(path: string): string {
	const rel = relative(process.cwd(), path);
	return rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}

const pick = (o: Record<string, unknown>, keys: string[]): unknown =>
	keys.map((k) => o[k]).find((v) => v !== undefined && v !== null);

async function* readChat(path: string, room: string, mtime: number): AsyncGenerator<SourceItem> {
	const lines = createInterface({
		input: createReadStream(path),
		crlfDelay: Number.POSITIVE_INFINITY,
	});
	let n = 0;
	for await (const line of lines) {
		n++;
		if (line.trim() === "") continue;
		const fail = (why: string): never => {
			throw new ValidationError(`${path}:${n}`, why);
		};
		let o: Record<string, unknown> = {};
		try {
			o = JSON.parse(line);
		} catch {
			fail("not valid JSON; expected one chat message object per line");
		}
		if (o === null || typeof o !== "object" || Array.isArray(o)) fail("expected a JSON object");
		const text = pick(o, ["text", "content", "message"]);
		if (typeof text !== "string") fail('expected a "text" (or "content", "message") string');
		const speaker = pick(o, ["user", "name", "speaker", "from", "role"]);
		const when = pick(o, ["ts", "timestamp", "time", "createdAt"]);
		const createdAt =
			typeof when === "number" ? when : typeof when === "string" ? Date.parse(when) : mtime + n;
		if (!Number.isFinite(createdAt)) fail(`cannot read the time ${JSON.stringify(when)}`);
		const itemRoom = pick(o, ["room", "channel"]);
		yield {
			key: `${path}:${n}`,
			text: text as string,
			speaker: typeof speaker === "string" ? speaker : undefined,
			room: typeof itemRoom === "string" ? itemRoom : room,
			createdAt: Math.floor(createdAt),
			source: shown(path),
		};
	}
}

/**
 * Paragraphs (and, for Markdown, sections starting at a heading) merged up to MAX_CHUNK_CHARS;
 * a longer paragraph is split at sentence ends, then at spaces.
 */
export function chunkText(text: string, markdown: boolean): string[] {
	const blocks = text
		.replace(/\r\n?/g, "\n")
		.split(markdown ? /\n\s*\n|\n(?=#{1,6}\s)/ : /\n\s*\n/)
		.map((b) => b.trim())
		.filter((b) => b !== "")
		.flatMap((b) => splitLong(b));
	const chunks: string[] = [];
	let current = "";
	for (const block of blocks) {
		const heading = markdown && /^#{1,6}\s/.test(block);
		if (current && (heading || current.length + block.length + 2 > MAX_CHUNK_CHARS)) {
			chunks.push(current);
			current = "";
		}
		current = current ? `${current}\n\n${block}` : block;
	}
	if (current) chunks.push(current);
	return chunks;
}

function splitLong(block: string): string[] {
	if (block.length <= MAX_CHUNK_CHARS) return [block];
	const pieces: string[] = [];
	let current = "";
	const units = block
		.split(/(?<=[.!?])\s+/)
		.flatMap((sentence) =>
			sentence.length > MAX_CHUNK_CHARS ? sentence.split(/\s+/) : [sentence],
		);
	for (const unit of units) {
		if (current && current.length + unit.length + 1 > MAX_CHUNK_CHARS) {
			pieces.push(current);
			current = "";
		}
		current = current ? `${current} ${unit}` : unit;
		while (current.length > MAX_CHUNK_CHARS) {
			pieces.push(current.slice(0, MAX_CHUNK_CHARS));
			current = current.slice(MAX_CHUNK_CHARS);
		}
	}
	if (current) pieces.push(current);
	return pieces;
}
