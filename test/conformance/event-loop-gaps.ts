/**
 * Watches the event loop with a 1 ms timer while some work runs, and reports the longest time it
 * went without a tick. On a loaded machine wall-clock gaps also count time the process was not
 * running at all, so the gaps are measured in CPU time too (the process's own, where Node reports
 * it): that is the time a slice of work really held the loop.
 */
export interface LoopGaps {
	/** The longest wall-clock time between two ticks, ms. */
	wallMs: number;
	/** The most CPU time the process used between two ticks, ms (the wall time without `process`). */
	cpuMs: number;
	/** Whether `cpuMs` is CPU time (Node), not wall time (a browser). */
	cpuMeasured: boolean;
	/** The work's own wall-clock duration, ms. */
	elapsedMs: number;
	ticks: number;
}

const cpuMeasured = typeof process !== "undefined" && typeof process.cpuUsage === "function";
const cpuNow: () => number = cpuMeasured
	? () => {
			const { user, system } = process.cpuUsage();
			return (user + system) / 1000;
		}
	: () => performance.now();

export async function watchEventLoop<T>(work: () => Promise<T>): Promise<{ result: T } & LoopGaps> {
	const gaps: LoopGaps = { wallMs: 0, cpuMs: 0, cpuMeasured, elapsedMs: 0, ticks: 0 };
	let wall = performance.now();
	let cpu = cpuNow();
	const timer = setInterval(() => {
		const [w, c] = [performance.now(), cpuNow()];
		gaps.wallMs = Math.max(gaps.wallMs, w - wall);
		gaps.cpuMs = Math.max(gaps.cpuMs, c - cpu);
		gaps.ticks++;
		[wall, cpu] = [w, c];
	}, 1);
	try {
		await new Promise((resolve) => setTimeout(resolve, 5));
		gaps.wallMs = gaps.cpuMs = 0;
		[wall, cpu] = [performance.now(), cpuNow()];
		const started = performance.now();
		const result = await work();
		gaps.elapsedMs = performance.now() - started;
		// The gap the work ends in counts too.
		gaps.wallMs = Math.max(gaps.wallMs, performance.now() - wall);
		gaps.cpuMs = Math.max(gaps.cpuMs, cpuNow() - cpu);
		return { result, ...gaps };
	} finally {
		clearInterval(timer);
	}
}
