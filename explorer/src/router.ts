/** Hash routes, so the explorer works from any path and a reload keeps the screen. */
import { useEffect, useMemo, useState } from "preact/hooks";

export type Route =
	| { screen: "rooms" }
	| { screen: "room"; roomId: string }
	| { screen: "search"; params: URLSearchParams }
	| { screen: "memory"; tableName: string; id: string }
	| { screen: "map"; roomId?: string }
	| { screen: "health" };

export function parse(hash: string): Route {
	const [path = "", query = ""] = hash.replace(/^#\/?/, "").split("?");
	const parts = path.split("/").map(decodeURIComponent);
	switch (parts[0]) {
		case "room":
			if (parts[1]) return { screen: "room", roomId: parts[1] };
			break;
		case "search":
			return { screen: "search", params: new URLSearchParams(query) };
		case "memory":
			if (parts[1] && parts[2]) return { screen: "memory", tableName: parts[1], id: parts[2] };
			break;
		case "map":
			return parts[1] ? { screen: "map", roomId: parts[1] } : { screen: "map" };
		case "health":
			return { screen: "health" };
	}
	return { screen: "rooms" };
}

export const href = {
	rooms: () => "#/rooms",
	room: (roomId: string) => `#/room/${encodeURIComponent(roomId)}`,
	search: (params?: Record<string, string>) =>
		`#/search${params ? `?${new URLSearchParams(params)}` : ""}`,
	memory: (tableName: string, id: string) =>
		`#/memory/${encodeURIComponent(tableName)}/${encodeURIComponent(id)}`,
	map: (roomId?: string) => (roomId ? `#/map/${encodeURIComponent(roomId)}` : "#/map"),
	health: () => "#/health",
};

export function useRoute(): Route {
	const [hash, setHash] = useState(() => location.hash);
	useEffect(() => {
		const on = () => setHash(location.hash);
		addEventListener("hashchange", on);
		// The effect runs after the first paint: a hash that changed before the listener existed
		// (a link followed, or a navigation, right after load) would otherwise be missed.
		on();
		return () => removeEventListener("hashchange", on);
	}, []);
	return useMemo(() => parse(hash), [hash]);
}
