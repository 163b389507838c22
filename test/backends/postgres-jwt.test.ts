/**
 * verifyJwt: HS256 secrets (Supabase's legacy project secret) and a JWKS served over real HTTP on
 * loopback (Supabase's asymmetric signing keys). No database needed.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyJwt } from "../../src/backends/postgres/rls/verify-jwt.js";

const SECRET = "super-secret-jwt-token-with-at-least-32-characters";
const SUB = "6f1c1a52-4a5e-4d0a-9a38-2b1d5a1e0c11";
const key = new TextEncoder().encode(SECRET);

function hs256(claims: Record<string, unknown> = {}, exp: string | number = "5m") {
	return new SignJWT({ role: "authenticated", ...claims })
		.setProtectedHeader({ alg: "HS256" })
		.setSubject(SUB)
		.setAudience("authenticated")
		.setIssuedAt()
		.setExpirationTime(exp);
}

describe("verifyJwt with a shared secret", () => {
	it("yields the claims of a valid token", async () => {
		const claims = await verifyJwt(
			await hs256().sign(key),
			{ secret: SECRET },
			{ audience: "authenticated" },
		);
		expect(claims).toMatchObject({ sub: SUB, role: "authenticated", aud: "authenticated" });
	});

	it("refuses a forged token (signed with another secret)", async () => {
		const forged = await hs256().sign(
			new TextEncoder().encode("another-secret-of-sufficient-length!!"),
		);
		await expect(verifyJwt(forged, { secret: SECRET })).rejects.toMatchObject({
			name: "AuthError",
			code: "UNAUTHORIZED",
			message: expect.stringMatching(/signature/),
		});
	});

	it("refuses a tampered payload", async () => {
		const [header, , signature] = (await hs256().sign(key)).split(".");
		const payload = Buffer.from(
			JSON.stringify({ sub: SUB, role: "service_role", exp: 9e9 }),
		).toString("base64url");
		await expect(
			verifyJwt(`${header}.${payload}.${signature}`, { secret: SECRET }),
		).rejects.toMatchObject({
			code: "UNAUTHORIZED",
		});
	});

	it("refuses an expired token, and one without an expiry", async () => {
		const expired = await hs256({}, Math.floor(Date.now() / 1000) - 60).sign(key);
		await expect(verifyJwt(expired, { secret: SECRET })).rejects.toMatchObject({
			code: "UNAUTHORIZED",
			message: "token expired",
		});
		const forever = await new SignJWT({ sub: SUB }).setProtectedHeader({ alg: "HS256" }).sign(key);
		await expect(verifyJwt(forever, { secret: SECRET })).rejects.toMatchObject({
			code: "UNAUTHORIZED",
			message: expect.stringMatching(/exp/),
		});
	});

	it("refuses another audience or issuer when one is expected", async () => {
		const token = await hs256().sign(key);
		await expect(verifyJwt(token, { secret: SECRET }, { audience: "admin" })).rejects.toMatchObject(
			{
				code: "UNAUTHORIZED",
				message: expect.stringMatching(/aud/),
			},
		);
		await expect(
			verifyJwt(token, { secret: SECRET }, { issuer: "https://x.supabase.co/auth/v1" }),
		).rejects.toMatchObject({
			code: "UNAUTHORIZED",
			message: expect.stringMatching(/iss/),
		});
	});

	it("refuses an unsigned token and garbage", async () => {
		const none = `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from(JSON.stringify({ sub: SUB, exp: 9e9 })).toString("base64url")}.`;
		await expect(verifyJwt(none, { secret: SECRET })).rejects.toMatchObject({
			code: "UNAUTHORIZED",
		});
		await expect(verifyJwt("not.a.jwt", { secret: SECRET })).rejects.toMatchObject({
			code: "UNAUTHORIZED",
		});
	});

	it("refuses bad arguments with typed errors", async () => {
		await expect(verifyJwt("", { secret: SECRET })).rejects.toMatchObject({ code: "VALIDATION" });
		await expect(verifyJwt(await hs256().sign(key), { secret: "" })).rejects.toMatchObject({
			code: "CONFIGURATION",
		});
		// biome-ignore lint/suspicious/noExplicitAny: a caller without types.
		await expect(verifyJwt(await hs256().sign(key), {} as any)).rejects.toMatchObject({
			code: "CONFIGURATION",
		});
	});
});

describe("verifyJwt hardening", () => {
	it("refuses a token over 16 KB with an AuthError before parsing it", async () => {
		const big = await hs256({ padding: "x".repeat(17 * 1024) }).sign(key);
		await expect(verifyJwt(big, { secret: SECRET })).rejects.toMatchObject({
			code: "UNAUTHORIZED",
			message: expect.stringMatching(/16384 bytes/),
		});
		// 5 MB of anything: refused by its size alone, at once.
		const started = performance.now();
		const huge = "a".repeat(5 * 1024 * 1024);
		await expect(verifyJwt(huge, { secret: SECRET })).rejects.toThrow(/16384 bytes/);
		await expect(verifyJwt(huge, { jwksUrl: "https://example.invalid/jwks" })).rejects.toThrow(
			/16384 bytes/,
		);
		expect(performance.now() - started).toBeLessThan(200);
		// Just under the limit is still verified.
		const fits = await hs256({ padding: "x".repeat(10 * 1024) }).sign(key);
		expect(fits.length).toBeLessThan(16 * 1024);
		await expect(verifyJwt(fits, { secret: SECRET })).resolves.toMatchObject({ sub: SUB });
	});

	it("accepts a service_role token only when allowServiceRole says so", async () => {
		const service = await hs256({ role: "service_role" }).sign(key);
		await expect(verifyJwt(service, { secret: SECRET })).rejects.toMatchObject({
			code: "UNAUTHORIZED",
			message: expect.stringMatching(/service_role/),
		});
		await expect(
			verifyJwt(service, { secret: SECRET }, { allowServiceRole: true }),
		).resolves.toMatchObject({ role: "service_role" });
		await expect(verifyJwt(await hs256().sign(key), { secret: SECRET })).resolves.toMatchObject({
			role: "authenticated",
		});
	});

	it("refuses a JWKS URL that is not https, except on loopback", async () => {
		const token = await hs256().sign(key);
		for (const jwksUrl of [
			"http://example.com/auth/v1/.well-known/jwks.json",
			"http://10.0.0.1/jwks.json",
			"ftp://example.com/jwks.json",
			"file:///etc/jwks.json",
		]) {
			await expect(verifyJwt(token, { jwksUrl })).rejects.toMatchObject({
				code: "CONFIGURATION",
				message: expect.stringMatching(/https/),
			});
		}
		// Loopback over http is for tests and sidecars: it gets as far as fetching (nothing listens).
		for (const jwksUrl of [
			"http://127.0.0.1:1/jwks.json",
			"http://localhost:1/jwks.json",
			"http://[::1]:1/jwks.json",
		]) {
			await expect(verifyJwt(token, { jwksUrl })).rejects.not.toMatchObject({
				code: "CONFIGURATION",
			});
		}
	});
});

describe("verifyJwt with a JWKS over HTTP", () => {
	let server: Server;
	let jwksUrl: string;
	let requests = 0;
	const signing = generateKeyPair("ES256");

	beforeAll(async () => {
		const { publicKey } = await signing;
		const jwk = { ...(await exportJWK(publicKey)), kid: "key-1", alg: "ES256", use: "sig" };
		server = createServer((req, res) => {
			requests++;
			if (req.url !== "/auth/v1/.well-known/jwks.json") {
				res.writeHead(404).end();
				return;
			}
			res
				.writeHead(200, { "content-type": "application/json" })
				.end(JSON.stringify({ keys: [jwk] }));
		});
		await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
		jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/auth/v1/.well-known/jwks.json`;
	});
	afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

	const es256 = (privateKey: CryptoKey, kid = "key-1") =>
		new SignJWT({ role: "authenticated" })
			.setProtectedHeader({ alg: "ES256", kid })
			.setSubject(SUB)
			.setAudience("authenticated")
			.setExpirationTime("5m")
			.sign(privateKey);

	it("verifies a token signed by the published key, fetching the key set over HTTP once", async () => {
		const { privateKey } = await signing;
		const before = requests;
		for (let i = 0; i < 3; i++) {
			const claims = await verifyJwt(
				await es256(privateKey),
				{ jwksUrl },
				{ audience: "authenticated" },
			);
			expect(claims).toMatchObject({ sub: SUB, role: "authenticated" });
		}
		expect(requests - before).toBe(1);
	});

	it("refuses a token signed by an unpublished key under the same kid", async () => {
		const other = await generateKeyPair("ES256");
		await expect(verifyJwt(await es256(other.privateKey), { jwksUrl })).rejects.toMatchObject({
			code: "UNAUTHORIZED",
		});
	});

	it("refuses an HS256 token (algorithm confusion) against a JWKS", async () => {
		await expect(verifyJwt(await hs256().sign(key), { jwksUrl })).rejects.toMatchObject({
			code: "UNAUTHORIZED",
		});
	});

	it("reports an unreachable key set as a ConnectionError", async () => {
		const { privateKey } = await signing;
		const dead = createServer();
		await new Promise<void>((resolve) => dead.listen(0, "127.0.0.1", resolve));
		const url = `http://127.0.0.1:${(dead.address() as AddressInfo).port}/jwks.json`;
		await new Promise<void>((resolve) => dead.close(() => resolve()));
		await expect(verifyJwt(await es256(privateKey), { jwksUrl: url })).rejects.toMatchObject({
			code: "CONNECTION",
		});
	});
});
