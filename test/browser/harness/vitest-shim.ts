/**
 * The part of vitest's API the conformance suite uses, for the browser page: the bundler maps
 * `vitest` to this module, so the suite's topic files run unchanged in Chromium. `expect` is
 * vitest's own (`@vitest/expect`, Jest matchers as a chai plugin); describe/it/hooks collect a tree
 * that `runCollected` executes in order, one test at a time.
 */
import {
	ASYMMETRIC_MATCHERS_OBJECT,
	chai,
	JestAsymmetricMatchers,
	JestChaiExpect,
	JestExtend,
} from "@vitest/expect";

type Fn = () => unknown;

interface Test {
	kind: "test";
	name: string;
	fn: Fn;
}

interface Suite {
	kind: "suite";
	name: string;
	beforeEach: Fn[];
	afterEach: Fn[];
	afterAll: Fn[];
	children: (Suite | Test)[];
}

export interface TestResult {
	/** The describe names and the test name, like vitest's full name. */
	path: string[];
	ok: boolean;
	error?: string;
	ms: number;
}

const newSuite = (name: string): Suite => ({
	kind: "suite",
	name,
	beforeEach: [],
	afterEach: [],
	afterAll: [],
	children: [],
});

const root = newSuite("");
let current = root;

export function describe(name: string, body: () => void): void {
	const suite = newSuite(name);
	current.children.push(suite);
	const parent = current;
	current = suite;
	try {
		body();
	} finally {
		current = parent;
	}
}

export function it(name: string, fn: Fn): void {
	current.children.push({ kind: "test", name, fn });
}

/** `it.each(cases)(name, fn)`: one test per case, the name formatted printf-style like vitest. */
it.each =
	<T>(cases: readonly T[]) =>
	(name: string, fn: (...args: unknown[]) => unknown) => {
		cases.forEach((c, i) => {
			const args = Array.isArray(c) ? (c as unknown[]) : [c];
			it(formatName(name, args, i), () => fn(...args));
		});
	};

export const test = it;

export function beforeEach(fn: Fn): void {
	current.beforeEach.push(fn);
}

export function afterEach(fn: Fn): void {
	current.afterEach.push(fn);
}

export function afterAll(fn: Fn): void {
	current.afterAll.push(fn);
}

function formatName(name: string, args: unknown[], index: number): string {
	let next = 0;
	return name.replace(/%[sdifjo#%]/g, (token) => {
		if (token === "%%") return "%";
		if (token === "%#") return String(index);
		const value = args[next++];
		return token === "%j" || token === "%o" ? JSON.stringify(value) : String(value);
	});
}

/** The full names of the collected tests, without running them. */
export function listCollected(suite = root, path: string[] = []): string[][] {
	const here = suite.name ? [...path, suite.name] : path;
	return suite.children.flatMap((c) =>
		c.kind === "suite" ? listCollected(c, here) : [[...here, c.name]],
	);
}

/** Runs every collected test (hooks of enclosing suites around each), reporting each result. */
export async function runCollected(onResult: (r: TestResult) => void): Promise<void> {
	await runSuite(root, [], [], [], onResult);
}

async function runSuite(
	suite: Suite,
	path: string[],
	before: Fn[],
	after: Fn[],
	onResult: (r: TestResult) => void,
): Promise<void> {
	const beforeAll = [...before, ...suite.beforeEach];
	const afterAll = [...suite.afterEach, ...after];
	const here = suite.name ? [...path, suite.name] : path;
	for (const child of suite.children) {
		if (child.kind === "suite") {
			await runSuite(child, here, beforeAll, afterAll, onResult);
			continue;
		}
		const started = performance.now();
		const result: TestResult = { path: [...here, child.name], ok: true, ms: 0 };
		try {
			for (const hook of beforeAll) await hook();
			await child.fn();
		} catch (err) {
			result.ok = false;
			result.error = describeError(err);
		}
		try {
			for (const hook of afterAll) await hook();
		} catch (err) {
			result.ok = false;
			result.error ??= `afterEach: ${describeError(err)}`;
		}
		result.ms = Math.round(performance.now() - started);
		onResult(result);
	}
	// Like vitest, a failing afterAll fails the run, not a test.
	for (const hook of suite.afterAll) await hook();
}

function describeError(err: unknown): string {
	return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

chai.use(JestExtend);
chai.use(JestChaiExpect);
chai.use(JestAsymmetricMatchers);

/** vitest's `expect`, minus the parts tied to its runner (snapshots, poll, soft). */
export const expect = Object.assign(
	(value: unknown, message?: string) => chai.expect(value, message),
	chai.expect,
	(globalThis as Record<symbol, object>)[ASYMMETRIC_MATCHERS_OBJECT],
);
