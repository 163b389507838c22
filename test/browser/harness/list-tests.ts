/**
 * Built for Node by the browser test: the names of the conformance tests the page must run, listed
 * from the same topic files without running them, so a page that runs fewer tests fails.
 */
import { registerConformanceSuite } from "../../conformance/index.js";
import { listCollected } from "./vitest-shim.js";

/** The full names of the tests a backend's page must run (every topic of the suite). */
export function listConformanceTests(backend: string): string[][] {
	registerConformanceSuite(backend, {
		makeAdapter: () => Promise.reject(new Error("listing only")),
	});
	return listCollected().filter((path) => path[0] === backend);
}
