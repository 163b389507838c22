#!/usr/bin/env node
/**
 * The `agentmem` command line. Exit codes: 0 ok, 1 error (the message says what and how to fix
 * it), 2 usage (a wrong command, option or argument). With `--json`, errors too are JSON on
 * stdout: `{"error":{"code","message"}}` (code `USAGE` for usage errors).
 */
import { createRequire } from "node:module";
import { Command, CommanderError } from "commander";
import { AgentmemError } from "../core/errors.js";
import { redactSecrets } from "../core/redact.js";
import { registerBasicCommands } from "./commands/basic.js";
import { registerDoctorCommand } from "./commands/doctor.js";
import { registerForgetPruneCommands } from "./commands/forget-prune.js";
import { registerIngestCommands } from "./commands/ingest-demo.js";
import { registerListShowCommands } from "./commands/list-show.js";
import { registerRecallCommand } from "./commands/recall.js";
import { registerReembedCommand } from "./commands/reembed.js";
import { registerRoomsCommands } from "./commands/rooms.js";
import { registerServeCommand } from "./commands/serve.js";
import { registerTransferCommands } from "./commands/transfer.js";
import { positiveInt, UsageError } from "./context.js";
import { GLOBAL_HELP } from "./help.js";

function packageVersion(): string {
	return (createRequire(import.meta.url)("../../package.json") as { version: string }).version;
}

export function buildProgram(json = false): Command {
	const program = new Command("agentmem")
		.description(
			"Memory for AI agents: one store over SQLite, PostgreSQL/pgvector, PGlite and SQL.js.",
		)
		.version(packageVersion())
		.option(
			"--url <url>",
			"database URL (default: $AGENTMEM_DATABASE_URL, else sqlite:./agentmem.db)",
		)
		.option("--json", "print machine-readable JSON")
		.option(
			"--embedding-url <url>",
			"OpenAI-compatible embeddings server (default: $AGENTMEM_EMBEDDING_URL; offline hashing when unset)",
		)
		.option("--embedding-model <name>", "embedding model (default: $AGENTMEM_EMBEDDING_MODEL)")
		.option(
			"--dimension <n>",
			"embedding dimension (default: $AGENTMEM_EMBEDDING_DIMENSION, else 384 for hashing)",
			positiveInt,
		)
		.showHelpAfterError(json ? false : "(add --help for usage)")
		.configureOutput(json ? { writeErr: () => {} } : {})
		.addHelpText("after", GLOBAL_HELP)
		.exitOverride();
	registerBasicCommands(program);
	registerRecallCommand(program);
	registerListShowCommands(program);
	registerForgetPruneCommands(program);
	registerRoomsCommands(program);
	registerIngestCommands(program);
	registerTransferCommands(program);
	registerReembedCommand(program);
	registerDoctorCommand(program);
	registerServeCommand(program);
	const inherit = (parent: Command): void => {
		for (const cmd of parent.commands) {
			cmd.exitOverride().showHelpAfterError(json ? false : "(add --help for usage)");
			if (json) cmd.configureOutput({ writeErr: () => {} });
			inherit(cmd);
		}
	};
	inherit(program);
	return program;
}

/** `--json` anywhere before a `--`: errors are then JSON too, even those of parsing. */
function wantsJson(argv: string[]): boolean {
	const end = argv.indexOf("--");
	return (end < 0 ? argv : argv.slice(0, end)).includes("--json");
}

/** `agentmem list | head -1`: the reader left; that is not an error. */
function quietOnClosedPipe(): void {
	for (const stream of [process.stdout, process.stderr])
		stream.on("error", (err: NodeJS.ErrnoException) => {
			if (err.code === "EPIPE") process.exit(0);
			throw err;
		});
}

export async function main(argv: string[]): Promise<number> {
	const json = wantsJson(argv);
	const fail = (code: string, message: string, exit: number): number => {
		if (json) process.stdout.write(`${JSON.stringify({ error: { code, message } })}\n`);
		else process.stderr.write(`error${code === "USAGE" ? "" : ` [${code}]`}: ${message}\n`);
		return exit;
	};
	try {
		await buildProgram(json).parseAsync(argv);
		return typeof process.exitCode === "number" ? process.exitCode : 0;
	} catch (err) {
		if (err instanceof CommanderError) {
			// Help and version exit 0; every other commander error is a usage error (already
			// printed, unless --json).
			if (err.exitCode === 0) return 0;
			return json ? fail("USAGE", err.message.replace(/^error: /, ""), 2) : 2;
		}
		if (err instanceof UsageError) return fail("USAGE", err.message, 2);
		const code = err instanceof AgentmemError ? err.code : "UNKNOWN";
		// Typed errors are masked already; anything else may echo a URL with its password.
		const message = redactSecrets(err instanceof Error ? err.message : String(err));
		if (process.env.AGENTMEM_DEBUG && err instanceof Error)
			process.stderr.write(`${redactSecrets(err.stack ?? "")}\n`);
		return fail(code, message, 1);
	}
}

quietOnClosedPipe();
process.exitCode = await main(process.argv);
