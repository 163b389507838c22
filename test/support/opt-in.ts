/**
 * What `npm test` leaves out on purpose, read by vitest.config.ts (which files) and by the summary
 * reporter (what to tell the reader). Soak files are named *.soak.test.ts and run only with
 * `npm run test:soak`: long loads that prove the same behaviour as a quicker test in the default
 * suite, at a scale that takes minutes on a small machine.
 */
export const SOAK_FILES = ["test/**/*.soak.test.ts"];

export const OPT_IN = [
	{
		script: "npm run test:soak",
		what: "long soaks: test/**/*.soak.test.ts, e.g. PGlite's HNSW plan at 10,000 rows",
	},
	{
		script: "npm run test:differential",
		what: "the differential test at length: thousands of generated call sequences, every backend",
	},
	{ script: "npm run test:eliza", what: "ElizaOS 0.1.9's real AgentRuntime on every backend" },
	{ script: "npm run bench", what: "benchmarks, BENCHMARKS.md" },
];
