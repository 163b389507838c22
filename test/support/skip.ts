/**
 * A group of tests that cannot run here for want of something outside the repository (a
 * PostgreSQL URL, initdb, Chromium): on a developer's machine, a loud notice and one skipped test
 * whose note says why (the summary at the end of `npm test` lists it); under CI=true, a failing
 * test instead, because CI provisions everything.
 */
import { it } from "vitest";

export function skipOrFail(group: string, reason: string): void {
	if (process.env.CI === "true") {
		it(`${group}: needs what CI provides`, () => {
			throw new Error(`${group} cannot run under CI: ${reason}`);
		});
		return;
	}
	console.warn(`\n!!!!!!!! SKIPPING ${group}: ${reason} !!!!!!!!\n`);
	it(`${group}: skipped`, (ctx) => ctx.skip(reason));
}
