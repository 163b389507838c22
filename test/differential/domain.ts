/**
 * The small value domains the generated sequences draw from: few ids, few rooms, few texts and
 * vectors from a small set, so that ids collide, timestamps tie and vectors are identical, scaled
 * (an exact tie in float arithmetic: ×2 is exact) or near-duplicates (similarity just under 1).
 */
import fc from "fast-check";

const uuid = (prefix: string, n: number) =>
	`${prefix}000000-0000-4000-8000-00000000000${n}` as `${string}-${string}-${string}-${string}-${string}`;

/** Accounts 0..2 can be created; 3 never is (an unknown user). Agents are accounts too. */
export const ACCOUNTS = [0, 1, 2, 3].map((n) => uuid("a0", n));
/** Rooms 0..1 can be created; 2 never is. */
export const ROOMS = [0, 1, 2].map((n) => uuid("b0", n));
export const MEMORIES = [0, 1, 2, 3, 4].map((n) => uuid("c0", n));
export const GOALS = [0, 1, 2].map((n) => uuid("d0", n));
const KNOWLEDGE_FILES = [0, 1].map((n) => uuid("e0", n));
const [FILE0, FILE1] = KNOWLEDGE_FILES as [string, string];
export const KNOWLEDGE = [FILE0, FILE1, `${FILE0}-chunk-0`, `${FILE0}-chunk-1`, `${FILE1}-chunk-0`];
export const TABLES = ["messages", "facts"];
/** A base time for `createdAt` values and for the logical clock (see runner.ts). */
export const T0 = 1_700_000_000_000;

/** Sometimes given in upper case: stored, found and returned in lower case. */
function cased(values: readonly string[]): fc.Arbitrary<string> {
	return fc
		.tuple(fc.constantFrom(...values), fc.integer({ min: 0, max: 9 }))
		.map(([v, n]) => (n === 0 ? v.toUpperCase() : v));
}

/** Mostly the ids that can exist, now and then the one that never does. */
function known(values: readonly string[]): fc.Arbitrary<string> {
	return fc.oneof(
		{ weight: 10, arbitrary: cased(values.slice(0, -1)) },
		{ weight: 1, arbitrary: fc.constant(values[values.length - 1] as string) },
	);
}

export const account = known(ACCOUNTS);
/** An account that can exist (the agent of memories and knowledge). */
export const agent = cased(ACCOUNTS.slice(0, 2));
export const room = known(ROOMS);
export const memoryId = cased(MEMORIES);
export const goalId = cased(GOALS);
export const knowledgeId = cased(KNOWLEDGE);

/** A malformed id (bad UUID), given now and then where an id is expected. */
export const badId = fc.constantFrom("not-a-uuid", "", "00000000-0000-4000-8000-00000000000g");

/** Mostly good, sometimes bad: how a generated argument looks. */
export function orBad<T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<unknown>): fc.Arbitrary<T> {
	return fc.oneof(
		{ weight: 30, arbitrary: good },
		{ weight: 1, arbitrary: bad as fc.Arbitrary<T> },
	);
}

export const table = orBad(fc.constantFrom(...TABLES), fc.constantFrom("", "bad table;", 7));
export const text = fc.constantFrom("hello", "hallo", "help", "hello world", "", "zebra");
export const timestamp = fc.option(fc.constantFrom(T0, T0 + 1000, T0 + 2000, T0 + 3000, T0 - 5), {
	nil: undefined,
	freq: 3,
});
/** A count or limit: mostly 1..5, sometimes 0, now and then one that must be refused. */
export const smallCount = orBad(
	fc.oneof(
		{ weight: 6, arbitrary: fc.integer({ min: 1, max: 5 }) },
		{ weight: 1, arbitrary: fc.constant(0) },
	),
	fc.constantFrom(-1, 1.5, Number.NaN, 2 ** 31),
);
/** An inclusive time bound of a read: mostly none. */
export const bound = fc.oneof(
	{ weight: 4, arbitrary: fc.constant(undefined) },
	{ weight: 1, arbitrary: fc.constantFrom(T0, T0 + 2000, T0 + 10_000, T0 + 40_000) },
);
export const threshold = fc.constantFrom(-1, 0, 0.5, 0.9, 0.95, 0.999, 1);

/** Base directions of small integer components: distinct ones have clearly distinct similarities. */
function bases(dim: number): number[][] {
	const unit = (i: number) => Array.from({ length: dim }, (_, j) => (j === i ? 1 : 0));
	const mixed = Array.from({ length: dim }, (_, j) => (j % 3) - 1);
	mixed[0] = 2;
	const plus = (i: number, k: number) => unit(i).map((v, j) => v + (j === k ? 1 : 0));
	// e0+e1 and e0+e2 have cosine exactly 0.5 (a threshold in the set), e0 and e0+e1 1/√2.
	return [unit(0), unit(1), plus(0, 1), plus(0, 2), mixed];
}

/** A good vector: a base, doubled, a near-duplicate, or the zero vector (stored as missing). */
export function vector(dim: number): fc.Arbitrary<number[]> {
	const b = bases(dim);
	return fc.oneof(
		{ weight: 6, arbitrary: fc.constantFrom(...b) },
		{ weight: 2, arbitrary: fc.constantFrom(...b).map((v) => v.map((x) => x * 2)) },
		{
			weight: 2,
			arbitrary: fc.constantFrom(...b).map((v) => v.map((x, j) => (j === dim - 1 ? x + 0.05 : x))),
		},
		{ weight: 1, arbitrary: fc.constant(new Array<number>(dim).fill(0)) },
	);
}

/** A vector that every backend must refuse the same way (or, for float32 edge cases, treat alike). */
export function badVector(dim: number, float32Edges: boolean): fc.Arbitrary<unknown> {
	const edges = float32Edges
		? [[1e39, ...new Array<number>(dim - 1).fill(0)], new Array<number>(dim).fill(1e-46)]
		: [];
	return fc.constantFrom<unknown>(
		new Array<number>(dim + 1).fill(1),
		new Array<number>(dim - 1).fill(1),
		[Number.NaN, ...new Array<number>(dim - 1).fill(1)],
		[Number.POSITIVE_INFINITY, ...new Array<number>(dim - 1).fill(0)],
		...edges,
	);
}

export function embedding(dim: number, float32Edges: boolean): fc.Arbitrary<number[]> {
	return orBad(vector(dim), badVector(dim, float32Edges));
}

/** A query vector, sometimes as a Float32Array (every embedding parameter accepts either). */
export function query(dim: number, float32Edges: boolean): fc.Arbitrary<number[] | Float32Array> {
	return fc
		.tuple(embedding(dim, float32Edges), fc.boolean())
		.map(([v, f32]) =>
			f32 && Array.isArray(v) && v.every(Number.isFinite) ? new Float32Array(v) : v,
		);
}

export const content = orBad(
	fc.oneof(
		text.map((t) => ({ text: t })),
		fc
			.tuple(text, fc.constantFrom("a", "b"))
			.map(([t, tag]) => ({ text: t, tag, nested: { n: [1, null] } })),
		// Numbers JSON writes in exponent form or at full precision, text to escape, no `text` at all.
		fc.constantFrom<unknown>(
			{ text: "hello", n: 1e21, f: 0.1 + 0.2, i: 2 ** 53 + 2, tiny: 5e-324, neg: -0, e: {}, a: [] },
			{ text: 'he said "hi"\n\t\\ é 😀', zz: 1, a: { y: [true, false, null] } },
			{ tag: "a" },
		),
	),
	fc.constantFrom<unknown>({ text: "bad", n: Number.NaN }, { text: "nul\u0000" }),
);

/**
 * Every sequence starts here (the minimiser drops what a divergence does not need): accounts 0-2
 * (0 and 1 are the agents), rooms 0-1, and participants, so generated calls mostly succeed.
 */
export const PRELUDE = [
	...ACCOUNTS.slice(0, 3).map((id, i) => ({
		m: "createAccount",
		a: [{ id, name: `user ${i}`, username: `u${i}` }],
	})),
	...ROOMS.slice(0, 2).map((id) => ({ m: "createRoom", a: [id] })),
	{ m: "addParticipant", a: [ACCOUNTS[0], ROOMS[0]] },
	{ m: "addParticipant", a: [ACCOUNTS[1], ROOMS[0]] },
	{ m: "addParticipant", a: [ACCOUNTS[2], ROOMS[1]] },
];
