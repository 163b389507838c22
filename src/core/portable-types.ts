/**
 * The portable form of a database: every record of every kind with all its columns, as
 * `exportRecords()` yields them and `importRecords()` writes them. It is what the JSONL export
 * format (src/portable/jsonl.ts) stores, and what `agentmem copy` streams between backends.
 *
 * Timestamps are milliseconds since the epoch. Embeddings are Float32Arrays of the database's
 * dimension, or null when the record has none.
 */
import type {
	Content,
	GoalStatus,
	KnowledgeItem,
	Objective,
	ParticipantUserState,
	Relationship,
	UUID,
} from "./types.js";

/** Describes the source database; always the first record of an export. */
export interface PortableDatabase {
	kind: "database";
	/** The highest applied migration of the source. */
	schemaVersion: number;
	embeddingDimension: number;
	embeddingModel: string | null;
}

export interface PortableAccount {
	kind: "account";
	id: UUID;
	name: string;
	username: string;
	email: string | null;
	avatarUrl: string | null;
	// biome-ignore lint/suspicious/noExplicitAny: free-form JSON, as in ElizaOS.
	details: { [key: string]: any };
	createdAt: number;
}

export interface PortableRoom {
	kind: "room";
	id: UUID;
	createdAt: number;
	/** The room's name (`null`: none). Absent in exports of older versions: read as `null`. */
	name?: string | null;
}

export interface PortableParticipant {
	kind: "participant";
	id: UUID;
	userId: UUID;
	roomId: UUID;
	userState: ParticipantUserState;
	createdAt: number;
}

/** A relationship with every column present. */
export type PortableRelationship = { kind: "relationship" } & Required<Relationship>;

export interface PortableGoal {
	kind: "goal";
	id: UUID;
	roomId: UUID;
	userId: UUID | null;
	name: string;
	status: GoalStatus;
	objectives: Objective[];
	createdAt: number;
}

export interface PortableLog {
	kind: "log";
	id: UUID;
	userId: UUID;
	roomId: UUID;
	type: string;
	// biome-ignore lint/suspicious/noExplicitAny: log bodies are free-form JSON.
	body: { [key: string]: any };
	createdAt: number;
}

export interface PortableCacheEntry {
	kind: "cache";
	agentId: UUID;
	key: string;
	value: string;
	createdAt: number;
	/** When the entry expires (`null`: never). Absent in exports of older versions: read as `null`. */
	expiresAt?: number | null;
}

export interface PortableKnowledge {
	kind: "knowledge";
	id: UUID;
	agentId: UUID;
	content: KnowledgeItem["content"];
	embedding: Float32Array | null;
	createdAt: number;
}

export interface PortableMemory {
	kind: "memory";
	id: UUID;
	/** The memory type (`tableName`). */
	type: string;
	roomId: UUID;
	agentId: UUID;
	userId: UUID;
	content: Content;
	embedding: Float32Array | null;
	unique: boolean;
	createdAt: number;
}

export type PortableRecord =
	| PortableDatabase
	| PortableAccount
	| PortableRoom
	| PortableParticipant
	| PortableRelationship
	| PortableGoal
	| PortableLog
	| PortableCacheEntry
	| PortableKnowledge
	| PortableMemory;

export type PortableKind = PortableRecord["kind"];

/** Record kinds in an order that can be imported: what a record references comes before it. */
export const PORTABLE_KINDS = [
	"database",
	"account",
	"room",
	"participant",
	"relationship",
	"goal",
	"log",
	"cache",
	"knowledge",
	"memory",
] as const satisfies readonly PortableKind[];

export interface ImportOptions {
	/** Records written per transaction. Default 500. */
	batchSize?: number;
	/**
	 * Write everything in one transaction: on any error nothing is imported. Default false (each
	 * batch commits; re-running an import is idempotent, so a failed one can simply be repeated).
	 */
	atomic?: boolean;
	/** Called after each committed batch with the number of records written so far. */
	onProgress?: (written: number) => void;
}

/** What `importRecords` wrote, per kind (the `database` record is checked, not written). */
export type ImportSummary = Record<Exclude<PortableKind, "database">, number>;
