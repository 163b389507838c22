/**
 * A sequence as runnable TypeScript, to see on each backend where they part. Each call runs at the
 * logical time the harness gave it and prints its outcome; comments give the first backend's.
 */
import { T0 } from "./domain.js";
import { isTransaction, type Op, REIMPORT } from "./operations.js";
import type { Outcome } from "./runner.js";

/** A value as a TypeScript expression (NaN, Infinity, undefined and Float32Array included). */
export function literal(v: unknown): string {
	if (v === undefined) return "undefined";
	if (typeof v === "number") {
		if (Number.isNaN(v)) return "Number.NaN";
		if (v === Number.POSITIVE_INFINITY) return "Number.POSITIVE_INFINITY";
		if (v === Number.NEGATIVE_INFINITY) return "Number.NEGATIVE_INFINITY";
		return String(v);
	}
	if (v instanceof Float32Array) return `new Float32Array(${literal(Array.from(v))})`;
	if (Array.isArray(v)) return `[${v.map(literal).join(", ")}]`;
	if (v && typeof v === "object") {
		const members = Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${literal(x)}`);
		return `{ ${members.join(", ")} }`;
	}
	return JSON.stringify(v);
}

function lines(
	ops: Op[],
	db: string,
	outcomes: (Outcome | undefined)[],
	indent: string,
	step: { n: number },
	rethrow: boolean,
	marked?: number,
): string[] {
	const out: string[] = [];
	ops.forEach((op, i) => {
		const expected = outcomes[i];
		if (i === marked) out.push(`${indent}// ---- the backends part here ----`);
		if (isTransaction(op)) {
			out.push(`${indent}await ${rethrow ? "" : "show("}${db}.transaction(async (tx) => {`);
			out.push(...lines(op.body, "tx", expected?.inner ?? [], `${indent}\t`, step, !op.catchEach));
			out.push(
				op.end === "throw"
					? `${indent}\tthrow new Error("fn threw");`
					: `${indent}\treturn "done";`,
			);
			out.push(`${indent}})${rethrow ? "" : ")"}; // ${JSON.stringify(expected ?? "not reached")}`);
			return;
		}
		const args = op.a.map(literal).join(", ");
		const callText =
			op.m === REIMPORT
				? `${db}.importRecords(await all(${db}.exportRecords()))`
				: `${db}.${op.m}(${args})`;
		out.push(
			`${indent}await at(${step.n++}, async () => ${callText}, ${rethrow}); // ${JSON.stringify(expected ?? "not reached")}`,
		);
	});
	return out;
}

/**
 * The program. Saved as repro.ts at the repository's root, it runs on each backend in turn:
 * `npx esbuild repro.ts --bundle --platform=node --format=esm --packages=external
 * --outfile=repro.mjs && AGENTMEM_URL=pglite:memory node repro.mjs` (also `sqljs:memory`,
 * `sqlite::memory:`, a `postgres://` URL). `marked` is the top-level operation where they part.
 */
export function printSequence(
	ops: Op[],
	dim: number,
	outcomes: Outcome[],
	marked?: number,
): string {
	return [
		`import { createAdapter, type DatabaseAdapter } from "./src/index.js";`,
		`const db: DatabaseAdapter = await createAdapter(process.env.AGENTMEM_URL ?? "sqljs:memory", { embeddingDimension: ${dim} });`,
		"const realNow = Date.now;",
		"/** Runs call n at the harness's logical time and prints its outcome; rethrows inside a transaction. */",
		"async function at(n: number, f: () => Promise<unknown>, rethrow: boolean) {",
		`\tDate.now = () => ${T0} + 1000 * n;`,
		"\ttry { console.log(n, JSON.stringify(await f())); }",
		"\tcatch (e) { console.log(n, (e as { code?: string }).code ?? String(e)); if (rethrow) throw e; }",
		"\tfinally { Date.now = realNow; }",
		"}",
		"async function all<T>(it: AsyncIterable<T>) { const out: T[] = []; for await (const x of it) out.push(x); return out; }",
		"async function show(p: Promise<unknown>) { try { console.log(JSON.stringify(await p)); } catch (e) { console.log((e as { code?: string }).code ?? String(e)); } }",
		...lines(ops, "db", outcomes, "", { n: 0 }, false, marked),
		"for await (const r of db.exportRecords()) console.log(JSON.stringify(r, (_k, v) => (v instanceof Float32Array ? Array.from(v) : v)));",
		"await db.close();",
	].join("\n");
}
