// A local OpenAI-compatible model server for the ElizaOS runtime test: a real HTTP server on
// 127.0.0.1 speaking the chat-completions and embeddings protocol, with deterministic answers.
// Embeddings are hashed bags of words plus a heavy axis per topic word, so texts about one topic
// are near (cosine > 0.95, above ElizaOS's RAG threshold of 0.85) and other texts are not.
import { createHash } from "node:crypto";
import { createServer } from "node:http";

export const DIMENSIONS = 1536;
/** Topic words with an axis each (the knowledge files are about these). */
export const TOPICS = ["zorblax", "quintessa"];
const TOPIC_WEIGHT = 60;

export function embedText(text, dimensions = DIMENSIONS) {
	const v = new Float64Array(dimensions);
	const words =
		String(text)
			.toLowerCase()
			.match(/[a-z0-9]+/g) ?? [];
	for (const w of words) {
		const h = createHash("sha256").update(w).digest();
		const i = TOPICS.length + (h.readUInt32LE(0) % (dimensions - TOPICS.length));
		v[i] += h[4] & 1 ? 1 : -1;
	}
	TOPICS.forEach((topic, axis) => {
		if (words.includes(topic)) v[axis] += TOPIC_WEIGHT;
	});
	let norm = Math.hypot(...v);
	if (norm === 0) {
		v[dimensions - 1] = 1;
		norm = 1;
	}
	return Array.from(v, (x) => x / norm);
}

const json = (body) => ["```json", JSON.stringify(body, null, 2), "```"].join("\n");

/** What the model answers to one prompt, by which ElizaOS template asked. */
function answer(prompt, counts) {
	if (prompt.includes("TASK: Extract Claims")) {
		counts.facts++;
		return json([
			{ claim: "Ada lives in Lisbon", type: "fact", in_bio: false, already_known: false },
			{ claim: "Ada likes tea", type: "opinion", in_bio: false, already_known: false },
		]);
	}
	if (prompt.includes("TASK: Update Goal")) {
		counts.goals++;
		const task = prompt.slice(prompt.indexOf("# START OF ACTUAL TASK INFORMATION"));
		const ids = [...task.matchAll(/id: ([0-9a-f-]{36})/g)].map((m) => m[1]);
		return json(ids.map((id) => ({ id, status: "DONE" })));
	}
	if (prompt.includes("Evaluator Functions:")) {
		counts.evaluators++;
		return json(["GET_FACTS", "UPDATE_GOAL"]);
	}
	counts.messages++;
	const knows = /zorblax is a/i.test(prompt);
	if (knows) counts.messagesWithKnowledge++;
	return json({
		user: "Zed",
		text: knows
			? `From my notes: zorblax is a folding bicycle (reply ${counts.messages}).`
			: `I do not know yet (reply ${counts.messages}).`,
		action: "NONE",
	});
}

function readBody(req) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		req.on("data", (c) => chunks.push(c));
		req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
		req.on("error", reject);
	});
}

/** Starts the server on a free port; resolves to `{ url, counts, close }`. */
export async function startFakeOpenAI() {
	const counts = { embeddings: 0, messages: 0, messagesWithKnowledge: 0, evaluators: 0 };
	Object.assign(counts, { facts: 0, goals: 0, unknown: 0 });
	const server = createServer(async (req, res) => {
		const send = (status, body) => {
			res.writeHead(status, { "content-type": "application/json" });
			res.end(JSON.stringify(body));
		};
		try {
			const body = req.method === "POST" ? JSON.parse((await readBody(req)) || "{}") : {};
			if (req.url?.endsWith("/embeddings")) {
				const inputs = Array.isArray(body.input) ? body.input : [body.input];
				counts.embeddings += inputs.length;
				const dims = Number(body.dimensions) || DIMENSIONS;
				return send(200, {
					object: "list",
					model: body.model ?? "text-embedding-3-small",
					data: inputs.map((text, index) => ({
						object: "embedding",
						index,
						embedding: embedText(text, dims),
					})),
					usage: { prompt_tokens: 1, total_tokens: 1 },
				});
			}
			if (req.url?.endsWith("/chat/completions")) {
				const prompt = (body.messages ?? [])
					.map((m) => (typeof m.content === "string" ? m.content : JSON.stringify(m.content)))
					.join("\n");
				return send(200, {
					id: `chatcmpl-${Date.now()}`,
					object: "chat.completion",
					created: Math.floor(Date.now() / 1000),
					model: body.model ?? "gpt-4o",
					choices: [
						{
							index: 0,
							message: { role: "assistant", content: answer(prompt, counts) },
							finish_reason: "stop",
						},
					],
					usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
				});
			}
			counts.unknown++;
			return send(404, { error: { message: `not served here: ${req.method} ${req.url}` } });
		} catch (err) {
			return send(500, { error: { message: String(err) } });
		}
	});
	await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
	const { port } = server.address();
	return {
		url: `http://127.0.0.1:${port}/v1`,
		counts,
		close: () => new Promise((resolve) => server.close(resolve)),
	};
}
