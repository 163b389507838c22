/**
 * Credentials never appear in what agentmem says: URLs of many shapes (special characters,
 * percent-encoding, `password=` in the query, invalid ports), through createAdapter's errors (message,
 * stack, cause chain), a driver's connection error and free text.
 */
import { inspect } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigurationError, ConnectionError, DatabaseError } from "../../src/core/errors.js";
import { redactError, redactSecrets, redactUrl } from "../../src/core/redact.js";
import { createAdapter, parseDatabaseUrl } from "../../src/create-adapter.js";

/** Everything an error shows: message, stack, own properties and the cause chain. */
const shown = (err: unknown) => `${inspect(err, { depth: 10 })}\n${(err as Error)?.stack ?? ""}`;

/**
 * Passwords start and end with upper-case markers; user, host and database names are lower case,
 * so any fragment of a password left in the output contains "SEC" or "RET".
 */
const middle = fc.string({
	unit: fc.constantFrom(..."abc123!$&'()*+,;=:@%-._~ é/?#[]\"<>^`{|}\\".split("")),
	maxLength: 12,
});
const password = middle.map((m) => `SEC${m}RET`);
const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
const host = fc.constantFrom("db.example.com", "127.0.0.1", "[::1]", "pg-1.internal");
const port = fc.constantFrom("", ":5432", ":5432x", ":99999", ":abc");
const leaks = (text: string) => /SEC|RET/.test(text);

/** A password as users write it in a URL: encoded, or raw where the URL still reads as userinfo. */
const urlShapes = fc
	.tuple(
		fc.constantFrom("postgres", "postgresql"),
		name,
		password,
		host,
		port,
		name,
		fc.constantFrom("encoded", "raw-safe", "query", "query-and-userinfo"),
	)
	.map(([scheme, user, pw, h, p, db, shape]) => {
		const encoded = encodeURIComponent(pw);
		const rawSafe = pw.replace(/[/?#\s"<>`\\^{|}[\]%]/g, "_");
		switch (shape) {
			case "encoded":
				return `${scheme}://${user}:${encoded}@${h}${p}/${db}`;
			case "raw-safe":
				return `${scheme}://${user}:${rawSafe}@${h}${p}/${db}`;
			case "query":
				return `${scheme}://${user}@${h}${p}/${db}?sslmode=require&password=${encoded}`;
			default:
				return `${scheme}://${user}:${encoded}@${h}${p}/${db}?password=${encoded}&application_name=x`;
		}
	});

describe("redactUrl", () => {
	it("masks the password and keeps the rest", () => {
		expect(redactUrl("postgres://app:S3cr3tPw@db.example.com:5432x/prod")).toBe(
			"postgres://app:***@db.example.com:5432x/prod",
		);
		expect(redactUrl("postgresql://app:p%40ss%2Fw@h/db?sslmode=require&password=x%21y")).toBe(
			"postgresql://app:***@h/db?sslmode=require&password=***",
		);
		// Raw `@`, `:` and even `/` in a password (invalid URLs, but written by people).
		expect(redactUrl("postgres://app:p@ss:w@h:5432/db")).toBe("postgres://app:***@h:5432/db");
		expect(redactUrl("postgres://app:pa/ss@h/db")).toBe("postgres://app:***@h/db");
	});

	it("leaves URLs without credentials unchanged", () => {
		for (const url of [
			"sqlite:./agentmem.db",
			"sqlite::memory:",
			"pglite:./data",
			"postgres://app@db.example.com:5432/prod",
			"postgres://db.example.com/prod?sslmode=require",
			"https://example.com:8080/users/a@b.example",
			"https://user@example.com/path",
		]) {
			expect(redactUrl(url)).toBe(url);
		}
	});

	it("masks every shape of password (property)", () => {
		fc.assert(
			fc.property(urlShapes, (url) => {
				const masked = redactUrl(url);
				expect(leaks(masked), `${url} -> ${masked}`).toBe(false);
				expect(masked).toContain("***");
				// What identifies the database stays.
				expect(masked.startsWith("postgres")).toBe(true);
			}),
			{ numRuns: 500 },
		);
	});
});

describe("redactSecrets (free text)", () => {
	it("masks URLs, query and keyword passwords inside a message", () => {
		const text = [
			'connecting to "postgres://app:SECxRET@db/prod": refused',
			"host=db port=5432 password=SECxRET dbname=prod",
			"password='SEC x RET' user=app",
			"see https://api.example.com/v1?key=SECxRET&model=m",
		].join("\n");
		const out = redactSecrets(text);
		expect(leaks(out)).toBe(false);
		expect(out).toContain("postgres://app:***@db/prod");
		expect(out).toContain("host=db port=5432 password=*** dbname=prod");
	});

	it("keeps text without secrets as it is", () => {
		const text =
			"check that the server runs and the URL (host, port, user, password, database) is right";
		expect(redactSecrets(text)).toBe(text);
	});

	it("masks any URL shape embedded in text (property)", () => {
		fc.assert(
			fc.property(urlShapes, fc.constantFrom("", '"', "(", " at "), (url, quote) => {
				const closing = quote === "(" ? ")" : quote;
				const out = redactSecrets(`error: cannot use ${quote}${url}${closing}: bad`);
				expect(leaks(out), out).toBe(false);
			}),
			{ numRuns: 300 },
		);
	});
});

describe("errors carry no credentials", () => {
	it("createAdapter with a bad port: ConfigurationError, masked message, stack and cause", async () => {
		const url = "postgres://app:S3cr3tPw@db.example.com:5432x/prod";
		const err = await createAdapter(url).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(ConfigurationError);
		expect((err as Error).message).toContain("postgres://app:***@db.example.com:5432x/prod");
		expect(shown(err)).not.toContain("S3cr3tPw");
	});

	it("every invalid URL shape is refused without its password (property)", async () => {
		const invalid = urlShapes.filter((u) => {
			try {
				new URL(u);
				return false;
			} catch {
				return true;
			}
		});
		await fc.assert(
			fc.asyncProperty(invalid, async (url) => {
				const err = await createAdapter(url).catch((e: unknown) => e);
				expect(err).toBeInstanceOf(ConfigurationError);
				expect(leaks(shown(err)), shown(err)).toBe(false);
			}),
			{ numRuns: 200 },
		);
		// parseDatabaseUrl, which the CLI calls first, says the same.
		expect(() => parseDatabaseUrl("postgres://a:SECxRET@h:1x/d")).toThrow(/a:\*\*\*@h:1x/);
	});

	it("a driver's connection error does not echo the password", async () => {
		const url = "postgres://app:S3cr3tPw@127.0.0.1:1/prod?password=S3cr3tPw";
		const err = await createAdapter(url, {
			retry: false,
			circuitBreaker: false,
			poolConfig: { connectionTimeoutMillis: 2000 },
		}).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(ConnectionError);
		expect(shown(err)).not.toContain("S3cr3tPw");
	});

	it("a typed error masks credentials its cause carries, in message, stack and properties", () => {
		const input = "postgres://app:S3cr3tPw@h:x/db";
		const cause = Object.assign(new TypeError(`Invalid URL: ${input}`), { input });
		const outer = new Error("wrapper", { cause });
		const err = new DatabaseError(`opening ${input} failed`, { cause: outer });
		expect(err.message).toBe("opening postgres://app:***@h:x/db failed");
		expect(shown(err)).not.toContain("S3cr3tPw");
		expect(err.cause).toBe(outer);
		expect((cause as { input: string }).input).toBe("postgres://app:***@h:x/db");
	});

	it("redactError survives frozen and cyclic errors", () => {
		const a = new Error("postgres://u:S3cr3tPw@h/db") as Error & { cause?: unknown };
		a.cause = a;
		redactError(a);
		expect(a.message).not.toContain("S3cr3tPw");
		const frozen = Object.freeze(new Error("postgres://u:pw@h/db"));
		expect(() => redactError(frozen)).not.toThrow();
	});
});
