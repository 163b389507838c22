/**
 * Long computations in JavaScript share the thread with timers, I/O and every other request: they
 * run in slices and give way to the event loop between slices, so none holds it for long.
 */

/** How long one slice may hold the event loop. */
export const SLICE_MS = 4;

/** Resolves after the event loop has run its pending timers and I/O once. */
const giveWay: () => Promise<void> =
	typeof setImmediate === "function"
		? () => new Promise((resolve) => setImmediate(resolve))
		: () => new Promise((resolve) => setTimeout(resolve, 0));

export class TimeSlice {
	readonly #sliceMs: number;
	#start = performance.now();

	constructor(sliceMs = SLICE_MS) {
		this.#sliceMs = sliceMs;
	}

	/** Whether the current slice has used its time (check often; it is a clock read). */
	get due(): boolean {
		return performance.now() - this.#start >= this.#sliceMs;
	}

	/** Gives way to the event loop and starts a new slice. */
	async giveWay(): Promise<void> {
		await giveWay();
		this.#start = performance.now();
	}
}
