/**
 * A PostgreSQL cluster of the test's own (initdb + pg_ctl in a temporary directory, on a free
 * port, trust auth on 127.0.0.1 only), for tests that stop, restart or kill a server: they must
 * never touch a server they were not given (AGENTMEM_TEST_POSTGRES_URL is shared). It uses the
 * binaries of the installed PostgreSQL, so the extensions scripts/provision-postgres.sh installed
 * system-wide (pgvector, fuzzystrmatch) can be created in it. As root, every server command runs
 * as the `postgres` OS user (the server refuses to run as root).
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);
const MAJOR = process.env.AGENTMEM_PG_MAJOR ?? "15";
/** Where initdb and pg_ctl live (Debian's layout unless AGENTMEM_PG_BINDIR says otherwise). */
export const PG_BINDIR = process.env.AGENTMEM_PG_BINDIR ?? `/usr/lib/postgresql/${MAJOR}/bin`;
const SERVER_USER = "postgres";

export interface ThrowawayCluster {
	/** Superuser URL of the cluster's `postgres` database. */
	readonly url: string;
	readonly port: number;
	readonly dataDir: string;
	/** pg_ctl restart (fast shutdown, then start), waiting until it accepts connections. */
	restart(): Promise<void>;
	/** Stops the server (immediate: no checkpoint, like a crash) and removes its directory. */
	destroy(): Promise<void>;
}

/** A cluster, or why none could be started (the caller skips loudly, or fails under CI). */
export type ClusterOrReason = { cluster: ThrowawayCluster } | { reason: string };

/** The libpq environment must not redirect anything this helper runs. */
function cleanEnv(): NodeJS.ProcessEnv {
	const env = { ...process.env };
	for (const k of Object.keys(env)) if (k.startsWith("PG")) delete env[k];
	return env;
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const s = createServer();
		s.once("error", reject);
		s.listen(0, "127.0.0.1", () => {
			const { port } = s.address() as { port: number };
			s.close(() => resolve(port));
		});
	});
}

/** Runs a PostgreSQL binary, as the `postgres` OS user when we are root. */
async function pgBin(bin: string, args: string[]): Promise<string> {
	const path = join(PG_BINDIR, bin);
	const [file, argv] =
		process.getuid?.() === 0 ? ["runuser", ["-u", SERVER_USER, "--", path, ...args]] : [path, args];
	const { stdout } = await run(file, argv, { env: cleanEnv(), timeout: 120_000 });
	return stdout;
}

function errorText(err: unknown): string {
	const e = err as { stderr?: string; message?: string };
	return (e.stderr?.trim() || e.message || String(err)).split("\n").slice(-5).join(" | ");
}

/**
 * initdb + start a new cluster with `vector` and `fuzzystrmatch` created in its `postgres`
 * database. The server is killed if this process exits without destroying it.
 */
export async function startThrowawayCluster(): Promise<ClusterOrReason> {
	if (!existsSync(join(PG_BINDIR, "initdb")) || !existsSync(join(PG_BINDIR, "pg_ctl"))) {
		return {
			reason: `no initdb/pg_ctl in ${PG_BINDIR} (install PostgreSQL with scripts/provision-postgres.sh, or set AGENTMEM_PG_BINDIR)`,
		};
	}
	const base = mkdtempSync(join(tmpdir(), "agentmem-pg-"));
	const dataDir = join(base, "data");
	const log = join(base, "server.log");
	const remove = () => rmSync(base, { recursive: true, force: true });
	try {
		if (process.getuid?.() === 0) await run("chown", [SERVER_USER, base]);
		await pgBin("initdb", [
			"-D",
			dataDir,
			"-U",
			"postgres",
			"--auth=trust",
			"--encoding=UTF8",
			"--locale=C",
			"--no-sync",
			"--no-instructions",
		]);
	} catch (err) {
		remove();
		return { reason: `initdb failed: ${errorText(err)}` };
	}
	const ctl = (...args: string[]) => pgBin("pg_ctl", ["-D", dataDir, "-l", log, ...args]);
	let port = 0;
	let started = false;
	for (let attempt = 0; attempt < 3 && !started; attempt++) {
		port = await freePort(); // another process may take it before the server does: retry
		// Unix socket in our own directory; TCP on loopback only; small, for a test.
		const options = `-p ${port} -k ${base} -c listen_addresses=127.0.0.1 -c max_connections=40 -c shared_buffers=16MB`;
		started = await ctl("-w", "-t", "60", "-o", options, "start").then(
			() => true,
			() => false,
		);
	}
	if (!started) {
		remove();
		const tail = existsSync(log) ? readFileSync(log, "utf8").split("\n").slice(-5).join(" | ") : "";
		return { reason: `pg_ctl start failed: ${tail}` };
	}
	const postmasterPid = () => {
		try {
			return Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
		} catch {
			return 0;
		}
	};
	// A crashed or killed test process must not leave a server running.
	let pid = postmasterPid();
	const onExit = () => {
		try {
			if (pid) process.kill(pid, "SIGKILL");
		} catch {}
		remove();
	};
	process.on("exit", onExit);
	const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
	const cluster: ThrowawayCluster = {
		url,
		port,
		dataDir,
		async restart() {
			await ctl("-w", "-t", "60", "-m", "fast", "restart");
			pid = postmasterPid();
		},
		async destroy() {
			process.off("exit", onExit);
			await ctl("-m", "immediate", "stop").catch(() => {
				if (pid) process.kill(pid, "SIGKILL");
			});
			remove();
		},
	};
	const client = new pg.Client({ connectionString: url });
	try {
		await client.connect();
		await client.query(
			"CREATE EXTENSION IF NOT EXISTS vector; CREATE EXTENSION IF NOT EXISTS fuzzystrmatch",
		);
	} catch (err) {
		await cluster.destroy();
		return {
			reason: `pgvector/fuzzystrmatch not installed for ${PG_BINDIR} (run scripts/provision-postgres.sh): ${errorText(err)}`,
		};
	} finally {
		await client.end().catch(() => undefined);
	}
	return { cluster };
}
