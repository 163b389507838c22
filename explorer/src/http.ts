/** fetch with the explorer's credentials, and the service's typed errors surfaced as ApiError. */
import { authHeaders } from "./auth.js";

/** An error the service answered with (its `code` is agentmem's error code, e.g. PERMISSION_DENIED). */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
	) {
		super(message);
		this.name = "ApiError";
	}
}

/** The service's base URL: the explorer is served at `/` of the service it talks to. */
export const BASE = new URL("./", location.href).href.replace(/\/$/, "");

export async function request(
	method: string,
	path: string,
	body?: unknown,
	accept = "application/json",
	signal?: AbortSignal,
): Promise<Response> {
	const headers: Record<string, string> = { accept, ...authHeaders() };
	if (body !== undefined) headers["content-type"] = "application/json";
	const res = await fetch(BASE + path, {
		method,
		headers,
		body: body === undefined ? undefined : JSON.stringify(body),
		signal,
	});
	if (!res.ok) throw await toError(res);
	return res;
}

export async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
	const res = await request(method, path, body);
	if (res.status === 204) return undefined as T;
	const text = await res.text();
	return (text ? JSON.parse(text) : undefined) as T;
}

async function toError(res: Response): Promise<ApiError> {
	let code = `HTTP_${res.status}`;
	let message = res.statusText || `HTTP ${res.status}`;
	try {
		const body = (await res.json()) as Record<string, unknown>;
		const inner = (typeof body.error === "object" && body.error ? body.error : body) as Record<
			string,
			unknown
		>;
		if (typeof inner.code === "string") code = inner.code;
		if (typeof inner.message === "string") message = inner.message;
		else if (typeof body.error === "string") message = body.error;
	} catch {
		// Not JSON: keep the status line.
	}
	return new ApiError(res.status, code, message);
}

/** What to show for an error: a refusal says so plainly. */
export function describeError(e: unknown): string {
	if (e instanceof ApiError) {
		if (e.status === 401) return `Not signed in or the key/token was refused (${e.message}).`;
		if (e.status === 403 || e.code === "PERMISSION_DENIED")
			return `Refused: this key/token may not do that (${e.message}).`;
		return `${e.code}: ${e.message}`;
	}
	return e instanceof Error ? e.message : String(e);
}
