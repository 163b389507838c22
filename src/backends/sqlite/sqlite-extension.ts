/** Loads sqlite-vec into a better-sqlite3 connection and proves it works; never a silent fallback. */
import type { Database } from "better-sqlite3";
import { VectorExtensionUnavailableError } from "../../core/errors.js";

const INSTALL =
	"install it with `npm install sqlite-vec` (it brings the platform package sqlite-vec-<os>-<arch>, " +
	'which must match this machine), or opt in to the JavaScript exact scan with vectorSearch: "exact-scan"';

/** Loads sqlite-vec (from `extensionPath`, else the sqlite-vec package) and returns vec_version(). */
export async function loadSqliteVec(db: Database, extensionPath?: string): Promise<string> {
	let path = extensionPath;
	if (path === undefined) {
		try {
			path = (await import("sqlite-vec")).getLoadablePath();
		} catch (err) {
			throw new VectorExtensionUnavailableError(
				`sqlite-vec could not be found (${(err as Error).message}): ${INSTALL}`,
				{ cause: err },
			);
		}
	}
	try {
		db.loadExtension(path);
	} catch (err) {
		throw new VectorExtensionUnavailableError(
			`sqlite-vec could not be loaded from ${path} (${(err as Error).message}): ${INSTALL}`,
			{ cause: err },
		);
	}
	let version: unknown;
	try {
		version = (db.prepare("SELECT vec_version() AS v").get() as { v?: unknown } | undefined)?.v;
	} catch (err) {
		throw new VectorExtensionUnavailableError(
			`the extension loaded from ${path} is not sqlite-vec (vec_version() failed: ${(err as Error).message}): ${INSTALL}`,
			{ cause: err },
		);
	}
	if (typeof version !== "string" || !version.startsWith("v0.1.")) {
		throw new VectorExtensionUnavailableError(
			`sqlite-vec ${String(version)} is not supported (agentmem needs 0.1.x): ${INSTALL}`,
		);
	}
	return version;
}
