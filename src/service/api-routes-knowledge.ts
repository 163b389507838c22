/**
 * The routes of the knowledge base and the calls beyond ElizaOS's contract.
 * api-table.ts composes the topics and checks that every contract method has a route.
 */
import { type ApiMethod, arrayOf, path, query, type Route, spread } from "./api-route.js";
import * as S from "./schemas.js";
import { VECTOR_IN } from "./wire.js";

const { ANY, BOOLEAN, ID_IN, NUMBER, STRING, object } = S;

export const KNOWLEDGE_ROUTES = {
	// ---- knowledge ----
	getKnowledge: {
		...{ verb: "GET", path: "/v1/knowledge", tag: "knowledge" },
		summary: "Knowledge items of the agent plus shared ones (or the one with `id`).",
		args: [
			spread(
				"query",
				object({
					id: STRING,
					agentId: STRING,
					limit: NUMBER,
					query: STRING,
					conversationContext: STRING,
				}),
			),
		],
		result: arrayOf(S.KNOWLEDGE_OUT),
	},
	searchKnowledge: {
		...{ verb: "POST", path: "/v1/knowledge/search", tag: "knowledge" },
		summary: "The knowledge items most similar to `embedding`.",
		args: [
			spread(
				"body",
				object({
					agentId: ID_IN,
					embedding: VECTOR_IN,
					match_threshold: NUMBER,
					match_count: NUMBER,
					searchText: ANY,
				}),
			),
		],
		result: arrayOf(S.KNOWLEDGE_OUT),
	},
	createKnowledge: {
		...{ verb: "POST", path: "/v1/knowledge", tag: "knowledge" },
		summary: "Stores a knowledge item; an existing id is replaced.",
		args: [spread("body", S.KNOWLEDGE_IN)],
		result: null,
	},
	removeKnowledge: {
		...{ verb: "DELETE", path: "/v1/knowledge/:id", tag: "knowledge" },
		summary: "Removes the item (and its chunks); `<uuid>-chunk-*` removes every chunk.",
		args: [path("id")],
		result: null,
	},
	clearKnowledge: {
		...{ verb: "DELETE", path: "/v1/agents/:agentId/knowledge", tag: "knowledge" },
		summary: "Removes the agent's items (with `shared`, also its shared ones).",
		args: [path("agentId"), query("shared", BOOLEAN)],
		result: null,
	},
	// ---- beyond ElizaOS ----
	stats: {
		...{ verb: "GET", path: "/v1/stats", tag: "database" },
		summary: "Counts of every record kind, and the embedding dimension and model.",
		args: [],
		result: S.STATS_OUT,
	},
	testConnection: {
		...{ verb: "GET", path: "/v1/connection", tag: "database" },
		summary: "The health check: true, or the typed error saying what is wrong.",
		args: [],
		result: BOOLEAN,
	},
} as const satisfies { readonly [K in ApiMethod]?: Route<K> };
