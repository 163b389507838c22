/**
 * A real HTTP server on 127.0.0.1 speaking the OpenAI embeddings protocol, for testing the HTTP
 * provider end to end. By default it embeds with the hashing embedder and answers in reverse order
 * (so only `index` keeps the order); a test can script any other reply per request.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { createHashingEmbedder } from "../../../src/embed/hashing.js";

export interface ReceivedRequest {
	method: string;
	path: string;
	headers: IncomingHttpHeaders;
	body: { model?: string; input?: string[]; dimensions?: number };
}

export type Reply =
	| { status?: number; headers?: Record<string, string>; body: string }
	/** Never answer (the client must time out). */
	| "hang"
	/** Answer with the default embedding response. */
	| "embed";

export interface EmbeddingServer {
	baseUrl: string;
	requests: ReceivedRequest[];
	close(): Promise<void>;
}

export const SERVER_DIMENSION = 8;
const embedder = createHashingEmbedder({ dimension: SERVER_DIMENSION });

/** The vectors the default reply gives, for comparison. */
export function expectedVectors(texts: string[]): Promise<Float32Array[]> {
	return embedder.embed(texts);
}

async function embeddingResponse(input: string[]): Promise<string> {
	const vectors = await embedder.embed(input);
	const data = vectors.map((v, index) => ({
		object: "embedding",
		index,
		embedding: Array.from(v),
	}));
	return JSON.stringify({ object: "list", model: "test", data: data.reverse() });
}

export async function startEmbeddingServer(
	reply: (req: ReceivedRequest, n: number) => Reply = () => "embed",
): Promise<EmbeddingServer> {
	const requests: ReceivedRequest[] = [];
	const server = createServer((req, res) => {
		let raw = "";
		req.setEncoding("utf8");
		req.on("data", (chunk: string) => {
			raw += chunk;
		});
		req.on("end", async () => {
			const received: ReceivedRequest = {
				method: req.method ?? "",
				path: req.url ?? "",
				headers: req.headers,
				body: JSON.parse(raw),
			};
			requests.push(received);
			const answer = reply(received, requests.length);
			if (answer === "hang") return;
			const {
				status = 200,
				headers = {},
				body,
			} = answer === "embed"
				? { body: await embeddingResponse(received.body.input ?? []) }
				: answer;
			res.writeHead(status, { "content-type": "application/json", ...headers });
			res.end(body);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const { port } = server.address() as AddressInfo;
	return {
		baseUrl: `http://127.0.0.1:${port}/v1`,
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
