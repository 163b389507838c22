/**
 * `RemoteDatabaseAdapter`: the whole `DatabaseAdapter` over an `agentmem serve` service. Every
 * call of the API table (src/service/api-table.ts) is built generically from the table by its
 * codec: a method added to the contract and given a table entry works here with no code. The rest
 * has dedicated endpoints:
 * - `init()` waits for `/ready` and reads `/v1/capabilities` (those of the database behind the
 *   service); `close()` closes the keep-alive agent and every open subscription.
 * - `transaction(fn)`: the service holds a real transaction open while `fn` runs here
 *   (src/service/transactions.ts); `tx` sends each call with the transaction's header.
 * - `subscribe`: Server-Sent Events from `/v1/events` (sse.ts).
 * - `exportRecords` / `importRecords`: the NDJSON export stream and JSON import batches
 *   (remote-portable.ts).
 * Errors are the typed errors the call throws in process (decode-error.ts).
 */
import type { DatabaseAdapter } from "../core/adapter.js";
import { ClosedError, ConfigurationError } from "../core/errors.js";
import type { ImportOptions, ImportSummary, PortableRecord } from "../core/portable-types.js";
import type {
	AdapterCapabilities,
	MemoryEvent,
	SubscribeFilter,
	Unsubscribe,
} from "../core/types.js";
import { API_METHODS, type ApiMethod, DEDICATED_ROUTES } from "../service/api-table.js";
import { decodeResult, encodeCall } from "../service/codec.js";
import { TRANSACTION_HEADER, TRANSACTION_ROUTES } from "../service/transactions.js";
import { HttpClient, type HttpClientOptions } from "./http.js";
import { assertJsonFaithful } from "./json-safe.js";
import { exportOverHttp, importOverHttp } from "./remote-portable.js";
import { subscribeOverSse } from "./remote-subscribe.js";

export interface RemoteAdapterOptions extends Omit<HttpClientOptions, "baseUrl"> {
	/** The service's URL, `http://host:port` or `https://…`. */
	url: string;
	/** `init()` refuses a service whose database stores another dimension (ConfigurationError). */
	expectDimension?: number | undefined;
}

/** What a transaction's `tx` shares with the adapter that began it. */
interface Shared {
	http: HttpClient;
	capabilities: AdapterCapabilities | undefined;
	expectDimension: number | undefined;
	streams: Set<{ close(): Promise<void> }>;
}

// The table's calls are added to the prototype below, one per API_TABLE entry.
export interface RemoteDatabaseAdapter extends Pick<DatabaseAdapter, ApiMethod> {}

// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: see the interface above.
export class RemoteDatabaseAdapter implements DatabaseAdapter {
	private readonly shared: Shared;
	/** The transaction this adapter's calls run in (a `tx`), if any. */
	private readonly txId: string | undefined;
	private finished = false;

	constructor(options: RemoteAdapterOptions);
	/** @internal a transaction's `tx`. */
	constructor(options: Shared, txId: string);
	constructor(options: RemoteAdapterOptions | Shared, txId?: string) {
		if ("http" in options) {
			this.shared = options;
			this.txId = txId;
		} else {
			const { url, expectDimension, ...rest } = options;
			this.shared = {
				http: new HttpClient({ ...rest, baseUrl: url }),
				capabilities: undefined,
				expectDimension,
				streams: new Set(),
			};
		}
	}

	/** The service's URL (any password masked). */
	get url(): string {
		return this.shared.http.shownUrl;
	}

	/** Those of the database behind the service. Valid after `init()`. */
	get capabilities(): AdapterCapabilities {
		const caps = this.shared.capabilities;
		if (!caps)
			throw new ClosedError("RemoteDatabaseAdapter: call init() before reading capabilities.");
		return caps;
	}

	async init(): Promise<void> {
		if (this.shared.capabilities) return;
		await this.shared.http.send({ method: "GET", path: DEDICATED_ROUTES.ready.path });
		const body = await this.shared.http.json<{ result: AdapterCapabilities }>({
			method: "GET",
			path: DEDICATED_ROUTES.capabilities.path,
		});
		const expected = this.shared.expectDimension;
		if (expected !== undefined && expected !== body.result.embeddingDimension)
			throw new ConfigurationError(
				`The service at ${this.url} stores ${body.result.embeddingDimension}-dimensional embeddings, not ${expected}: use its dimension, or a service over another database.`,
			);
		this.shared.capabilities = body.result;
	}

	async close(): Promise<void> {
		if (this.txId !== undefined) return; // a tx's connection is its parent's
		for (const stream of [...this.shared.streams]) await stream.close();
		await this.shared.http.close();
	}

	/** Sends one call of the API table and decodes its result. */
	async call(method: ApiMethod, args: readonly unknown[]): Promise<unknown> {
		const encoded = encodeCall(method, args);
		if (encoded.local) return encoded.result;
		for (const [key, value] of Object.entries(encoded.body ?? {})) assertJsonFaithful(value, key);
		const body = await this.shared.http.json<unknown>({
			method: encoded.verb,
			path: encoded.url,
			body: encoded.body,
			headers: this.headers(),
		});
		return decodeResult(method, body);
	}

	async transaction<T>(fn: (tx: DatabaseAdapter) => Promise<T>): Promise<T> {
		const { http } = this.shared;
		const begun = await http.json<{ result: { id: string } }>({
			method: "POST",
			path: TRANSACTION_ROUTES.begin.path,
			body: {},
			headers: this.headers(),
		});
		const id = begun.result.id;
		const tx = new RemoteDatabaseAdapter(this.shared, id);
		const end = (what: "commit" | "rollback") =>
			http.send({
				method: "POST",
				path: TRANSACTION_ROUTES[what].path.replace(":id", encodeURIComponent(id)),
				body: {},
				headers: this.headers(),
			});
		let result: T;
		try {
			result = await fn(tx);
		} catch (err) {
			tx.finished = true;
			await end("rollback").catch(() => undefined);
			throw err;
		}
		tx.finished = true;
		await end("commit");
		return result;
	}

	async subscribe(
		filter: SubscribeFilter,
		listener: (event: MemoryEvent) => void,
	): Promise<Unsubscribe> {
		this.headers(); // a tx whose transaction ended is refused, like its other calls
		// Events are not transactional (they arrive after commit): a tx's stream is the adapter's.
		return subscribeOverSse(this.shared.http, this.shared.streams, filter, listener, {});
	}

	exportRecords(): AsyncIterable<PortableRecord> {
		return exportOverHttp(this.shared.http, this.headers());
	}

	importRecords(
		records: AsyncIterable<PortableRecord> | Iterable<PortableRecord>,
		options?: ImportOptions,
	): Promise<ImportSummary> {
		return importOverHttp(this.shared.http, this, records, options ?? {});
	}

	/** @internal the headers of this adapter's calls (its transaction's, for a `tx`). */
	headers(): Record<string, string> {
		if (this.txId === undefined) return {};
		if (this.finished)
			throw new ClosedError("This transaction's tx was used after its transaction ended.");
		return { [TRANSACTION_HEADER]: this.txId };
	}
}

for (const method of API_METHODS) {
	Object.defineProperty(RemoteDatabaseAdapter.prototype, method, {
		value(this: RemoteDatabaseAdapter, ...args: unknown[]) {
			return this.call(method, args);
		},
		writable: true,
		configurable: true,
	});
}
