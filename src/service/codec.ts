/**
 * The generic codec of the API table (api-table.ts): a call's positional arguments to an HTTP
 * request and back, and its result to a response and back. The remote client uses `encodeCall` and
 * `decodeResult`; the server `decodeCall` and `encodeResult`. Both sides convert vectors with the
 * same schemas (wire.ts), so a round trip through both gives the adapter what it was given.
 */
import { ValidationError } from "../core/errors.js";
import { describe } from "../core/validation.js";
import { type ApiMethod, type ArgSpec, type HttpVerb, routeOf } from "./api-table.js";
import { fromWire, type Schema, toWire } from "./wire.js";

/** A request to send, or (a lookup of a missing id) the result to resolve to without one. */
export type EncodedCall =
	| { readonly local: true; readonly result: unknown }
	| {
			readonly local: false;
			readonly verb: HttpVerb;
			/** Path plus query string, e.g. `/v1/rooms/<id>/memories?tableName=messages`. */
			readonly url: string;
			/** The JSON body (always an object for POST, PUT and PATCH; absent otherwise). */
			readonly body: Record<string, unknown> | undefined;
	  };

/** What the server received, after Fastify parsed and validated it. */
export interface ReceivedRequest {
	readonly params: Record<string, string>;
	readonly query: Record<string, unknown>;
	readonly body: unknown;
}

const isSpread = (a: ArgSpec): a is Extract<ArgSpec, { spread: Schema }> => "spread" in a;

export function encodeCall(method: ApiMethod, args: readonly unknown[]): EncodedCall {
	const route = routeOf(method);
	let path = route.path;
	const query = new URLSearchParams();
	const body: Record<string, unknown> = {};
	const fillPath = (name: string, value: unknown): boolean => {
		if (value === undefined || value === null) {
			if (route.absent) return false;
			throw new ValidationError(name, "expected an id, got nothing");
		}
		if (typeof value !== "string" || value === "")
			throw new ValidationError(name, `expected a UUID string, got ${describe(value)}`);
		path = path.replace(`:${name}`, encodeURIComponent(value));
		return true;
	};
	const specs = route.args as readonly ArgSpec[];
	for (let i = 0; i < specs.length; i++) {
		const spec = specs[i] as ArgSpec;
		const value = args[i];
		if (spec.in === "path") {
			if (!fillPath(spec.name, value)) return { local: true, result: route.absent?.result };
		} else if (!isSpread(spec)) {
			if (spec.in === "query") setQuery(query, spec.name, spec.schema, value);
			else if (value !== undefined) body[spec.name] = toWire(spec.schema, value);
		} else if (value !== undefined) {
			if (value === null || typeof value !== "object" || Array.isArray(value))
				throw new ValidationError("params", `expected an object, got ${describe(value)}`);
			const props = (spec.spread.properties ?? {}) as Record<string, Schema>;
			for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
				if (spec.pathKeys?.includes(key)) fillPath(key, v);
				else if (spec.in === "query") setQuery(query, key, props[key], v);
				else if (v !== undefined) body[key] = toWire(props[key], v);
			}
			for (const key of spec.pathKeys ?? [])
				if (!(key in (value as object))) fillPath(key, undefined);
		}
	}
	const qs = query.toString();
	const hasBody = route.verb === "POST" || route.verb === "PUT" || route.verb === "PATCH";
	return {
		local: false,
		verb: route.verb,
		url: qs ? `${path}?${qs}` : path,
		body: hasBody ? body : undefined,
	};
}

/** A query value must be a scalar of the schema's type: anything else could not round-trip. */
function setQuery(
	query: URLSearchParams,
	name: string,
	schema: Schema | undefined,
	value: unknown,
) {
	if (value === undefined || value === null) return;
	const type = schema?.type;
	const ok =
		type === "string"
			? typeof value === "string"
			: type === "number" || type === "integer"
				? typeof value === "number"
				: type === "boolean"
					? typeof value === "boolean"
					: ["string", "number", "boolean"].includes(typeof value);
	if (!ok)
		throw new ValidationError(name, `expected a ${type ?? "scalar"}, got ${describe(value)}`);
	query.set(name, String(value));
}

/** The positional arguments of the call a request encodes (vectors decoded). */
export function decodeCall(method: ApiMethod, req: ReceivedRequest): unknown[] {
	const route = routeOf(method);
	const specs = route.args as readonly ArgSpec[];
	const body = (req.body ?? {}) as Record<string, unknown>;
	const named = new Set(specs.flatMap((s) => (isSpread(s) ? [] : [s.name])));
	const args = specs.map((spec) => {
		if (spec.in === "path") return req.params[spec.name];
		if (!isSpread(spec))
			return spec.in === "query"
				? req.query[spec.name]
				: fromWire(spec.schema, body[spec.name], spec.name);
		const source = spec.in === "query" ? req.query : body;
		const obj: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(source)) if (!named.has(k)) obj[k] = v;
		for (const k of spec.pathKeys ?? []) obj[k] = req.params[k];
		return fromWire(spec.spread, obj, "params");
	});
	while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
	return args;
}

/** The response of a result: 204 for a void method, else 200 `{"result": …}` (`{}` for undefined). */
export function encodeResult(
	method: ApiMethod,
	value: unknown,
): { status: 200 | 204; body?: Record<string, unknown> } {
	const schema = routeOf(method).result;
	if (schema === null) return { status: 204 };
	if (value === undefined) return { status: 200, body: {} };
	return { status: 200, body: { result: toWire(schema, value) } };
}

/** The contract's value of a successful response body (`undefined` for 204 or no `result`). */
export function decodeResult(method: ApiMethod, body: unknown): unknown {
	const schema = routeOf(method).result;
	if (schema === null || body === null || typeof body !== "object") return undefined;
	if (!("result" in body)) return undefined;
	return fromWire(schema, (body as { result: unknown }).result, "result");
}
