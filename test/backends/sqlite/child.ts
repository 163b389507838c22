/** Runs test/backends/sqlite/writer.mjs (which needs the built dist/) and collects its acks. */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const WRITER = fileURLToPath(new URL("./writer.mjs", import.meta.url));
const BUILT = fileURLToPath(new URL("../../../dist/backends/sqlite/index.js", import.meta.url));

export interface WriterJob {
	path: string;
	dimension: number;
	writer: string;
	agentId: string;
	userId: string;
	roomId: string;
	batchSize: number;
	durationMs?: number;
}

export interface Writer {
	child: ChildProcess;
	/** Batches the writer reported committed. */
	acked: number[];
	stderr: string;
	/** Resolves with the exit code (or the signal's name) once the process has exited. */
	exited: Promise<number | string>;
	/** Resolves once `n` batches are acknowledged. */
	waitForAcks(n: number): Promise<void>;
}

export function startWriter(job: WriterJob): Writer {
	if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run npm run build first`);
	const child = spawn(process.execPath, [WRITER, JSON.stringify(job)], { stdio: "pipe" });
	const w: Writer = {
		child,
		acked: [],
		stderr: "",
		exited: new Promise((resolve) =>
			child.on("exit", (code, signal) => resolve(code ?? signal ?? -1)),
		),
		waitForAcks: (n) =>
			new Promise((resolve, reject) => {
				const check = () => {
					if (w.acked.length >= n) resolve();
				};
				child.stdout?.on("data", check);
				child.on("exit", () =>
					w.acked.length >= n ? resolve() : reject(new Error(`writer exited: ${w.stderr}`)),
				);
				check();
			}),
	};
	let buffered = "";
	child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
		buffered += chunk;
		const lines = buffered.split("\n");
		buffered = lines.pop() ?? "";
		for (const line of lines) if (line.startsWith("ack ")) w.acked.push(Number(line.slice(4)));
	});
	child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
		w.stderr += chunk;
	});
	return w;
}
