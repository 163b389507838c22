// One backend, one process, one phase of the ElizaOS runtime test (run.mjs starts it). A real
// AgentRuntime of @elizaos/core 0.1.9 with @elizaos/plugin-bootstrap runs on agentmem as its
// databaseAdapter; each step prints one "@@STEP" JSON line. No unhandledRejection handler is
// installed on purpose: a rejection the runtime leaves unawaited must not kill the process.
//
//   node scenario.mjs <backend> <phase>     phase: first | restart | final
// Environment (set by run.mjs): ELIZA_DIR (its node_modules), AGENTMEM_ROOT (the built package),
// ELIZA_DATA (the backend's database location), OPENAI_API_URL, USE_OPENAI_EMBEDDING=true.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [backend, phase] = process.argv.slice(2);

import { changed, FILE } from "./knowledge-files.mjs";

const { ELIZA_DIR, AGENTMEM_ROOT, ELIZA_DATA, ELIZA_KNOWLEDGE, ELIZA_SUMMARY } = process.env;
const DIM = 1536;

const load = (dir, file) => import(pathToFileURL(join(dir, file)).href);
const eliza = await load(ELIZA_DIR, "node_modules/@elizaos/core/dist/index.js");
const { bootstrapPlugin } = await load(
	ELIZA_DIR,
	"node_modules/@elizaos/plugin-bootstrap/dist/index.js",
);
const { AgentRuntime, CacheManager, DbCacheAdapter, ModelProviderName, stringToUuid } = eliza;
const { composeContext, generateMessageResponse, ModelClass, messageCompletionFooter } = eliza;
const { getEmbeddingZeroVector } = eliza;

let failures = 0;
function report(step, ok, detail = "") {
	if (!ok) failures++;
	process.stdout.write(`@@STEP ${JSON.stringify({ backend, phase, step, ok, detail })}\n`);
}
async function step(name, fn) {
	try {
		const detail = await fn();
		report(name, true, detail ?? "");
	} catch (err) {
		report(name, false, err?.stack ?? String(err));
	}
}
function check(cond, message) {
	if (!cond) throw new Error(message);
}

async function openAdapter() {
	const dist = (p) => load(AGENTMEM_ROOT, `dist/backends/${p}/index.js`);
	if (backend === "sqlite") {
		const { SqliteDatabaseAdapter } = await dist("sqlite");
		return new SqliteDatabaseAdapter({ path: ELIZA_DATA, embeddingDimension: DIM });
	}
	if (backend === "sqljs") {
		// SQL.js lives in memory: persisted as a file image between processes, as its users do.
		const { SqlJsDatabaseAdapter } = await dist("sqljs");
		const bytes = await readFile(ELIZA_DATA).catch(() => undefined);
		return new SqlJsDatabaseAdapter({ bytes, embeddingDimension: DIM });
	}
	if (backend === "pglite") {
		const { PGliteDatabaseAdapter } = await dist("pglite");
		return new PGliteDatabaseAdapter({ dataDir: ELIZA_DATA, embeddingDimension: DIM });
	}
	if (backend === "postgres") {
		const { PostgresDatabaseAdapter } = await dist("postgres");
		return new PostgresDatabaseAdapter({
			connectionString: process.env.AGENTMEM_TEST_POSTGRES_URL,
			schema: ELIZA_DATA,
			embeddingDimension: DIM,
		});
	}
	throw new Error(`unknown backend ${backend}`);
}

async function closeAdapter(adapter) {
	if (backend === "sqljs") await writeFile(ELIZA_DATA, await adapter.export());
	await adapter.close();
}

// A character as ElizaOS's agent loads one: its plugins are objects holding functions, and the
// runtime stores the whole character as the agent account's details.
const character = {
	name: "Zed",
	username: "zed",
	modelProvider: ModelProviderName.OPENAI,
	bio: ["Zed answers questions about bicycles."],
	lore: ["Zed keeps notes about zorblax."],
	messageExamples: [],
	postExamples: [],
	topics: ["bicycles"],
	adjectives: ["helpful"],
	style: { all: [], chat: [], post: [] },
	clients: [],
	plugins: [bootstrapPlugin],
	knowledge: [{ path: FILE, shared: false }],
	settings: { ragKnowledge: true, secrets: {} },
};

function makeRuntime(adapter) {
	return new AgentRuntime({
		character,
		databaseAdapter: adapter,
		cacheManager: new CacheManager(new DbCacheAdapter(adapter, stringToUuid(character.name))),
		modelProvider: ModelProviderName.OPENAI,
		token: "test-key",
		conversationLength: 2, // the facts evaluator reflects every ceil(2 / 2) = 1 message
	});
}

const messageTemplate = `# Task: Generate dialog and actions for the character {{agentName}}.
About {{agentName}}:
{{bio}}
{{knowledge}}
{{providers}}
{{recentMessages}}
{{actions}}
# Instructions: Write the next message for {{agentName}}.
${messageCompletionFooter}`;

const userId = stringToUuid("ada");
const roomId = stringToUuid("eliza-runtime-test-room");

/** One message through the runtime, as a plugin-bootstrap client (client-direct 0.1.9) runs it. */
async function turn(runtime, text, n) {
	await runtime.ensureConnection(userId, roomId, "ada", "Ada", "direct");
	const messageId = stringToUuid(`${phase}-message-${n}`);
	const content = { text, attachments: [], source: "direct", inReplyTo: undefined };
	const userMessage = { content, userId, roomId, agentId: runtime.agentId };
	const memory = {
		id: stringToUuid(`${messageId}-${userId}`),
		...userMessage,
		createdAt: Date.now(),
	};
	await runtime.messageManager.addEmbeddingToMemory(memory);
	await runtime.messageManager.createMemory(memory);
	let state = await runtime.composeState(userMessage, { agentName: runtime.character.name });
	const context = composeContext({ state, template: messageTemplate });
	const response = await generateMessageResponse({
		runtime,
		context,
		modelClass: ModelClass.LARGE,
	});
	const responseMessage = {
		id: stringToUuid(`${messageId}-${runtime.agentId}`),
		...userMessage,
		userId: runtime.agentId,
		content: response,
		embedding: getEmbeddingZeroVector(),
		createdAt: Date.now(),
	};
	await runtime.messageManager.createMemory(responseMessage);
	state = await runtime.updateRecentMessageState(state);
	let replied = null;
	await runtime.processActions(memory, [responseMessage], state, async (newMessages) => {
		replied = newMessages;
		return [memory];
	});
	const evaluated = await runtime.evaluate(memory, state, true);
	return { state, response, replied, evaluated };
}

const scopedId = () => stringToUuid(`private-${FILE}`);
async function knowledgeRows(adapter, agentId) {
	const rows = await adapter.getKnowledge({ agentId });
	const main = rows.find((k) => k.id === scopedId());
	const chunks = rows
		.filter((k) => k.id.startsWith(`${scopedId()}-chunk-`))
		.sort((a, b) => a.content.metadata.chunkIndex - b.content.metadata.chunkIndex);
	return { rows, main, chunks };
}
function checkChunks(chunks, word) {
	check(chunks.length >= 2, `expected the file in several chunks, got ${chunks.length}`);
	chunks.forEach((k, i) => {
		check(k.id === `${scopedId()}-chunk-${i}`, `chunk ${i} has id ${k.id}`);
		check(k.content.text.includes(word), `chunk ${i} is not about ${word}`);
		check(k.embedding?.length === DIM, `chunk ${i} has no ${DIM}-dim embedding`);
	});
}

const counts = async (adapter, agentId) => ({
	messages: (await adapter.getMemories({ roomId, tableName: "messages" })).length,
	facts: (await adapter.getMemories({ roomId, tableName: "facts" })).map((m) => m.content.text),
	goals: (await adapter.getGoals({ roomId })).map((g) => `${g.name}:${g.status}`),
	knowledge: (await adapter.getKnowledge({ agentId })).map((k) => `${k.id}@${k.createdAt}`).sort(),
});

// What the previous phase (process) left, to compare after a restart.
const summaryFile = ELIZA_SUMMARY;

let adapter;
await step("open adapter", async () => {
	adapter = await openAdapter();
	await adapter.init();
});
if (!adapter) process.exit(1);

let runtime;
await step(
	"runtime constructed; agent account created (character with plugins as details)",
	async () => {
		runtime = makeRuntime(adapter);
		// The constructor creates the account without awaiting it: wait for it to land.
		let account = null;
		for (let i = 0; i < 100 && !account; i++) {
			account = await adapter.getAccountById(runtime.agentId);
			if (!account) await new Promise((r) => setTimeout(r, 50));
		}
		check(account, "the agent's account was never created");
		check(account.details?.name === "Zed", "details do not hold the character");
		check(Array.isArray(account.details?.plugins), "details.plugins missing");
		check(
			account.details.plugins[0]?.name === "bootstrap" &&
				!("handler" in account.details.plugins[0]),
			"plugins not stored as JSON.stringify stores them",
		);
		return `details keys: ${Object.keys(account.details).length}`;
	},
);

if (phase === "first") {
	await step("initialize: the character's file is stored as <uuid>-chunk-<n> chunks", async () => {
		await runtime.initialize();
		const { main, chunks } = await knowledgeRows(adapter, runtime.agentId);
		check(main, `main document ${scopedId()} missing`);
		checkChunks(chunks, "zorblax");
		const byId = await adapter.getKnowledge({ agentId: runtime.agentId, id: chunks[1].id });
		check(byId.length === 1 && byId[0].id === chunks[1].id, "getKnowledge by chunk id failed");
		return `${chunks.length} chunks`;
	});

	const goalId = stringToUuid("goal-learn-zorblax");
	const texts = [
		"Hi Zed, I am Ada. I live in Lisbon.",
		"Tell me about zorblax",
		"Thanks! What else about zorblax?",
	];
	for (const [i, text] of texts.entries()) {
		await step(
			`conversation turn ${i + 1} (message flow, composeState, processActions, evaluate)`,
			async () => {
				if (i === 2) {
					await adapter.createGoal({
						id: goalId,
						roomId,
						userId,
						name: "Learn about zorblax",
						status: "IN_PROGRESS",
						objectives: [{ description: "Ask what zorblax is", completed: false }],
					});
				}
				const { state, response, replied, evaluated } = await turn(runtime, text, i + 1);
				check(response?.text, "no response from the model");
				check(replied === null || Array.isArray(replied), "bad action callback");
				const stored = await adapter.getMemories({ roomId, tableName: "messages" });
				check(
					stored.length === 2 * (i + 1),
					`expected ${2 * (i + 1)} messages, got ${stored.length}`,
				);
				check(evaluated?.includes("GET_FACTS"), `evaluators chosen: ${JSON.stringify(evaluated)}`);
				if (i >= 1) {
					const ids = (state.ragKnowledgeData ?? []).map((k) => k.id);
					check(
						ids.some((id) => id.startsWith(`${scopedId()}-chunk-`)),
						`composeState's RAG knowledge holds no chunk of the file: ${JSON.stringify(ids)}`,
					);
					check(/zorblax is a/.test(state.knowledge), "state.knowledge lacks the file's text");
				}
				return `reply: ${response.text}`;
			},
		);
	}

	await step("facts evaluator stored its fact (memory without id)", async () => {
		const facts = (await adapter.getMemories({ roomId, tableName: "facts" })).map(
			(m) => m.content.text,
		);
		check(facts.includes("Ada lives in Lisbon"), `facts: ${JSON.stringify(facts)}`);
		return `${facts.length} fact memories`;
	});

	await step("goal evaluator updated the goal", async () => {
		const [goal] = await adapter.getGoals({ roomId });
		check(goal?.status === "DONE", `goal: ${JSON.stringify(goal)}`);
	});

	await step(
		"RAG search (ragKnowledgeManager.getKnowledge) returns the file's chunks",
		async () => {
			const found = await runtime.ragKnowledgeManager.getKnowledge({
				query: "tell me about zorblax",
				limit: 10,
			});
			const chunkIds = found.map((k) => k.id).filter((id) => id.startsWith(`${scopedId()}-chunk-`));
			check(chunkIds.length >= 2, `found: ${JSON.stringify(found.map((k) => k.id))}`);
			check(
				found.every((k) => k.id === scopedId() || k.id.startsWith(`${scopedId()}-chunk-`)),
				"found items of another file",
			);
			return `${chunkIds.length} chunks found`;
		},
	);
}

if (phase === "restart") {
	await step("restart: conversation, facts, goal, knowledge and account kept", async () => {
		const before = JSON.parse(await readFile(summaryFile, "utf8"));
		const now = await counts(adapter, runtime.agentId);
		check(now.messages === before.messages, `messages ${before.messages} -> ${now.messages}`);
		check(JSON.stringify(now.facts) === JSON.stringify(before.facts), "facts changed");
		check(JSON.stringify(now.goals) === JSON.stringify(before.goals), "goals changed");
		check(JSON.stringify(now.knowledge) === JSON.stringify(before.knowledge), "knowledge changed");
		return `${now.messages} messages, ${now.knowledge.length} knowledge items`;
	});

	await step("re-initialize with the file unchanged: nothing re-processed", async () => {
		const before = await counts(adapter, runtime.agentId);
		await runtime.initialize();
		const after = await counts(adapter, runtime.agentId);
		check(JSON.stringify(after.knowledge) === JSON.stringify(before.knowledge), "re-processed");
	});

	await step("file changed: old chunks removed (<uuid>-chunk-*), new chunks stored", async () => {
		const old = await knowledgeRows(adapter, runtime.agentId);
		await writeFile(join(ELIZA_KNOWLEDGE, FILE), changed);
		await runtime.initialize();
		const { rows, main, chunks } = await knowledgeRows(adapter, runtime.agentId);
		check(main?.content.text === changed, "main document not replaced");
		checkChunks(chunks, "quintessa");
		check(chunks.length < old.chunks.length, "the test needs the new file to be shorter");
		check(!rows.some((k) => k.content.text.includes("zorblax")), "an old chunk is left");
		check(rows.length === chunks.length + 1, `unexpected items: ${rows.map((k) => k.id)}`);
		return `${old.chunks.length} chunks -> ${chunks.length}`;
	});

	await step("RAG search finds the changed file", async () => {
		const found = await runtime.ragKnowledgeManager.getKnowledge({
			query: "tell me about quintessa",
			limit: 10,
		});
		check(
			found.some((k) => k.id.startsWith(`${scopedId()}-chunk-`)),
			`found: ${JSON.stringify(found.map((k) => k.id))}`,
		);
	});
}

if (phase === "final") {
	await step("restart after the change: the changed file's chunks kept", async () => {
		const before = JSON.parse(await readFile(summaryFile, "utf8"));
		const now = await counts(adapter, runtime.agentId);
		check(JSON.stringify(now) === JSON.stringify(before), "state changed across the restart");
		const { chunks } = await knowledgeRows(adapter, runtime.agentId);
		checkChunks(chunks, "quintessa");
	});
}

await step("close", async () => {
	await writeFile(summaryFile, JSON.stringify(await counts(adapter, runtime.agentId)));
	await closeAdapter(adapter);
});
process.stdout.write(`@@DONE ${JSON.stringify({ backend, phase, failures })}\n`);
process.exit(failures ? 1 : 0);
