/**
 * `agentmem serve [--url <db>] [--host 127.0.0.1] [--port 7077]`: the memory service over the
 * database (src/service/, docs/service.md). The service key is `AGENTMEM_API_KEY`; user JWTs are
 * verified with `AGENTMEM_JWT_SECRET` or `AGENTMEM_JWKS_URL` (audience and issuer from
 * `AGENTMEM_JWT_AUDIENCE` / `AGENTMEM_JWT_ISSUER` when set). SIGTERM or SIGINT shuts down
 * gracefully: no new connections, in-flight requests finish, SSE streams end, the database closes.
 */
import type { Command } from "commander";
import type { JwtKey } from "../../backends/postgres/rls/verify-jwt.js";
import type { DatabaseAdapter } from "../../core/adapter.js";
import { redactUrl } from "../../core/redact.js";
import { createAdapter, parseDatabaseUrl } from "../../create-adapter.js";
import type { EmbeddingProvider } from "../../embed/provider.js";
import { assertSafeBinding, isLoopback } from "../../service/auth.js";
import { createServer, DEFAULT_BODY_LIMIT, DEFAULT_MAX_RESULTS } from "../../service/server.js";
import { databaseUrl, optionsOf, positiveInt } from "../context.js";
import { openWritable } from "../open.js";

export const DEFAULT_PORT = 7077;

function portNumber(value: string): number {
	const n = positiveInt(value);
	if (n > 65535) throw new Error("a port is at most 65535");
	return n;
}

export function registerServeCommand(program: Command): void {
	program
		.command("serve")
		.description(
			"serve the database over HTTP: every call as JSON under /v1, SSE events, /metrics, /openapi.json, /docs",
		)
		.option(
			"--host <host>",
			"address to listen on (beyond loopback needs AGENTMEM_API_KEY)",
			"127.0.0.1",
		)
		.option(
			"--port <port>",
			"port to listen on (0: any free port)",
			(v) => (v === "0" ? 0 : portNumber(v)),
			DEFAULT_PORT,
		)
		.option("--body-limit <bytes>", "largest request body", positiveInt, DEFAULT_BODY_LIMIT)
		.option("--max-results <n>", "most rows one response holds", positiveInt, DEFAULT_MAX_RESULTS)
		.action(async (_o, cmd: Command) => {
			const g = optionsOf(cmd);
			const host = g.host as string;
			const env = process.env;
			const apiKey = env.AGENTMEM_API_KEY || undefined;
			assertSafeBinding(host, apiKey);
			const jwt: JwtKey | undefined = env.AGENTMEM_JWT_SECRET
				? { secret: env.AGENTMEM_JWT_SECRET }
				: env.AGENTMEM_JWKS_URL
					? { jwksUrl: env.AGENTMEM_JWKS_URL }
					: undefined;
			const url = databaseUrl(g);
			const { adapter, provider } = await open(url, g, jwt !== undefined);
			const app = await createServer({
				adapter,
				apiKey,
				jwt,
				jwtOptions: {
					...(env.AGENTMEM_JWT_AUDIENCE ? { audience: env.AGENTMEM_JWT_AUDIENCE } : {}),
					...(env.AGENTMEM_JWT_ISSUER ? { issuer: env.AGENTMEM_JWT_ISSUER } : {}),
				},
				host,
				bodyLimit: g.bodyLimit as number,
				maxResults: g.maxResults as number,
				closeAdapter: true,
				logger: { level: env.AGENTMEM_LOG_LEVEL || "info" },
				// The explorer's search box embeds query texts with the database's own model.
				explorer: { embedder: provider },
			});
			const address = await app.listen({ host, port: g.port as number });
			app.log.info(
				{
					backend: adapter.capabilities.backend,
					database: redactUrl(url),
					auth: apiKey ? "service key" : "none (loopback only)",
					userTokens: jwt
						? adapter.capabilities.rowLevelSecurity
							? "row-level security"
							: "refused (no row-level security)"
						: "off",
				},
				`agentmem serve: listening on ${address}${apiKey ? "" : isLoopback(host) ? "; no AGENTMEM_API_KEY: any local process may call it" : ""}`,
			);
			// Printed plainly too, for scripts waiting for the server (tests read this line).
			process.stderr.write(`agentmem serve: listening on ${address}\n`);
			await new Promise<void>((resolve) => {
				let closing = false;
				const stop = (signal: string) => {
					if (closing) return;
					closing = true;
					app.log.info(`agentmem serve: ${signal}: draining requests, then closing the database`);
					app.close().then(resolve, (err: unknown) => {
						app.log.error({ err }, "agentmem serve: shutdown failed");
						process.exitCode = 1;
						resolve();
					});
				};
				process.once("SIGTERM", () => stop("SIGTERM"));
				process.once("SIGINT", () => stop("SIGINT"));
			});
		});
}

/**
 * The database to serve: created where none is (the CLI's defaults); a PostgreSQL database that
 * will take user tokens is opened with row-level security installed.
 */
async function open(
	url: string,
	g: ReturnType<typeof optionsOf>,
	userTokens: boolean,
): Promise<{ adapter: DatabaseAdapter; provider: EmbeddingProvider }> {
	const { db, provider } = await openWritable(g);
	if (!userTokens || parseDatabaseUrl(url).backend !== "postgres") return { adapter: db, provider };
	await db.close();
	return { adapter: await createAdapter(url, { rowLevelSecurity: true }), provider };
}
