/**
 * Shared helpers of the conformance suite: the context every topic receives, a seeded RNG, a world
 * of accounts and rooms, vector helpers and reference implementations (cosine, Levenshtein) that
 * are independent of src/core, so the suite checks the backends against first principles.
 */
import { expect } from "vitest";
import type { DatabaseAdapter } from "../../src/core/adapter.js";
import type { AgentmemError } from "../../src/core/errors.js";
import type { Account, Memory, UUID } from "../../src/core/types.js";

/** The dimension topics use unless they ask for another one. */
export const DEFAULT_DIMENSION = 8;

export interface ConformanceContext {
	/** A fresh, initialised, empty adapter of this dimension (default 8); closed after the test. */
	makeAdapter(opts?: { embeddingDimension?: number }): Promise<DatabaseAdapter>;
	/**
	 * One adapter shared by consecutive tests that each check they wrote nothing (a fresh schema
	 * and its migrations per test cost minutes per backend): created at first use, closed when a
	 * test asks for a fresh adapter, another dimension, or the backend's suite ends.
	 */
	sharedAdapter(opts?: { embeddingDimension?: number }): Promise<DatabaseAdapter>;
}

export { seededRng } from "../support/random.js";

/** A standard normal sample (Box-Muller). */
export function gaussian(rng: () => number): number {
	const u = 1 - rng();
	return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

export function newId(): UUID {
	return globalThis.crypto.randomUUID() as UUID;
}

// ---- vectors ----

/** The unit vector along `axis`, times `scale`. */
export function axis(dim: number, i: number, scale = 1): number[] {
	const v = new Array<number>(dim).fill(0);
	v[i] = scale;
	return v;
}

/** A vector with the given leading components and zeros after them. */
export function vec(dim: number, ...leading: number[]): number[] {
	const v = new Array<number>(dim).fill(0);
	leading.forEach((x, i) => {
		v[i] = x;
	});
	return v;
}

export function randomVector(rng: () => number, dim: number): number[] {
	return Array.from({ length: dim }, () => gaussian(rng));
}

/** `center` plus Gaussian noise of the given scale. */
export function around(rng: () => number, center: number[], noise: number): number[] {
	return center.map((x) => x + noise * gaussian(rng));
}

/** The vector as stored (Float32), as plain numbers. */
export function f32(v: ArrayLike<number>): number[] {
	return Array.from(Float32Array.from(v as ArrayLike<number>));
}

/** Reference cosine similarity, in float64 over the Float32-rounded vectors. */
export function refCosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
	const x = f32(a);
	const y = f32(b);
	let dot = 0;
	let na = 0;
	let nb = 0;
	for (let i = 0; i < x.length; i++) {
		dot += (x[i] as number) * (y[i] as number);
		na += (x[i] as number) ** 2;
		nb += (y[i] as number) ** 2;
	}
	return dot / Math.sqrt(na) / Math.sqrt(nb);
}

/** Reference Levenshtein distance (plain dynamic programming over UTF-16 code units). */
export function refLevenshtein(a: string, b: string): number {
	const row = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		let diag = row[0] as number;
		row[0] = i;
		for (let j = 1; j <= b.length; j++) {
			const up = row[j] as number;
			const sub = diag + (a[i - 1] === b[j - 1] ? 0 : 1);
			row[j] = Math.min(up + 1, (row[j - 1] as number) + 1, sub);
			diag = up;
		}
	}
	return row[b.length] as number;
}

// ---- records ----

export function account(overrides: Partial<Account> = {}): Account {
	const id = overrides.id ?? newId();
	return { id, name: `Name ${id.slice(0, 8)}`, username: `user_${id.slice(0, 8)}`, ...overrides };
}

/** An agent, two users and two rooms, the agent and first user participating in the first room. */
export interface World {
	agentId: UUID;
	otherAgentId: UUID;
	userId: UUID;
	otherUserId: UUID;
	roomId: UUID;
	otherRoomId: UUID;
}

export async function makeWorld(adapter: DatabaseAdapter): Promise<World> {
	const w: World = {
		agentId: newId(),
		otherAgentId: newId(),
		userId: newId(),
		otherUserId: newId(),
		roomId: newId(),
		otherRoomId: newId(),
	};
	for (const id of [w.agentId, w.otherAgentId, w.userId, w.otherUserId]) {
		await adapter.createAccount(account({ id }));
	}
	await adapter.createRoom(w.roomId);
	await adapter.createRoom(w.otherRoomId);
	await adapter.addParticipant(w.agentId, w.roomId);
	await adapter.addParticipant(w.userId, w.roomId);
	return w;
}

/** A memory of the world's user and agent in its first room; fields can be overridden. */
export function memory(
	w: World,
	fields: Partial<Memory> & { text?: string } = {},
): Memory & { id: UUID } {
	const { text, id, ...rest } = fields;
	return {
		id: id ?? newId(),
		userId: w.userId,
		agentId: w.agentId,
		roomId: w.roomId,
		content: { text: text ?? `memory ${Math.random()}` },
		...rest,
	};
}

/** Writes one record of every kind: memory, goal, relationship, log, cache entry, knowledge item. */
export async function writeOneOfEach(a: DatabaseAdapter, w: World, dim: number): Promise<void> {
	await a.createMemory(memory(w, { embedding: axis(dim, 0) }), "messages");
	await a.createGoal({
		roomId: w.roomId,
		userId: w.userId,
		name: "g",
		status: "IN_PROGRESS",
		objectives: [],
	});
	await a.createRelationship({ userA: w.userId, userB: w.agentId });
	await a.log({ body: {}, userId: w.userId, roomId: w.roomId, type: "t" });
	await a.setCache({ agentId: w.agentId, key: "k", value: "v" });
	await a.createKnowledge({ id: newId(), agentId: w.agentId, content: { text: "k" } });
}

// ---- assertions ----

type ErrorClass = abstract new (...args: never[]) => AgentmemError;

/** Runs `call` (sync throws count as rejections) and asserts it fails with an instance of `cls`. */
export async function expectError<E extends AgentmemError>(
	call: () => Promise<unknown>,
	cls: ErrorClass & (abstract new (...args: never[]) => E),
): Promise<E> {
	let failure: unknown;
	try {
		await call();
	} catch (err) {
		failure = err;
	}
	expect(failure, `expected ${cls.name}`).toBeInstanceOf(cls);
	return failure as E;
}

/** Runs `call`, asserts it fails with `cls`, and that every count in `stats()` is unchanged. */
export async function expectRefusedUnchanged(
	adapter: DatabaseAdapter,
	call: () => Promise<unknown>,
	cls: ErrorClass,
): Promise<void> {
	const before = await adapter.stats();
	await expectError(call, cls);
	expect(await adapter.stats()).toEqual(before);
}

/** Polls `check` until it returns true or `timeoutMs` passes (for asynchronous delivery). */
export async function waitFor(check: () => boolean, timeoutMs = 3000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
		await sleep(10);
	}
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
