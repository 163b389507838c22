#!/usr/bin/env node
/**
 * The `agentmem` command line. Exit codes: 0 ok, 1 error (the message says what and how to fix
 * it), 2 usage (a wrong command, option or argument).
 */
import { createRequire } from "node:module";
import { Command, CommanderError } from "commander";
import { AgentmemError } from "../core/errors.js";
import { redactSecrets } from "../core/redact.js";
import { registerBasicCommands } from "./commands/basic.js";
import { registerDoctorCommand } from "./commands/doctor.js";
import { registerIngestCommands } from "./commands/ingest-demo.js";
import { registerTransferCommands } from "./commands/transfer.js";
import { positiveInt, UsageError } from "./context.js";

function packageVersion(): string {
	return (createRequire(import.meta.url)("../../package.json") as { version: string }).version;
}

export function buildProgram(): Command {
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
		.showHelpAfterError("(add --help for usage)")
		.exitOverride();
	registerBasicCommands(program);
	registerIngestCommands(program);
	registerTransferCommands(program);
	registerDoctorCommand(program);
	for (const cmd of program.commands)
		cmd.exitOverride().showHelpAfterError("(add --help for usage)");
	return program;
}

export async function main(argv: string[]): Promise<number> {
	try {
		await buildProgram().parseAsync(argv);
		return typeof process.exitCode === "number" ? process.exitCode : 0;
	} catch (err) {
		if (err instanceof CommanderError) {
			// Help and version exit 0; every other commander error is a usage error.
			return err.exitCode === 0 ? 0 : 2;
		}
		if (err instanceof UsageError) {
			process.stderr.write(`error: ${err.message}\n`);
			return 2;
		}
		const code = err instanceof AgentmemError ? ` [${err.code}]` : "";
		// Typed errors are masked already; anything else may echo a URL with its password.
		const message = redactSecrets(err instanceof Error ? err.message : String(err));
		process.stderr.write(`error${code}: ${message}\n`);
		if (process.env.AGENTMEM_DEBUG && err instanceof Error)
			process.stderr.write(`${redactSecrets(err.stack ?? "")}\n`);
		return 1;
	}
}

process.exitCode = await main(process.argv);
