#!/usr/bin/env node
// Per-file durations of a vitest run, longest first, from its JSON report: where `npm test`'s time
// goes (docs/testing.md).
//
//   npx vitest run --reporter=./test/support/summary-reporter.ts --reporter=json \
//     --outputFile.json=/tmp/vitest.json
//   node scripts/test-durations.mjs /tmp/vitest.json [how many, default 15]
import { readFileSync } from "node:fs";

const [file, top = "15"] = process.argv.slice(2);
if (!file) {
	console.error("usage: node scripts/test-durations.mjs <vitest JSON report> [how many]");
	process.exit(2);
}
const report = JSON.parse(readFileSync(file, "utf8"));
const files = report.testResults
	.map((t) => ({
		seconds: (t.endTime - t.startTime) / 1000,
		name: t.name.replace(`${process.cwd()}/`, ""),
		tests: t.assertionResults.length,
		slowest: t.assertionResults.reduce(
			(a, b) => ((b.duration ?? 0) > (a?.duration ?? 0) ? b : a),
			undefined,
		),
	}))
	.sort((a, b) => b.seconds - a.seconds);
const sum = files.reduce((s, f) => s + f.seconds, 0);
const wall = (Math.max(...report.testResults.map((t) => t.endTime)) - report.startTime) / 1000;
console.log(`${files.length} files: ${sum.toFixed(0)} s of file time in ${wall.toFixed(0)} s`);
for (const f of files.slice(0, Number(top))) {
	const slow = f.slowest
		? `; slowest ${((f.slowest.duration ?? 0) / 1000).toFixed(1)} s: ${f.slowest.title.slice(0, 60)}`
		: "";
	console.log(`${f.seconds.toFixed(1).padStart(7)} s  ${f.name} (${f.tests} tests${slow})`);
}
