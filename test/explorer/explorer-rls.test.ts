/**
 * The explorer with a user's token over PostgreSQL with row-level security: the user sees their
 * room, may delete their own memory, and is refused (the page says so, the memory stays) when
 * deleting another participant's. Needs AGENTMEM_TEST_POSTGRES_URL and Chromium (skips loudly
 * without them on a dev machine, fails under CI).
 */
import { SignJWT } from "jose";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PostgresDatabaseAdapter } from "../../src/backends/postgres/index.js";
import type { UUID } from "../../src/core/types.js";
import { setupTestDatabase } from "../backends/postgres/helpers.js";
import { skipOrFail } from "../support/skip.js";
import {
	buildExplorer,
	DIM,
	embedder,
	haveChromium,
	launch,
	NO_CHROMIUM,
	openExplorer,
	type Service,
	screenshot,
	startService,
} from "./harness.js";

const SECRET = "explorer-jwt-secret-0123456789abcdef";

const db = haveChromium
	? await setupTestDatabase("explorer with a user token (PostgreSQL row-level security)")
	: null;
if (!haveChromium) skipOrFail("explorer with a user token", NO_CHROMIUM);

describe.skipIf(!db)(
	"the explorer with a user token, over row-level security",
	{ timeout: 240_000 },
	() => {
		let adapter: PostgresDatabaseAdapter;
		let service: Service;
		let browser: Browser;
		let page: Page;
		let errors: string[];
		let disposeBuild: () => void;
		const sam = crypto.randomUUID();
		const kim = crypto.randomUUID();
		let roomId: UUID;
		let samsMemory: UUID;
		let kimsMemory: UUID;

		const remember = async (userId: UUID, text: string): Promise<UUID> => {
			const id = crypto.randomUUID();
			const embedding = Array.from(await embedder.embedOne(text));
			await adapter.createMemory(
				{ id, userId, agentId: kim, roomId, content: { text }, embedding },
				"messages",
			);
			return id;
		};

		beforeAll(async () => {
			if (!db) return;
			const build = await buildExplorer();
			disposeBuild = build.dispose;
			adapter = await db.adapter({
				rowLevelSecurity: true,
				embeddingDimension: DIM,
				embeddingModel: embedder.model,
			});
			await adapter.createAccount({ id: sam, name: "Sam", username: "sam" });
			await adapter.createAccount({ id: kim, name: "Kim", username: "kim" });
			roomId = await adapter.createRoom(crypto.randomUUID(), "kitchen");
			await adapter.addParticipant(sam, roomId);
			await adapter.addParticipant(kim, roomId);
			kimsMemory = await remember(kim, "Kim: the oven is broken again");
			samsMemory = await remember(sam, "Sam: we are out of flour");
			service = await startService(adapter, build.dir, { jwt: { secret: SECRET } });
			const token = await new SignJWT({ sub: sam, role: "authenticated", aud: "authenticated" })
				.setProtectedHeader({ alg: "HS256" })
				.setExpirationTime("30m")
				.sign(new TextEncoder().encode(SECRET));
			browser = await launch();
			({ page, errors } = await openExplorer(browser, service.base, token));
		}, 300_000);

		afterAll(async () => {
			await browser?.close();
			await service?.app.close();
			await adapter?.close();
			disposeBuild?.();
		});

		it("shows the user's room and its memories", async () => {
			await page.locator(`[data-room-id="${roomId}"]`).click();
			await page.getByText("Kim: the oven is broken again").waitFor();
			await page.getByText("Sam: we are out of flour").waitFor();
		});

		it("refuses to delete another participant's memory, and says so", async () => {
			await page.goto(`${service.base}/#/memory/messages/${kimsMemory}`);
			await page.locator("[data-testid=content]").waitFor();
			await page.getByRole("button", { name: "Delete…" }).click();
			await page.getByRole("dialog").getByRole("button", { name: "Delete", exact: true }).click();
			const message = page.getByTestId("action-message");
			await message.waitFor();
			expect(await message.textContent()).toMatch(/Refused/);
			await screenshot(page, "11-delete-refused");
			expect(await adapter.getMemoryById(kimsMemory)).not.toBeNull();
		});

		it("deletes the user's own memory", async () => {
			await page.goto(`${service.base}/#/memory/messages/${samsMemory}`);
			await page.locator("[data-testid=content]").waitFor();
			await page.getByRole("button", { name: "Delete…" }).click();
			await page.getByRole("dialog").getByRole("button", { name: "Delete", exact: true }).click();
			await page.getByTestId("deleted").waitFor();
			expect(await adapter.getMemoryById(samsMemory)).toBeNull();
		});

		it("logged no console errors", () => {
			expect(errors).toEqual([]);
		});
	},
);
