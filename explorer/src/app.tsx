/** The explorer's shell: navigation, the key/token field, the theme toggle, and the current screen. */
import { useState } from "preact/hooks";
import { getToken, setToken } from "./auth.js";
import { href, type Route, useRoute } from "./router.js";
import { Health } from "./screens/health.js";
import { MapScreen } from "./screens/map.js";
import { MemoryDetail } from "./screens/memory.js";
import { Rooms } from "./screens/rooms.js";
import { Search } from "./screens/search.js";
import { Timeline } from "./screens/timeline.js";

const THEME = "agentmem.explorer.theme";

function applyTheme(theme: string) {
	if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;
	else delete document.documentElement.dataset.theme;
}

export function App() {
	const route = useRoute();
	const [token, setTokenState] = useState(getToken());
	const [draft, setDraft] = useState(token);
	const [theme, setTheme] = useState(() => localStorage.getItem(THEME) ?? "auto");
	applyTheme(theme);

	const nextTheme = () => {
		const next = theme === "auto" ? "dark" : theme === "dark" ? "light" : "auto";
		localStorage.setItem(THEME, next);
		setTheme(next);
	};
	const tab = (name: string, link: string, active: boolean) => (
		<a href={link} aria-current={active ? "page" : undefined}>
			{name}
		</a>
	);
	const s = route.screen;
	return (
		<div class="shell">
			<header class="top">
				<h1>agentmem explorer</h1>
				<nav class="tabs" aria-label="Screens">
					{tab("Rooms", href.rooms(), s === "rooms" || s === "room")}
					{tab("Search", href.search(), s === "search")}
					{tab("Map", href.map(), s === "map")}
					{tab("Health", href.health(), s === "health")}
				</nav>
				<span class="spacer" />
				<form
					class="row"
					onSubmit={(e) => {
						e.preventDefault();
						setToken(draft.trim());
						setTokenState(draft.trim());
						location.reload();
					}}
				>
					<label class="row small">
						Key or token
						<input
							type="password"
							value={draft}
							onInput={(e) => setDraft(e.currentTarget.value)}
							placeholder="service key or user JWT"
							autocomplete="off"
							size={18}
							aria-describedby="token-help"
						/>
					</label>
					<button type="submit">{token ? "Change" : "Use"}</button>
					<span id="token-help" class="sr-only">
						Sent as Authorization: Bearer; kept in this tab's session storage only.
					</span>
				</form>
				<button type="button" onClick={nextTheme} aria-label={`Theme: ${theme}. Change theme`}>
					{theme === "auto" ? "◐ auto" : theme === "dark" ? "☾ dark" : "☀ light"}
				</button>
			</header>
			<main class={s === "map" ? "wide" : ""}>
				<Screen route={route} />
			</main>
		</div>
	);
}

function Screen({ route }: { route: Route }) {
	switch (route.screen) {
		case "rooms":
			return <Rooms />;
		case "room":
			return <Timeline roomId={route.roomId} />;
		case "search":
			return <Search key={route.params.toString()} params={route.params} />;
		case "memory":
			return <MemoryDetail tableName={route.tableName} id={route.id} />;
		case "map":
			return <MapScreen roomId={route.roomId} />;
		case "health":
			return <Health />;
	}
}
