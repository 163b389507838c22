/**
 * Shrinks a diverging sequence to one where no single operation can be left out (and no
 * transaction unwrapped or emptied of a call) without the divergence going away. Sequences are
 * generated at their full length (so a run of "40 operations" is exactly that), which leaves
 * fast-check no length to shrink; this does it instead, on the first failure only.
 */
import { isTransaction, type Op } from "./operations.js";

/** Every sequence one step simpler than `ops`: one operation fewer, or one transaction simpler. */
function* simpler(ops: Op[]): Generator<Op[]> {
	for (let i = ops.length - 1; i >= 0; i--) {
		yield [...ops.slice(0, i), ...ops.slice(i + 1)];
	}
	yield* simplerTransactions(ops);
}

function* simplerTransactions(ops: Op[]): Generator<Op[]> {
	for (let i = 0; i < ops.length; i++) {
		const op = ops[i] as Op;
		if (!isTransaction(op)) continue;
		// The body run outside any transaction.
		yield [...ops.slice(0, i), ...op.body, ...ops.slice(i + 1)];
		if (op.end === "throw")
			yield [...ops.slice(0, i), { ...op, end: "return" }, ...ops.slice(i + 1)];
		if (op.catchEach) yield [...ops.slice(0, i), { ...op, catchEach: false }, ...ops.slice(i + 1)];
		for (const body of simpler(op.body)) {
			if (body.length > 0) yield [...ops.slice(0, i), { ...op, body }, ...ops.slice(i + 1)];
		}
	}
}

/** The smallest sequence found for which `fails` still holds (`fails(ops)` must hold). */
export async function minimise(ops: Op[], fails: (ops: Op[]) => Promise<boolean>): Promise<Op[]> {
	let current = ops;
	// Runs of operations first, halving their length (a few dozen runs instead of n² for 40 calls).
	for (let chunk = Math.ceil(current.length / 2); chunk > 1; chunk = Math.ceil(chunk / 2)) {
		for (let i = current.length - chunk; i >= 0; i -= chunk) {
			const candidate = [...current.slice(0, i), ...current.slice(i + chunk)];
			if (await fails(candidate)) current = candidate;
		}
	}
	let progress = true;
	while (progress) {
		progress = false;
		for (const candidate of simpler(current)) {
			if (await fails(candidate)) {
				current = candidate;
				progress = true;
				break;
			}
		}
	}
	return current;
}
