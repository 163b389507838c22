/**
 * One screen at the end of a run, just before vitest's own closing counts: every group of skipped tests
 * (by file and top-level suite) and why, and what `npm test` leaves to opt-in scripts. A skip says
 * why through its note (`ctx.skip(reason)`, as test/support/skip.ts does for a missing PostgreSQL,
 * initdb or Chromium); a static `.skip`/`.skipIf`/`.runIf` has none and is listed as such.
 */
import type { TestCase, TestModule } from "vitest/node";
import { DefaultReporter } from "vitest/node";
import { OPT_IN } from "./opt-in.js";

/** Reasons shown; more would not fit one screen (each names its groups on one line). */
const MAX_REASONS = 10;

function topSuite(test: TestCase): string | undefined {
	let node: TestCase["parent"] = test.parent;
	let name: string | undefined;
	while (node.type === "suite") {
		name = node.name;
		node = node.parent;
	}
	return name;
}

function reasonOf(test: TestCase): string {
	const result = test.result();
	const note = result.state === "skipped" ? result.note : undefined;
	if (note) return note;
	if (test.options.mode === "todo") return "todo";
	return "skipped by a static condition (.skip/.skipIf/.runIf), no reason given";
}

/** The lines of the summary for these modules' results. */
export function summaryLines(testModules: ReadonlyArray<TestModule>): string[] {
	// reason → group (file › top-level suite) → number of skipped tests
	const byReason = new Map<string, Map<string, number>>();
	let skipped = 0;
	for (const module of testModules) {
		for (const test of module.children.allTests()) {
			if (test.result().state !== "skipped") continue;
			skipped++;
			const suite = topSuite(test);
			const where = suite ? `${module.relativeModuleId} › ${suite}` : module.relativeModuleId;
			const groups = byReason.get(reasonOf(test)) ?? new Map<string, number>();
			groups.set(where, (groups.get(where) ?? 0) + 1);
			byReason.set(reasonOf(test), groups);
		}
	}
	const lines = ["", ` Skipped: ${skipped === 0 ? "nothing" : `${skipped} tests, because`}`];
	const reasons = [...byReason].sort(([a], [b]) => a.localeCompare(b));
	for (const [reason, groups] of reasons.slice(0, MAX_REASONS)) {
		const where = [...groups].map(([w, n]) => (n > 1 ? `${w} (${n})` : w)).join(", ");
		lines.push(`   ${reason}:`, `     ${where}`);
	}
	if (reasons.length > MAX_REASONS) {
		lines.push(
			`   … and ${reasons.length - MAX_REASONS} more reasons (see the skipped tests above)`,
		);
	}
	lines.push(" Not in npm test:");
	for (const o of OPT_IN) lines.push(`   ${o.script}: ${o.what}`);
	return lines;
}

/**
 * vitest's default reporter, with the summary printed after the failures' details and just
 * before vitest's own closing counts (so it is on the last screen, and vitest's lines close it).
 */
export default class SummaryReporter extends DefaultReporter {
	private modules: ReadonlyArray<TestModule> = [];

	override onTestRunEnd(...args: Parameters<DefaultReporter["onTestRunEnd"]>): void {
		this.modules = args[0];
		super.onTestRunEnd(...args);
	}

	override reportTestSummary(...args: Parameters<DefaultReporter["reportTestSummary"]>): void {
		for (const line of summaryLines(this.modules)) this.log(line);
		super.reportTestSummary(...args);
	}
}
