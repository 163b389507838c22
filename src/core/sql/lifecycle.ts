/** Opening (once, with migrations), closing and checking an adapter's shared state. */
import { AgentmemError, ClosedError, ValidationError } from "../errors.js";
import type { AdapterCapabilities } from "../types.js";
import type { SharedState, SqlContext } from "./context.js";
import { migrate, readSettings } from "./migrate.js";
import { op } from "./session.js";

export function capabilities(ctx: SqlContext): AdapterCapabilities {
	if (!ctx.shared.capabilities) throw new ClosedError("capabilities are known after init()");
	return ctx.shared.capabilities;
}

export async function init(ctx: SqlContext): Promise<void> {
	const shared = ctx.shared;
	if (shared.closed) throw new ClosedError("this adapter was closed; create a new one");
	shared.opening ??= openAndMigrate(shared);
	await shared.opening;
}

async function openAndMigrate(shared: SharedState): Promise<void> {
	try {
		const backend = await shared.open();
		try {
			// `migrate: false` reads the settings like a read-only adapter, but may still write.
			const reason = backend.readOnly
				? "readonly"
				: shared.settingsOptions.migrate === false
					? "migrate: false"
					: undefined;
			const settings = reason
				? await readSettings(
						backend.driver,
						shared.family,
						shared.settingsOptions,
						backend.extraMigrations,
						reason,
					)
				: await migrate(
						backend.driver,
						shared.family,
						shared.settingsOptions,
						backend.extraMigrations,
					);
			if (!backend.readOnly) await backend.afterMigrate?.(settings);
			shared.backend = backend;
			shared.settings = settings;
			shared.capabilities = Object.freeze({
				...backend.capabilities(settings),
				embeddingDimension: settings.embeddingDimension,
			});
		} catch (err) {
			await backend.driver.close();
			await backend.release?.();
			throw err instanceof AgentmemError
				? err
				: backend.driver.wrapError(err, "applying migrations");
		}
	} catch (err) {
		shared.opening = undefined;
		throw err;
	}
}

export async function close(ctx: SqlContext): Promise<void> {
	if (ctx.scope) throw new ValidationError("close", "cannot close from inside a transaction");
	const shared = ctx.shared;
	if (shared.closed) return;
	shared.closed = true;
	shared.listeners.clear();
	const opening = shared.opening;
	if (!opening) return;
	await opening.catch(() => undefined);
	if (shared.backend) {
		await shared.backend.memoryEvents?.close();
		await shared.backend.driver.close();
		await shared.backend.release?.();
	}
}

export async function testConnection(ctx: SqlContext): Promise<boolean> {
	await op(ctx, "testConnection", (s) => s.all("SELECT 1 AS ok"));
	return true;
}
