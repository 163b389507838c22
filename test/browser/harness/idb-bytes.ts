/**
 * Bytes in IndexedDB under a key: how a browser app keeps a SQL.js database across page loads
 * (docs/browser.md shows the same code).
 */
const DB = "agentmem";
const STORE = "databases";

function openStore(): Promise<IDBDatabase> {
	return new Promise((resolve, reject) => {
		const req = indexedDB.open(DB, 1);
		req.onupgradeneeded = () => req.result.createObjectStore(STORE);
		req.onsuccess = () => resolve(req.result);
		req.onerror = () => reject(req.error);
	});
}

async function request<T>(mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>) {
	const db = await openStore();
	try {
		return await new Promise<T>((resolve, reject) => {
			const tx = db.transaction(STORE, mode);
			const req = op(tx.objectStore(STORE));
			tx.oncomplete = () => resolve(req.result);
			tx.onerror = () => reject(tx.error);
		});
	} finally {
		db.close();
	}
}

export function loadBytes(key: string): Promise<Uint8Array | undefined> {
	return request("readonly", (s) => s.get(key));
}

export async function saveBytes(key: string, bytes: Uint8Array): Promise<void> {
	await request("readwrite", (s) => s.put(bytes, key));
}
