/**
 * The Fastify schema of each table route (params, querystring, body, responses), derived from its
 * `args` and `result`: what validates requests, serialises responses and becomes /openapi.json.
 */
import { type ApiMethod, type ArgSpec, routeOf } from "./api-table.js";
import { ERROR_OUT, ID, object } from "./schemas.js";
import type { Schema } from "./wire.js";

export interface FastifyRouteSchema {
	summary: string;
	tags: string[];
	operationId: string;
	params?: Schema;
	querystring?: Schema;
	body?: Schema;
	response: Record<string, Schema>;
}

export function routeSchema(method: ApiMethod): FastifyRouteSchema {
	const route = routeOf(method);
	const params: Record<string, Schema> = {};
	const query: Record<string, Schema> = {};
	const body: Record<string, Schema> = {};
	const queryRequired: string[] = [];
	const bodyRequired: string[] = [];
	for (const spec of route.args as readonly ArgSpec[]) {
		if (spec.in === "path") params[spec.name] = ID;
		else if (!("spread" in spec)) (spec.in === "query" ? query : body)[spec.name] = spec.schema;
		else {
			const props = (spec.spread.properties ?? {}) as Record<string, Schema>;
			for (const [key, schema] of Object.entries(props)) {
				if (spec.pathKeys?.includes(key)) params[key] = ID;
				else (spec.in === "query" ? query : body)[key] = schema;
			}
			const required = ((spec.spread.required ?? []) as string[]).filter(
				(k) => !spec.pathKeys?.includes(k),
			);
			(spec.in === "query" ? queryRequired : bodyRequired).push(...required);
		}
	}
	const hasBody = route.verb === "POST" || route.verb === "PUT" || route.verb === "PATCH";
	const ok: Record<string, Schema> =
		route.result === null
			? { 204: { type: "null", description: "Done (no content)." } }
			: {
					200: {
						...object({ result: route.result }),
						description: "`result` holds the call's value (absent when it is undefined).",
					},
				};
	return {
		summary: route.summary,
		tags: [route.tag],
		operationId: method,
		...(Object.keys(params).length ? { params: object(params, Object.keys(params)) } : {}),
		...(Object.keys(query).length ? { querystring: object(query, queryRequired) } : {}),
		...(hasBody ? { body: object(body, bodyRequired) } : {}),
		response: { ...ok, "4xx": ERROR_OUT, "5xx": ERROR_OUT },
	};
}
