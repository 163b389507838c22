/**
 * The shape of one API route (see api-table.ts for how the table is read) and the small
 * constructors the topic tables (api-routes-*.ts) are written with.
 */
import type { DatabaseAdapter } from "../core/adapter.js";
import type { Schema } from "./wire.js";

export type HttpVerb = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

type AnyFn = (...args: never[]) => unknown;
type MethodNames<T> = { [K in keyof T]-?: T[K] extends AnyFn ? K : never }[keyof T];

/** Adapter methods that are not one request each (they have dedicated endpoints or none). */
export const LIFECYCLE_METHODS = [
	"init",
	"close",
	"transaction",
	"subscribe",
	"exportRecords",
	"importRecords",
] as const;

/** Every contract method served as one JSON request. */
export type ApiMethod = Exclude<MethodNames<DatabaseAdapter>, (typeof LIFECYCLE_METHODS)[number]>;

export type ArgSpec =
	| { readonly in: "path"; readonly name: string }
	| { readonly in: "query" | "body"; readonly name: string; readonly schema: Schema }
	| {
			readonly in: "query" | "body";
			readonly spread: Schema;
			readonly pathKeys?: readonly string[];
	  };

type Params<K extends ApiMethod> = DatabaseAdapter[K] extends (...args: infer P) => unknown
	? Required<P>
	: never;
/** One `ArgSpec` per element of a parameter tuple (homomorphic, so tuples stay tuples). */
type ArgSpecs<P> = { readonly [I in keyof P]: ArgSpec };

export interface Route<K extends ApiMethod = ApiMethod> {
	readonly verb: HttpVerb;
	/** Fastify path syntax: `/v1/rooms/:roomId/memories`. */
	readonly path: string;
	/** The OpenAPI tag (the contract's topic). */
	readonly tag: string;
	readonly summary: string;
	/** One entry per positional parameter of the method, in order. */
	readonly args: ArgSpecs<Params<K>>;
	/** Schema of the result (inside `{"result": …}`); `null` for a void method (204, no body). */
	readonly result: Schema | null;
	/** A lookup whose path argument is missing resolves to this without a request. */
	readonly absent?: { readonly result: null };
}

export const path = (name: string): ArgSpec => ({ in: "path", name });
export const query = (name: string, schema: Schema): ArgSpec => ({ in: "query", name, schema });
export const body = (name: string, schema: Schema): ArgSpec => ({ in: "body", name, schema });
export const spread = (where: "query" | "body", schema: Schema, pathKeys?: string[]): ArgSpec => ({
	in: where,
	spread: schema,
	...(pathKeys ? { pathKeys } : {}),
});
export const arrayOf = (items: Schema): Schema => ({ type: "array", items });
export const NONE = { absent: { result: null } } as const;
