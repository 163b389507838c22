/**
 * The routes of interactive transactions (transactions.ts): begin, commit, rollback. The server
 * says, per request, which adapter it acts on and for whom; a call carrying the transaction
 * header is dispatched to the transaction's `tx` by the server itself (`TransactionRegistry.acquire`).
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { DatabaseAdapter } from "../core/adapter.js";
import { ERROR_OUT, ID, object } from "./schemas.js";
import { TRANSACTION_ROUTES, type TransactionRegistry } from "./transactions.js";

export interface TransactionRequest {
	/** The adapter the request acts on: the service's, a user's view, or a transaction's `tx`. */
	target: DatabaseAdapter;
	/** Who may use the transaction (`service`, or `user:<sub>`). */
	owner: string;
	/**
	 * Keeps the request's target open past the request (a user's view that a transaction now
	 * holds); returns what closes it, or undefined when there is nothing to close.
	 */
	keep(): (() => void) | undefined;
}

/** The owner of a caller: the service role, or one user. */
export function ownerOf(caller: { kind: "service" } | { kind: "user"; claims: { sub?: unknown } }) {
	return caller.kind === "service" ? "service" : `user:${String(caller.claims.sub)}`;
}

export function registerTransactionRoutes(
	app: FastifyInstance,
	registry: TransactionRegistry,
	requestOf: (req: FastifyRequest) => TransactionRequest,
): void {
	const idParams = object({ id: ID }, ["id"]);
	app.post(
		TRANSACTION_ROUTES.begin.path,
		{
			schema: {
				summary:
					"Begins a transaction (a savepoint inside the one the request's agentmem-transaction header names).",
				tags: ["transactions"],
				operationId: "beginTransaction",
				response: { 200: object({ result: object({ id: ID }) }), "4xx": ERROR_OUT },
			},
		},
		async (req) => {
			const { target, owner, keep } = requestOf(req);
			const close = keep();
			return { result: { id: await registry.begin(target, owner, close) } };
		},
	);
	for (const what of ["commit", "rollback"] as const) {
		app.post(
			TRANSACTION_ROUTES[what].path,
			{
				schema: {
					summary: what === "commit" ? "Commits the transaction." : "Rolls the transaction back.",
					tags: ["transactions"],
					operationId: `${what}Transaction`,
					params: idParams,
					response: { "4xx": ERROR_OUT },
				},
			},
			async (req, reply) => {
				const { owner } = requestOf(req);
				const { id } = req.params as { id: string };
				await registry[what](id, owner);
				return reply.code(204).send();
			},
		);
	}
}
