import type { PortableRecord } from "../core/portable-types.js";
import type { Row } from "../core/sql/driver.js";
import { bool, int, json } from "../core/sql/rows.js";
import type { UUID } from "../core/types.js";

import type { PortableContext } from "./context.js";
import { statementsOf } from "./context.js";

const PAGE_SIZE = 500;

export async function* exportRecords(ctx: PortableContext): AsyncGenerator<PortableRecord> {
	const p = statementsOf(ctx.family);
	const f = ctx.family;
	const [version] = await ctx.read((s) => s.all(p.schemaVersion));
	yield {
		kind: "database",
		schemaVersion: int(version?.v ?? 0),
		embeddingDimension: ctx.settings.embeddingDimension,
		embeddingModel: ctx.settings.embeddingModel,
	};
	const id = (r: Row) => r.id as UUID;
	const at = (r: Row) => int(r.created_at);
	for await (const r of pages(ctx, p.accountsPage)) {
		yield {
			kind: "account",
			id: id(r),
			name: r.name as string,
			username: r.username as string,
			email: (r.email as string | null) ?? null,
			avatarUrl: (r.avatar_url as string | null) ?? null,
			details: json(r.details),
			createdAt: at(r),
		};
	}
	for await (const r of pages(ctx, p.roomsPage))
		yield { kind: "room", id: id(r), createdAt: at(r), name: (r.name as string | null) ?? null };
	for await (const r of pages(ctx, p.participantsPage)) {
		yield {
			kind: "participant",
			id: id(r),
			userId: r.user_id as UUID,
			roomId: r.room_id as UUID,
			userState: (r.user_state as "FOLLOWED" | "MUTED" | null) ?? null,
			createdAt: at(r),
		};
	}
	for await (const r of pages(ctx, p.relationshipsPage)) {
		yield {
			kind: "relationship",
			id: id(r),
			userA: r.user_a as UUID,
			userB: r.user_b as UUID,
			userId: r.user_id as UUID,
			roomId: (r.room_id as UUID | null) ?? null,
			status: r.status as string,
			createdAt: at(r),
		};
	}
	for await (const r of pages(ctx, p.goalsPage)) {
		yield {
			kind: "goal",
			id: id(r),
			roomId: r.room_id as UUID,
			userId: (r.user_id as UUID | null) ?? null,
			name: r.name as string,
			status: r.status as "IN_PROGRESS" | "DONE" | "FAILED",
			objectives: json(r.objectives),
			createdAt: at(r),
		};
	}
	for await (const r of pages(ctx, p.logsPage)) {
		yield {
			kind: "log",
			id: id(r),
			userId: r.user_id as UUID,
			roomId: r.room_id as UUID,
			type: r.type as string,
			body: json(r.body),
			createdAt: at(r),
		};
	}
	for await (const r of cachePages(ctx, p.cachePage)) {
		yield {
			kind: "cache",
			agentId: r.agent_id as UUID,
			key: r.key as string,
			value: r.value as string,
			createdAt: at(r),
			expiresAt: r.expires_at === null || r.expires_at === undefined ? null : int(r.expires_at),
		};
	}
	for await (const r of pages(ctx, p.knowledgePage)) {
		yield {
			kind: "knowledge",
			id: id(r),
			agentId: r.agent_id as UUID,
			content: json(r.content),
			embedding: f.decodeEmbedding(r.embedding),
			createdAt: at(r),
		};
	}
	for await (const r of pages(ctx, p.memoriesPage)) {
		yield {
			kind: "memory",
			id: id(r),
			type: r.type as string,
			roomId: r.room_id as UUID,
			agentId: r.agent_id as UUID,
			userId: r.user_id as UUID,
			content: json(r.content),
			embedding: f.decodeEmbedding(r.embedding),
			unique: bool(r.is_unique),
			createdAt: at(r),
		};
	}
}

/** Rows of a table in id order, one keyset page at a time. */
async function* pages(ctx: PortableContext, sql: string): AsyncGenerator<Row> {
	let after: unknown = null;
	for (;;) {
		const found = await ctx.read((s) => s.all(sql, [after, PAGE_SIZE]));
		yield* found;
		if (found.length < PAGE_SIZE) return;
		after = found[found.length - 1]?.id;
	}
}

async function* cachePages(ctx: PortableContext, sql: string): AsyncGenerator<Row> {
	let after: [unknown, unknown] = [null, null];
	for (;;) {
		const found = await ctx.read((s) => s.all(sql, [...after, PAGE_SIZE]));
		yield* found;
		if (found.length < PAGE_SIZE) return;
		const last = found[found.length - 1] as Row;
		after = [last.agent_id, last.key];
	}
}

/** What `agentmem doctor` reports beyond the contract. */
export interface Diagnostics {
	schemaVersion: number;
	/** Index (and virtual table) names of the schema. */
	indexes: string[];
	/** sqlite-vec's or pgvector's version; null when no extension is loaded (SQL.js, exact scan). */
	vectorExtensionVersion: string | null;
}

export async function readDiagnostics(ctx: PortableContext): Promise<Diagnostics> {
	const p = statementsOf(ctx.family);
	const [version] = await ctx.read((s) => s.all(p.schemaVersion));
	const indexes = await ctx.read((s) => s.all(p.indexNames));
	let vectorExtensionVersion: string | null = null;
	try {
		const [row] = await ctx.read((s) => s.all(p.vectorExtensionVersion));
		vectorExtensionVersion = (row?.v as string | undefined) ?? null;
	} catch {
		// No extension on this connection (SQL.js, or SQLite in exact-scan mode): reported as null.
	}
	return {
		schemaVersion: int(version?.v ?? 0),
		indexes: indexes.map((r) => r.name as string),
		vectorExtensionVersion,
	};
}
