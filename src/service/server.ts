/**
 * `createServer({ adapter, apiKey, jwt })`: the memory service, a Fastify app built from the API
 * table (api-table.ts). Every contract call is one JSON route under /v1; Fastify's schemas
 * validate requests (bodies without type coercion, so a wrong type is refused, never converted)
 * and serialise responses. Also: SSE events (events.ts), /health, /ready, /metrics, /openapi.json
 * and /docs. `app.close()` is the graceful shutdown: it stops accepting, lets in-flight requests
 * finish, ends SSE streams, then closes the adapter when `closeAdapter` is set.
 */
import { Ajv } from "ajv";
import Fastify, { type FastifyInstance, type FastifyRequest } from "fastify";
import type { DatabaseAdapter } from "../core/adapter.js";
import { ValidationError } from "../core/errors.js";
import type { SubscribeFilter } from "../core/types.js";
import * as v from "../core/validation.js";
import { API_METHODS, DEDICATED_ROUTES, routeOf } from "./api-table.js";
import {
	Authenticator,
	type AuthOptions,
	adapterFor,
	assertSafeBinding,
	type Caller,
} from "./auth.js";
import { decodeCall, encodeResult } from "./codec.js";
import { describeError, errorHandler } from "./errors.js";
import { EventLog, openStream, type SseStream } from "./events.js";
import { type ExplorerRoutesOptions, registerExplorerRoutes } from "./explorer-routes.js";
import { ServiceMetrics } from "./metrics.js";
import { registerDocs } from "./openapi.js";
import { registerPortableRoutes } from "./portable-routes.js";
import { applyResultCap } from "./result-cap.js";
import { routeSchema } from "./route-schemas.js";
import { CAPABILITIES_OUT, ERROR_OUT, object, STRING } from "./schemas.js";
import { ownerOf, registerTransactionRoutes } from "./transaction-routes.js";
import {
	TRANSACTION_HEADER,
	type TransactionOptions,
	TransactionRegistry,
} from "./transactions.js";

export interface ServiceOptions extends AuthOptions {
	adapter: DatabaseAdapter;
	/** The explorer at `/` (explorer-routes.ts): where its built files are, the embedder for query texts. */
	explorer?: Omit<ExplorerRoutesOptions, "adapterFor">;
	/** The host the server will listen on: refused when not loopback and no `apiKey` is set. */
	host?: string;
	/** Largest request body in bytes. Default 32 MiB. */
	bodyLimit?: number;
	/**
	 * Most rows one response holds (result-cap.ts): a larger count is refused, and a call without
	 * a count whose result would be larger is refused (never truncated). Default 10,000.
	 */
	maxResults?: number;
	/** Milliseconds between SSE heartbeat comments. Default 15,000. */
	heartbeatMs?: number;
	/** Events kept for `Last-Event-ID` resume. Default 1,000. */
	resumeBuffer?: number;
	/** Interactive transactions (transactions.ts): idle timeout and how many may be open. */
	transactions?: TransactionOptions;
	/** Close the adapter when the server closes. Default false (the caller owns it). */
	closeAdapter?: boolean;
	/** Fastify's pino logger: `false` (default) or its options. Bodies and secrets are never logged. */
	logger?: boolean | Record<string, unknown>;
}

export const DEFAULT_BODY_LIMIT = 32 * 1024 * 1024;
export const DEFAULT_MAX_RESULTS = 10_000;
interface RequestState {
	caller: Caller;
	target: DatabaseAdapter;
	started: bigint;
	/** The transaction the request runs in (its `agentmem-transaction` header). */
	txId?: string;
	/** The target outlives the request (a transaction holds the user's view). */
	kept?: boolean;
}

export async function createServer(options: ServiceOptions): Promise<FastifyInstance> {
	const { adapter } = options;
	if (options.host !== undefined) assertSafeBinding(options.host, options.apiKey);
	const auth = new Authenticator(options);
	const maxResults = options.maxResults ?? DEFAULT_MAX_RESULTS;
	const metrics = new ServiceMetrics(adapter);
	const log = new EventLog(adapter, options.resumeBuffer ?? 1000);
	const streams = new Set<SseStream>();
	const states = new WeakMap<FastifyRequest, RequestState>();
	const transactions = new TransactionRegistry(options.transactions);

	const app = Fastify({
		bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
		logger: loggerOptions(options.logger),
		return503OnClosing: true,
		forceCloseConnections: "idle",
	});
	const ajvBody = new Ajv({ allowUnionTypes: true, strict: false, coerceTypes: false });
	const ajvQuery = new Ajv({ allowUnionTypes: true, strict: false, coerceTypes: true });
	app.setValidatorCompiler(({ schema, httpPart }) =>
		(httpPart === "body" ? ajvBody : ajvQuery).compile(schema),
	);
	app.setErrorHandler(errorHandler);
	app.setNotFoundHandler((req, reply) => {
		reply.code(404).send({
			error: { code: "NOT_FOUND", message: `no route ${req.method} ${req.url.split("?")[0]}` },
		});
	});
	await registerDocs(app);

	// Who the request acts as, before its body is read: a refused request never reaches the adapter.
	app.addHook("onRequest", async (req) => {
		const started = process.hrtime.bigint();
		if (!req.url.startsWith("/v1/")) return;
		const caller = await auth.callerOf(req.headers);
		const txId = req.headers[TRANSACTION_HEADER];
		if (typeof txId === "string") {
			// A call inside a transaction the caller began: it runs on that transaction's `tx`.
			const target = transactions.acquire(txId, ownerOf(caller));
			states.set(req, { caller, target, started, txId });
			return;
		}
		states.set(req, { caller, target: adapterFor(adapter, caller), started });
	});
	app.addHook("onResponse", async (req, reply) => {
		const state = states.get(req);
		const route = req.routeOptions.url ?? "unmatched";
		const seconds = state
			? Number(process.hrtime.bigint() - state.started) / 1e9
			: reply.elapsedTime / 1000;
		metrics.observe(req.method, route, reply.statusCode, seconds);
		if (state?.txId !== undefined) transactions.release(state.txId);
		// A user's view ends with its request, unless a transaction or an event stream keeps it.
		else if (state && !state.kept && state.target !== adapter)
			await state.target.close().catch(() => {});
	});

	const targetOf = (req: FastifyRequest): DatabaseAdapter => {
		const state = states.get(req);
		if (!state) throw new ValidationError("request", "not an API request");
		return state.target;
	};

	for (const method of API_METHODS) {
		const route = routeOf(method);
		app.route({
			method: route.verb,
			url: route.path,
			schema: routeSchema(method),
			handler: async (req, reply) => {
				const args = decodeCall(method, {
					params: req.params as Record<string, string>,
					query: (req.query ?? {}) as Record<string, unknown>,
					body: req.body,
				});
				const checkCap = applyResultCap(method, args, maxResults);
				const target = targetOf(req) as unknown as Record<string, (...a: unknown[]) => unknown>;
				const value = await (target[method] as (...a: unknown[]) => Promise<unknown>).apply(
					target,
					args,
				);
				checkCap?.(value);
				const out = encodeResult(method, value);
				reply.code(out.status);
				return out.status === 204 ? reply.send() : out.body;
			},
		});
	}

	app.get(
		DEDICATED_ROUTES.capabilities.path,
		{
			schema: {
				summary: "What the served backend supports.",
				tags: ["database"],
				operationId: "capabilities",
				response: { 200: object({ result: CAPABILITIES_OUT }), "4xx": ERROR_OUT },
			},
		},
		async () => ({ result: adapter.capabilities }),
	);

	app.get(
		DEDICATED_ROUTES.events.path,
		{
			schema: {
				summary: "Memory events as Server-Sent Events (filter by tableName and roomId).",
				tags: ["events"],
				operationId: "events",
				querystring: object({ tableName: STRING, roomId: STRING }),
			},
		},
		async (req, reply) => {
			const state = states.get(req) as RequestState;
			const q = req.query as { tableName?: string; roomId?: string };
			// The filter's checks (a bad roomId is a 400) before the stream starts.
			const filter: SubscribeFilter = {};
			if (q.tableName !== undefined) {
				v.assertTableName(q.tableName, "tableName");
				filter.tableName = q.tableName;
			}
			const roomId = v.optionalUuid(q.roomId, "roomId");
			if (roomId) filter.roomId = roomId;
			if (state.txId !== undefined)
				throw new ValidationError(
					TRANSACTION_HEADER,
					"an event stream is not part of a transaction",
				);
			// From here the stream owns a user's view: it closes it when it ends.
			state.kept = true;
			const closeView = () => {
				if (state.target !== adapter) void state.target.close().catch(() => {});
			};
			reply.hijack();
			const lastEventId = req.headers["last-event-id"];
			try {
				const stream = await openStream(reply.raw, {
					log,
					target: state.target,
					asUser: state.caller.kind === "user",
					filter,
					lastEventId: typeof lastEventId === "string" ? lastEventId : undefined,
					heartbeatMs: options.heartbeatMs ?? 15_000,
					onEnd: () => {
						streams.delete(stream);
						metrics.sseStreams.dec();
						closeView();
					},
				});
				streams.add(stream);
				metrics.sseStreams.inc();
			} catch (err) {
				closeView();
				const { status, body } = describeError(err);
				if (!reply.raw.headersSent)
					reply.raw.writeHead(status, { "content-type": "application/json" });
				reply.raw.end(JSON.stringify(body));
			}
		},
	);

	registerPortableRoutes(app, targetOf);
	await registerExplorerRoutes(app, { ...options.explorer, adapterFor: targetOf });
	registerTransactionRoutes(app, transactions, (req) => {
		const state = states.get(req);
		if (!state) throw new ValidationError("request", "not an API request");
		return {
			target: state.target,
			owner: ownerOf(state.caller),
			keep() {
				if (state.txId !== undefined || state.target === adapter) return undefined;
				state.kept = true;
				const view = state.target;
				return () => void view.close().catch(() => {});
			},
		};
	});

	app.get(DEDICATED_ROUTES.health.path, { schema: { hide: true } }, async () => ({ status: "ok" }));
	app.get(DEDICATED_ROUTES.ready.path, { schema: { hide: true } }, async (_req, reply) => {
		try {
			await adapter.testConnection();
			return { status: "ready" };
		} catch (err) {
			const { body } = describeError(err);
			return reply.code(503).send(body);
		}
	});
	app.get(DEDICATED_ROUTES.metrics.path, { schema: { hide: true } }, async (_req, reply) => {
		reply.header("content-type", metrics.registry.contentType);
		return metrics.registry.metrics();
	});

	app.addHook("preClose", async () => {
		for (const s of [...streams]) s.close();
	});
	app.addHook("onClose", async () => {
		await log.stop().catch(() => {});
		// Open transactions were never acknowledged as committed: they roll back.
		await transactions.closeAll();
		if (options.closeAdapter) await adapter.close();
	});
	return app;
}

/** Request logs: method, route path (no query string: it may hold cache keys or query text), status, time. */
function loggerOptions(logger: ServiceOptions["logger"]) {
	if (!logger) return false;
	return {
		...(typeof logger === "object" ? logger : {}),
		redact: ["req.headers.authorization", "req.headers.apikey", "req.headers.cookie"],
		serializers: {
			req(req: { method: string; url: string; id: string; ip?: string }) {
				return { id: req.id, method: req.method, path: req.url.split("?")[0], ip: req.ip };
			},
		},
	};
}
