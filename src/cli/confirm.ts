/**
 * Confirmation before deleting: `--yes` skips it; on a terminal the question is asked on stderr;
 * without a terminal (a script, a pipe) there is no one to ask, so the command refuses.
 */
import { createInterface } from "node:readline/promises";
import { type GlobalOptions, UsageError } from "./context.js";

export async function confirm(g: GlobalOptions, command: string, question: string): Promise<void> {
	if (g.yes) return;
	if (process.stdin.isTTY !== true || process.stderr.isTTY !== true) {
		throw new UsageError(
			`${command} deletes memories and cannot ask for confirmation here (not a terminal): add --yes to confirm`,
		);
	}
	const rl = createInterface({ input: process.stdin, output: process.stderr });
	try {
		const answer = await rl.question(`${question} [y/N] `);
		if (!/^y(es)?$/i.test(answer.trim()))
			throw new UsageError(`${command}: not confirmed; nothing was deleted`);
	} finally {
		rl.close();
	}
}
