/** Starts child.mjs and follows what it prints. */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("./child.mjs", import.meta.url));

export interface ChildJob {
	dimension: number;
	agentId?: string;
	userId?: string;
	roomId?: string;
}

export interface Child {
	child: ChildProcess;
	/** Every line printed so far. */
	lines: string[];
	/** Ids whose write resolved in the child. */
	acked: string[];
	/** Resolves with the exit code, or the signal that ended it. */
	exited: Promise<number | string>;
	/** Resolves once a printed line satisfies `test` (rejects if the child exits first). */
	waitFor(test: (line: string) => boolean): Promise<string>;
	/** Resolves once `n` writes are acknowledged. */
	waitForAcks(n: number): Promise<void>;
}

export function startChild(mode: "open" | "write", dataDir: string, job: ChildJob): Child {
	const child = spawn(process.execPath, [SCRIPT, mode, dataDir, JSON.stringify(job)], {
		stdio: ["ignore", "pipe", "inherit"],
	});
	const lines: string[] = [];
	const acked: string[] = [];
	const waiters = new Set<() => void>();
	let buffer = "";
	child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
		buffer += chunk;
		const parts = buffer.split("\n");
		buffer = parts.pop() ?? "";
		for (const line of parts) {
			lines.push(line);
			if (line.startsWith("ack ")) acked.push(line.slice(4));
		}
		for (const wake of waiters) wake();
	});
	const exited = new Promise<number | string>((resolve) => {
		child.on("exit", (code, signal) => {
			resolve(signal ?? code ?? -1);
			for (const wake of waiters) wake();
		});
	});
	let ended = false;
	void exited.then(() => {
		ended = true;
	});
	const until = <T>(check: () => T | undefined): Promise<T> =>
		new Promise((resolve, reject) => {
			const wake = () => {
				const found = check();
				if (found !== undefined) {
					waiters.delete(wake);
					resolve(found);
				} else if (ended || child.exitCode !== null || child.signalCode !== null) {
					waiters.delete(wake);
					reject(new Error(`child exited first; it printed:\n${lines.join("\n")}`));
				}
			};
			waiters.add(wake);
			wake();
		});
	return {
		child,
		lines,
		acked,
		exited,
		waitFor: (test) => until(() => lines.find(test)),
		waitForAcks: (n) => until(() => (acked.length >= n ? true : undefined)).then(() => undefined),
	};
}
