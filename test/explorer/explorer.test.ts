/**
 * The explorer over a demo database in headless Chromium: rooms, a room's timeline (infinite
 * scroll, time filter, a memory created through the API arriving live), search and a hit's
 * detail with its neighbours, delete with confirmation, the map of 10,000 points, health; no
 * console errors anywhere. Each screen is photographed into test-output/explorer/.
 *
 * Skips (loudly) without Chromium on a dev machine; fails without it when CI is set.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteDatabaseAdapter } from "../../src/backends/sqlite/index.js";
import type { UUID } from "../../src/core/types.js";
import { tempFiles } from "../backends/sqlite/harness.js";
import { skipOrFail } from "../support/skip.js";
import {
	buildExplorer,
	DIM,
	embedder,
	haveChromium,
	KEY,
	launch,
	NO_CHROMIUM,
	openExplorer,
	type Service,
	screenshot,
	seedBulk,
	seedDemo,
	startService,
	WAIT,
} from "./harness.js";

const MAP_POINTS = 10_000;

if (!haveChromium) skipOrFail("explorer in Chromium", NO_CHROMIUM);
else
	describe("the explorer in headless Chromium", { timeout: 240_000 }, () => {
		const files = tempFiles("explorer");
		let adapter: SqliteDatabaseAdapter;
		let service: Service;
		let browser: Browser;
		let page: Page;
		let errors: string[];
		let disposeBuild: () => void;
		let bulkRoom: UUID;
		const rooms = new Map<string, UUID>();

		beforeAll(async () => {
			const build = await buildExplorer();
			disposeBuild = build.dispose;
			adapter = new SqliteDatabaseAdapter({
				path: files.file(),
				embeddingDimension: DIM,
				embeddingModel: embedder.model,
			});
			await adapter.init();
			await seedDemo(adapter);
			bulkRoom = await seedBulk(adapter, "bulk-10k", MAP_POINTS);
			for (const r of await adapter.listRooms()) if (r.name) rooms.set(r.name, r.id);
			service = await startService(adapter, build.dir);
			browser = await launch();
			({ page, errors } = await openExplorer(browser, service.base, KEY));
		}, 300_000);

		afterAll(async () => {
			await browser?.close();
			await service?.app.close();
			await adapter?.close();
			disposeBuild?.();
		});

		it("serves the page at / without credentials, and the API only with them", async () => {
			const html = await fetch(`${service.base}/`);
			expect(html.status).toBe(200);
			expect(await html.text()).toContain("agentmem explorer");
			expect((await fetch(`${service.base}/app.js`)).headers.get("content-type")).toMatch(
				/javascript/,
			);
			expect((await fetch(`${service.base}/v1/explorer/points`)).status).toBe(401);
		});

		it("lists every demo room with its name, counts and participants", async () => {
			await page.waitForSelector("[data-room-id]");
			const cards = page.locator("[data-room-id]");
			await expect.poll(() => cards.count(), { timeout: WAIT }).toBe(8);
			const standup = page.locator(`[data-room-id="${rooms.get("engineering-standup")}"]`);
			await expect.poll(() => standup.textContent(), { timeout: WAIT }).toContain("Priya");
			const text = (await standup.textContent()) ?? "";
			expect(text).toContain("engineering-standup");
			expect(text).toContain("messages: 44");
			expect(text).toMatch(/5 participants/);
			expect(text).toContain("2024-05-06");
			await screenshot(page, "01-rooms");
		});

		it("opens a room's timeline: newest first, scrolled to the end, filtered by time", async () => {
			await page.locator(`[data-room-id="${rooms.get("engineering-standup")}"]`).click();
			const rows = page.locator("[data-testid=timeline] [data-memory-id]");
			await expect.poll(() => rows.count(), { timeout: WAIT }).toBeGreaterThan(0);
			await screenshot(page, "02-timeline");
			// Infinite scroll: keep scrolling until the list says it is complete.
			for (let i = 0; i < 20 && !(await page.getByText("All 44 shown.").isVisible()); i++) {
				await page.mouse.wheel(0, 5000);
				await page.waitForTimeout(300);
			}
			await page.getByText("All 44 shown.").waitFor();
			expect(await rows.count()).toBe(44);
			const first = await rows.first().textContent();
			expect(first).toContain("2024-05-06 14:01");
			// The time filter (UTC): only the morning until 10:00.
			await page.getByLabel("To (UTC)").fill("2024-05-06T10:00");
			await expect.poll(() => rows.count(), { timeout: WAIT }).toBeLessThan(44);
			const times = await page.locator("[data-testid=timeline] .meta").allTextContents();
			for (const t of times)
				expect(t.match(/2024-05-06 (\d\d:\d\d)/)?.[1] ?? "").toMatch(/^(0\d|10):/);
			await page.getByRole("button", { name: "Clear time range" }).click();
		});

		it("shows a memory created through the API live in the open timeline", async () => {
			await page.locator("[data-live=live]").waitFor();
			const standup = rooms.get("engineering-standup") as UUID;
			const [member] = await adapter.getParticipantsForRoom(standup);
			const text = "Live from the API: the release is tagged v2.4.0";
			const res = await service.call("/v1/memories", {
				tableName: "messages",
				memory: {
					userId: member,
					agentId: member,
					roomId: standup,
					content: { text },
					embedding: Array.from(await embedder.embedOne(text)),
				},
			});
			expect(res.status).toBe(204);
			await page.getByText(text).waitFor();
			await screenshot(page, "03-timeline-live");
		});

		it("searches by text, opens a hit, and shows its neighbours and near-duplicates", async () => {
			await page.getByRole("navigation").getByRole("link", { name: "Search" }).click();
			await page.getByLabel("Search text").fill("who is on call this weekend");
			await page.getByRole("button", { name: "Search", exact: true }).click();
			const hits = page.locator("[data-testid=hits] [data-memory-id]");
			await expect.poll(() => hits.count(), { timeout: WAIT }).toBeGreaterThan(3);
			expect(await hits.first().textContent()).toMatch(/on call this weekend/i);
			expect(await page.locator("[data-testid=hits] .simbar").count()).toBe(await hits.count());
			await screenshot(page, "04-search");
			await hits.first().click();
			await page.locator("[data-testid=content]").waitFor();
			expect(await page.locator("[data-testid=content]").textContent()).toContain('"text"');
			const neighbours = page.locator("[data-testid=neighbours] [data-memory-id]");
			await expect.poll(() => neighbours.count(), { timeout: WAIT }).toBe(10);
			await page
				.getByText(/None\.|duplicate/)
				.first()
				.waitFor();
			await screenshot(page, "05-memory");
			// "More like this": the memory's own embedding as the query; it ranks first.
			const id = page.url().split("/").pop() as string;
			await page.getByRole("link", { name: "More like this" }).click();
			await expect.poll(() => hits.count(), { timeout: WAIT }).toBeGreaterThan(0);
			expect(await hits.first().getAttribute("data-memory-id")).toBe(id);
		});

		it("deletes a memory after confirmation (Esc cancels), and it is gone", async () => {
			const hits = page.locator("[data-testid=hits] [data-memory-id]");
			const victim = (await hits.nth(1).getAttribute("data-memory-id")) as UUID;
			await hits.nth(1).click();
			await page.locator("[data-testid=content]").waitFor();
			await page.getByRole("button", { name: "Delete…" }).click();
			const dialog = page.getByRole("dialog");
			await dialog.waitFor();
			await screenshot(page, "06-delete-confirm");
			await page.keyboard.press("Escape");
			await dialog.waitFor({ state: "hidden" });
			expect(await adapter.getMemoryById(victim)).not.toBeNull();
			await page.getByRole("button", { name: "Delete…" }).click();
			await dialog.getByRole("button", { name: "Delete", exact: true }).click();
			await page.locator("[data-testid=deleted]").waitFor();
			expect(await adapter.getMemoryById(victim)).toBeNull();
			// Reopening it says it is not there.
			await page.reload();
			await page.getByRole("heading", { name: "Memory not found" }).waitFor();
		});

		it("edits a memory: stored again under its id, the new text re-embedded", async () => {
			const [live] = await adapter.getMemories({
				roomId: rooms.get("engineering-standup") as UUID,
				tableName: "messages",
				count: 1,
			});
			if (!live?.id) throw new Error("no memory to edit");
			await page.goto(`${service.base}/#/memory/messages/${live.id}`);
			await page.locator("[data-testid=content]").waitFor();
			await page.getByRole("button", { name: "Edit" }).click();
			const text = "Edited in the explorer: the release is tagged v2.4.1";
			await page.locator("#edit-content").fill(JSON.stringify({ text }));
			await page.getByRole("button", { name: "Save" }).click();
			await page.getByTestId("action-message").getByText("Saved.").waitFor();
			const after = await adapter.getMemoryById(live.id);
			expect(after?.content).toEqual({ text });
			expect(after?.roomId).toBe(live.roomId);
			expect(after?.embedding).toEqual(Array.from(await embedder.embedOne(text)));
		});

		it(`draws the map of ${MAP_POINTS.toLocaleString("en-US")} points, hover reads one and click opens it`, async () => {
			await page.evaluate(() => {
				window.__explorerMap = undefined;
			});
			await page.goto(`${service.base}/#/map/${bulkRoom}`);
			await page.waitForFunction(() => window.__explorerMap !== undefined, null, {
				timeout: 120_000,
			});
			const timing = await page.evaluate(() => window.__explorerMap);
			expect(timing?.points).toBe(MAP_POINTS);
			console.log(
				`explorer map: ${timing?.points} points drawn ${Math.round(timing?.arrivedToDrawnMs ?? -1)} ms after the data arrived (${timing?.method})`,
			);
			// Drawn: many pixels of the canvas differ from its background.
			const painted = await page.evaluate(() => {
				const c = document.querySelector("canvas") as HTMLCanvasElement;
				const ctx = c.getContext("2d") as CanvasRenderingContext2D;
				const { data } = ctx.getImageData(0, 0, c.width, c.height);
				const [r, g, b] = [data[0], data[1], data[2]];
				let n = 0;
				for (let i = 0; i < data.length; i += 4)
					if (data[i] !== r || data[i + 1] !== g || data[i + 2] !== b) n++;
				return n;
			});
			expect(painted).toBeGreaterThan(2000);
			await page.getByLabel("Colour by").selectOption("type");
			await screenshot(page, "07-map-10k");
			// Hover a painted pixel: its tooltip reads the memory; a click opens it.
			const spot = await page.evaluate(() => {
				const c = document.querySelector("canvas") as HTMLCanvasElement;
				const ctx = c.getContext("2d") as CanvasRenderingContext2D;
				const { data, width } = ctx.getImageData(0, 0, c.width, c.height);
				const scale = c.width / c.getBoundingClientRect().width;
				for (let i = 0; i < data.length; i += 4)
					if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) {
						const p = i / 4;
						return { x: (p % width) / scale + 1, y: Math.floor(p / width) / scale + 1 };
					}
				return null;
			});
			const box = await page.getByTestId("map-canvas").boundingBox();
			if (!spot || !box) throw new Error("nothing painted");
			await page.mouse.move(box.x + spot.x, box.y + spot.y);
			await page.getByRole("tooltip").waitFor();
			expect(await page.getByRole("tooltip").textContent()).toMatch(/note \d+ about/);
			await page.mouse.down();
			await page.mouse.up();
			await page.locator("[data-testid=content]").waitFor();
			expect(await page.locator("[data-testid=content]").textContent()).toMatch(/note \d+ about/);
		});

		it("maps a room coloured by speaker, highlights matching text, and honours the point limit", async () => {
			// The page stays loaded across hash routes: forget the previous map's report first.
			await page.evaluate(() => {
				window.__explorerMap = undefined;
			});
			await page.goto(`${service.base}/#/map/${rooms.get("engineering-standup")}`);
			await page.waitForFunction(() => (window.__explorerMap?.points ?? 0) > 40, null, {
				timeout: 120_000,
			});
			await page.getByPlaceholder("e.g. on call").fill("on call");
			await expect
				.poll(() => page.getByTestId("map-status").textContent(), { timeout: WAIT })
				.toMatch(/[1-9]\d* highlighted/);
			await screenshot(page, "08-map-room");
			await page.getByLabel("Scope").selectOption({ label: "bulk-10k" });
			await page.getByLabel("Point limit").selectOption("5000");
			await page.waitForFunction(() => window.__explorerMap?.points === 5000, null, {
				timeout: 120_000,
			});
		});

		it("shows health and stats", async () => {
			await page.goto(`${service.base}/#/health`);
			const stats = () => page.locator(".stat").allTextContents();
			await expect.poll(stats, { timeout: WAIT }).toContain("modelagentmem-hashing-v1-384");
			await expect.poll(stats, { timeout: WAIT }).toContain("readyready");
			await expect
				.poll(async () => (await stats()).join("|"), { timeout: WAIT })
				.toMatch(/backendsqlite \(\w+ search\)\|/);
			expect(await page.locator(".card").filter({ hasText: "Records" }).textContent()).toMatch(
				/memories10,2\d\d/,
			);
			await screenshot(page, "09-health");
		});

		it("shows the screen the hash names when it changed before the router listened", async () => {
			// The hash moves (without a hashchange event) just before the router adds its listener:
			// what a navigation between the first render and the router's effect looks like.
			const moved = await openExplorer(browser, service.base, KEY, {
				initScript: {
					fn: (target) => {
						const add = window.addEventListener.bind(window);
						let done = false;
						window.addEventListener = ((type: string, ...rest: unknown[]) => {
							if (type === "hashchange" && !done) {
								done = true;
								history.replaceState(null, "", target);
							}
							return (add as (...a: unknown[]) => void)(type, ...rest);
						}) as typeof window.addEventListener;
					},
					arg: `#/room/${rooms.get("family-chat")}`,
				},
			});
			await moved.page.locator("[data-testid=timeline] [data-memory-id]").first().waitFor();
			expect(moved.errors).toEqual([]);
			await moved.page.context().close();
		});

		it("has keyboard focus styles and a dark theme", async () => {
			const dark = await openExplorer(browser, service.base, KEY, { colorScheme: "dark" });
			await dark.page.goto(`${service.base}/#/room/${rooms.get("family-chat")}`);
			await dark.page.locator("[data-testid=timeline] [data-memory-id]").first().waitFor();
			const bg = await dark.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
			expect(bg).toBe("rgb(18, 20, 24)");
			await dark.page.keyboard.press("Tab");
			const outline = await dark.page.evaluate(
				() => getComputedStyle(document.activeElement as Element).outlineStyle,
			);
			expect(outline).toBe("solid");
			await screenshot(dark.page, "10-timeline-dark");
			expect(dark.errors).toEqual([]);
			await dark.page.context().close();
		});

		it("logged no console errors", () => {
			expect(errors).toEqual([]);
		});
	});
