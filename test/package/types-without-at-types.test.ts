/**
 * The public types of agentmem, agentmem/sqlite, agentmem/sqljs, agentmem/postgres and
 * agentmem/remote compile for a TypeScript user who has no @types packages (no @types/pg, no @types/node; only agentmem and
 * its dependency jose installed): the caller's Database, Pool and settings are typed structurally
 * (e.g. src/backends/postgres/pg-types.ts). A consumer of the built dist/*.d.ts is compiled with
 * skipLibCheck off, in a folder with no node_modules above it. Needs dist/ (`npm run build`;
 * `npm test` builds it first).
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "agentmem-types-"));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CONSUMER = `
import {
	type PgPool,
	type PostgresAdapterOptions,
	PostgresDatabaseAdapter,
	POOL_DEFAULTS,
} from "agentmem/postgres";
import type { DatabaseAdapter } from "agentmem";
import { SqliteDatabaseAdapter } from "agentmem/sqlite";
import { SqlJsDatabaseAdapter } from "agentmem/sqljs";
import { RemoteDatabaseAdapter } from "agentmem/remote";

export const others: DatabaseAdapter[] = [
	new SqliteDatabaseAdapter({ path: ":memory:", embeddingDimension: 3 }),
	new SqlJsDatabaseAdapter({ embeddingDimension: 3 }),
	new RemoteDatabaseAdapter({ url: "http://127.0.0.1:7077", apiKey: "k", timeoutMs: 5000 }),
];

const options: PostgresAdapterOptions = {
	poolConfig: { connectionString: "postgres://u@h/db", max: 4, idleTimeoutMillis: null },
	listenConnection: { host: "h", port: 5432, ssl: { rejectUnauthorized: false } },
	embeddingDimension: 3,
};
export const adapter = new PostgresDatabaseAdapter(options);
export const max: number = POOL_DEFAULTS.max;
export async function count(a: PostgresDatabaseAdapter): Promise<number> {
	const pool: PgPool = a.pool;
	const { rows } = await pool.query("SELECT count(*) AS n FROM memories");
	return Number(rows[0].n);
}
`;

function compile(source: string): string {
	writeFileSync(join(dir, "consumer.ts"), source);
	try {
		execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", dir], {
			encoding: "utf8",
			stdio: ["ignore", "pipe", "pipe"],
		});
		return "";
	} catch (err) {
		return String((err as { stdout?: string }).stdout ?? err);
	}
}

describe("the public .d.ts without @types packages", () => {
	it("a consumer compiles with skipLibCheck off", () => {
		const pkg = join(dir, "node_modules/agentmem");
		mkdirSync(pkg, { recursive: true });
		cpSync(join(root, "dist"), join(pkg, "dist"), { recursive: true });
		cpSync(join(root, "package.json"), join(pkg, "package.json"));
		// jose is a dependency (npm installs it with agentmem) and ships its own types.
		cpSync(join(root, "node_modules/jose"), join(dir, "node_modules/jose"), { recursive: true });
		writeFileSync(
			join(dir, "tsconfig.json"),
			JSON.stringify({
				compilerOptions: {
					target: "ES2022",
					module: "NodeNext",
					moduleResolution: "NodeNext",
					strict: true,
					noEmit: true,
					skipLibCheck: false,
					types: [],
				},
				files: ["consumer.ts"],
			}),
		);
		expect(compile(CONSUMER)).toBe("");
		// The check is real: a wrong option type is caught from the same .d.ts.
		expect(compile(CONSUMER.replace("max: 4", 'max: "4"'))).toMatch(/TS2322/);
	});
});
