/** Server-Sent Events through the API (delivery, heartbeats, Last-Event-ID resume), and the OpenAPI document. */
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { sqliteService, uuid } from "./harness.js";

const start = sqliteService("service-events", { heartbeatMs: 100 });

/** Reads an SSE response until `until` matches the text so far. */
async function readUntil(res: Response, until: (text: string) => boolean): Promise<string> {
	const reader = (res.body as ReadableStream<Uint8Array>).getReader();
	const decoder = new TextDecoder();
	let text = "";
	while (!until(text)) {
		const { value, done } = await reader.read();
		if (done) break;
		text += decoder.decode(value, { stream: true });
	}
	await reader.cancel();
	return text;
}

async function seed(call: Awaited<ReturnType<typeof start>>["call"]) {
	const user = uuid();
	const room = uuid();
	await call("/v1/accounts", { method: "POST", json: { id: user, name: "Ada", username: "ada" } });
	await call("/v1/rooms", { method: "POST", json: { roomId: room } });
	const write = (text: string, tableName = "messages") =>
		call("/v1/memories", {
			method: "POST",
			json: {
				memory: {
					userId: user,
					agentId: user,
					roomId: room,
					content: { text },
					embedding: [1, 0, 0, 0],
				},
				tableName,
			},
		});
	return { room, write };
}

const events = (text: string) =>
	[...text.matchAll(/(?:id: (\S+)\n)?event: memory\ndata: (.*)\n/g)].map((m) => ({
		id: m[1],
		data: JSON.parse(m[2] as string) as {
			tableName: string;
			memory: { content: { text: string }; embedding: string };
		},
	}));

describe("GET /v1/events", () => {
	it("delivers a memory written through the API to a matching stream, with heartbeats", async () => {
		const { call } = await start();
		const { room, write } = await seed(call);
		const res = await call(`/v1/events?tableName=messages&roomId=${room}`);
		expect(res.status).toBe(200);
		expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
		const reading = readUntil(res, (t) => t.includes("hello") && t.includes(": ping"));
		expect((await write("not for this stream", "facts")).status).toBe(204);
		expect((await write("hello")).status).toBe(204);
		const got = events(await reading);
		expect(got.map((e) => e.data.memory.content.text)).toEqual(["hello"]);
		expect(got[0]?.data.tableName).toBe("messages");
		expect(got[0]?.data.memory.embedding).toBe("AACAPwAAAAAAAAAAAAAAAA==");
	});

	it("resumes after Last-Event-ID with the events the client missed", async () => {
		const { call } = await start();
		const { room, write } = await seed(call);
		const first = await call(`/v1/events?roomId=${room}`);
		const reading = readUntil(first, (t) => t.includes("one"));
		await write("one");
		const [one] = events(await reading);
		expect(one?.id).toMatch(/^[0-9a-f]+-\d+$/);
		await write("two");
		await write("three");
		const resumed = await call(`/v1/events?roomId=${room}`, {
			headers: { "last-event-id": one?.id as string },
		});
		const text = await readUntil(resumed, (t) => t.includes("three"));
		expect(events(text).map((e) => e.data.memory.content.text)).toEqual(["two", "three"]);
		const foreign = await call(`/v1/events?roomId=${room}`, {
			headers: { "last-event-id": "ffff-1" },
		});
		expect(await readUntil(foreign, (t) => t.includes("event: gap"))).toMatch(/event: gap/);
	});

	it("refuses a malformed filter with 400 and an unauthenticated stream with 401", async () => {
		const { call } = await start();
		expect((await call("/v1/events?roomId=nope")).status).toBe(400);
		expect((await call("/v1/events", { headers: { "x-no-auth": "1" } })).status).toBe(401);
	});

	it("ends the subscription when the client goes, and ends open streams when the server closes", async () => {
		const { call, base } = await start();
		const metrics = async () =>
			(await (await fetch(`${base}/metrics`)).text()).match(/agentmem_sse_streams (\d+)/)?.[1];
		const abort = new AbortController();
		const res = await call("/v1/events", { signal: abort.signal });
		await (res.body as ReadableStream<Uint8Array>).getReader().read();
		expect(await metrics()).toBe("1");
		abort.abort();
		for (let i = 0; i < 100 && (await metrics()) !== "0"; i++)
			await new Promise((r) => setTimeout(r, 20));
		expect(await metrics()).toBe("0");

		const other = await start();
		const open = await other.call("/v1/events");
		const reader = (open.body as ReadableStream<Uint8Array>).getReader();
		await reader.read();
		await other.app.close();
		let done = false;
		while (!done) done = (await reader.read()).done;
		expect(done).toBe(true);
	});
});

describe("OpenAPI", () => {
	it("/openapi.json is a valid OpenAPI 3.1 document with every table route", async () => {
		const { base } = await start();
		const doc = (await (await fetch(`${base}/openapi.json`)).json()) as {
			openapi: string;
			paths: Record<string, Record<string, { operationId: string }>>;
		};
		expect(doc.openapi).toBe("3.1.0");
		const result = await new Validator().validate(doc as never);
		expect(result.errors ?? []).toEqual([]);
		expect(result.valid).toBe(true);
		const ops = Object.values(doc.paths).flatMap((p) => Object.values(p).map((o) => o.operationId));
		const { API_METHODS } = await import("../../src/service/api-table.js");
		for (const m of API_METHODS) expect(ops).toContain(m);
		expect(doc.paths["/v1/rooms/{roomId}/memories"]).toBeDefined();
	});

	it("/docs renders from the package's own assets (no CDN)", async () => {
		const { base } = await start();
		const page = await fetch(`${base}/docs/`);
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)[^"']*\.(js|css)/);
		const script = /src="\.?\/?([^"]*swagger-ui-bundle\.js)"/.exec(html)?.[1];
		expect(script).toBeDefined();
		expect((await fetch(`${base}/docs/${(script as string).replace(/^docs\//, "")}`)).status).toBe(
			200,
		);
	});
});
