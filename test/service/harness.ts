/** A real service on an ephemeral loopback port over an adapter the test created, and fetch helpers. */
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { SignJWT } from "jose";
import { afterAll } from "vitest";
import { SqliteDatabaseAdapter } from "../../src/backends/sqlite/index.js";
import type { DatabaseAdapter } from "../../src/core/adapter.js";
import { createServer, type ServiceOptions } from "../../src/service/server.js";
import { tempFiles } from "../backends/sqlite/harness.js";

export const KEY = "test-service-key-0123456789";
export const JWT_SECRET = "test-jwt-secret-0123456789abcdef";
export const DIM = 4;

export interface Running {
	app: FastifyInstance;
	base: string;
	adapter: DatabaseAdapter;
	/** fetch with the service key unless `headers` says otherwise. */
	call(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
}

export async function serve(
	adapter: DatabaseAdapter,
	options: Partial<ServiceOptions> = {},
): Promise<Running> {
	const app = await createServer({ adapter, apiKey: KEY, ...options });
	await app.listen({ host: "127.0.0.1", port: 0 });
	const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
	return {
		app,
		base,
		adapter,
		call(path, init = {}) {
			const headers = new Headers(init.headers);
			if (!headers.has("authorization") && !headers.has("x-no-auth"))
				headers.set("authorization", `Bearer ${KEY}`);
			headers.delete("x-no-auth");
			let body = init.body;
			if (init.json !== undefined) {
				headers.set("content-type", "application/json");
				body = JSON.stringify(init.json);
			}
			return fetch(`${base}${path}`, { ...init, headers, body });
		},
	};
}

/** A fresh SQLite database file for this test file, served; closed after the file's tests. */
export function sqliteService(prefix: string, options: Partial<ServiceOptions> = {}) {
	const files = tempFiles(prefix);
	const opened: Running[] = [];
	afterAll(async () => {
		for (const r of opened) {
			await r.app.close();
			await r.adapter.close();
		}
	});
	return async (more: Partial<ServiceOptions> = {}): Promise<Running> => {
		const adapter = new SqliteDatabaseAdapter({ path: files.file(), embeddingDimension: DIM });
		await adapter.init();
		const r = await serve(adapter, { ...options, ...more });
		opened.push(r);
		return r;
	};
}

export function userToken(sub: string, secret = JWT_SECRET): Promise<string> {
	return new SignJWT({ sub, role: "authenticated", aud: "authenticated" })
		.setProtectedHeader({ alg: "HS256" })
		.setExpirationTime("10m")
		.sign(new TextEncoder().encode(secret));
}

export const uuid = () => crypto.randomUUID();
