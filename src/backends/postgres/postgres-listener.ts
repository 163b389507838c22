/**
 * The LISTEN connection of the pg backend: a dedicated `pg.Client` (a pooled connection held forever
 * would shrink the pool, and PgBouncer/Supavisor in transaction mode do not keep LISTEN). When the
 * server drops it (restart, pg_terminate_backend, network), it reconnects with exponential backoff
 * and jitter until stopped, then tells `onResume` (notifications sent while it was down are lost;
 * the subscribe hub reads what it missed from the outbox).
 */
import type { Client, ClientConfig } from "pg";
import { backoffDelay } from "../../core/backoff.js";
import { ConfigurationError } from "../../core/errors.js";
import type { PgPool } from "./pg-types.js";
import { wrapPostgresError } from "./postgres-errors.js";
import { type ChannelListener, NOTIFY_SQL } from "./postgres-notify.js";

export interface PgChannelListenerOptions {
	/** Connection settings of the LISTEN connection (a direct or session-mode connection). */
	config: ClientConfig;
	/** A fixed identifier, never user input. */
	channel: string;
	/** Told about connection errors of the LISTEN connection (it reconnects by itself). */
	onError?: (err: Error) => void;
	/** First reconnect delay, doubled per failed attempt. Default 100 ms. */
	minDelayMs?: number;
	/** Longest reconnect delay. Default 5000 ms. */
	maxDelayMs?: number;
}

const CHANNEL_RE = /^[a-z_][a-z0-9_]{0,62}$/;
/** How the LISTEN connection shows in pg_stat_activity (unless the config names another). */
export const LISTENER_APPLICATION_NAME = "agentmem-listen";

export class PgChannelListener implements ChannelListener {
	readonly #options: PgChannelListenerOptions;
	#client?: Client;
	#onPayload: (payload: string) => void = () => {};
	#onResume: () => void = () => {};
	#connectedBefore = false;
	#timer?: ReturnType<typeof setTimeout>;
	#attempt = 0;
	#stopped = false;

	constructor(options: PgChannelListenerOptions) {
		if (!CHANNEL_RE.test(options.channel))
			throw new ConfigurationError(`invalid channel name ${JSON.stringify(options.channel)}`);
		this.#options = options;
	}

	async start(onPayload: (payload: string) => void, onResume?: () => void): Promise<void> {
		this.#onPayload = onPayload;
		this.#onResume = onResume ?? (() => {});
		try {
			await this.#connect();
		} catch (err) {
			throw wrapPostgresError(err, "subscribe: opening the LISTEN connection");
		}
	}

	async notify(payload: string): Promise<void> {
		if (!this.#client) throw new Error("not listening right now");
		await this.#client.query(NOTIFY_SQL, [this.#options.channel, payload]);
	}

	async stop(): Promise<void> {
		this.#stopped = true;
		clearTimeout(this.#timer);
		const client = this.#client;
		this.#client = undefined;
		await client?.end().catch(() => undefined);
	}

	async #connect(): Promise<void> {
		const pg = await import("pg");
		const ClientClass = pg.default?.Client ?? pg.Client;
		const client = new ClientClass({
			keepAlive: true,
			application_name: LISTENER_APPLICATION_NAME,
			...this.#options.config,
		});
		client.on("error", (err) => {
			this.#options.onError?.(err);
			this.#lost(client);
		});
		client.on("end", () => this.#lost(client));
		client.on("notification", (message) => {
			if (message.channel === this.#options.channel && message.payload !== undefined)
				this.#onPayload(message.payload);
		});
		try {
			await client.connect();
			await client.query(`LISTEN ${this.#options.channel}`);
		} catch (err) {
			await client.end().catch(() => undefined);
			throw err;
		}
		if (this.#stopped) {
			await client.end().catch(() => undefined);
			return;
		}
		this.#client = client;
		this.#attempt = 0;
		if (this.#connectedBefore) this.#onResume();
		this.#connectedBefore = true;
	}

	#lost(client: Client): void {
		if (client !== this.#client || this.#stopped) return;
		this.#client = undefined;
		client.end().catch(() => undefined);
		this.#reconnectLater();
	}

	#reconnectLater(): void {
		const { minDelayMs = 100, maxDelayMs = 5000 } = this.#options;
		const delay = backoffDelay(this.#attempt, minDelayMs, maxDelayMs);
		this.#attempt++;
		this.#timer = setTimeout(() => {
			if (this.#stopped) return;
			this.#connect().catch((err: Error) => {
				this.#options.onError?.(err);
				this.#reconnectLater();
			});
		}, delay);
	}
}

/** The LISTEN connection's settings: the ones given, else the pool's own. */
export function listenerConfig(
	listen: string | ClientConfig | undefined,
	pool: PgPool,
): ClientConfig {
	if (typeof listen === "string") return { connectionString: listen };
	return { ...(listen ?? (pool.options as ClientConfig)) };
}
