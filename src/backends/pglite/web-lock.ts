/**
 * One tab per browser-persisted PGlite database (idb://, opfs-ahp://): an exclusive Web Lock held
 * while the adapter is open. Without `navigator.locks` nothing is enforced (see docs/pglite.md).
 */
import { LockedError } from "../../core/errors.js";

export interface HeldLock {
	release(): Promise<void>;
}

/** Takes the lock named after `dataDir`, or throws LockedError when another tab holds it. */
export async function lockInBrowser(dataDir: string): Promise<HeldLock | null> {
	const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
	if (!locks) return null;
	let release = () => {};
	const released = new Promise<void>((resolve) => {
		release = resolve;
	});
	const acquired = await new Promise<boolean>((resolve, reject) => {
		locks
			.request(`agentmem:${dataDir}`, { ifAvailable: true }, async (lock) => {
				resolve(lock !== null);
				if (lock) await released;
			})
			.catch(reject);
	});
	if (!acquired) {
		throw new LockedError(
			`The PGlite database ${dataDir} is open in another tab or worker of this origin; PGlite allows one at a time (share it with PGliteWorker instead).`,
		);
	}
	return {
		async release() {
			release();
		},
	};
}
