/** The key or token the explorer sends as `Authorization: Bearer`, kept for this tab only (sessionStorage). */
const KEY = "agentmem.explorer.token";

export function getToken(): string {
	try {
		return sessionStorage.getItem(KEY) ?? "";
	} catch {
		return "";
	}
}

export function setToken(token: string): void {
	try {
		if (token) sessionStorage.setItem(KEY, token);
		else sessionStorage.removeItem(KEY);
	} catch {
		// Storage refused (private mode): the token then lasts until the page is left.
	}
	memoryToken = token;
}

let memoryToken = "";

export function authHeaders(): Record<string, string> {
	const token = getToken() || memoryToken;
	return token ? { authorization: `Bearer ${token}` } : {};
}
