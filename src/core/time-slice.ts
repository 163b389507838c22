/**
 * Long computations in JavaScript share the thread with timers, I/O and every other request: they
 * run in slices and give way to the event loop between slices, so none holds it for long.
 */

/** How long one slice may hold the event loop. */
export const SLICE_MS = 4;

/**
 * Resolves after the event loop has run its pending timers and I/O once. Node: setImmediate. A
 * browser: a message to itself (a task, like a timer's, but without the 4 ms that browsers impose
 * on nested zero-delay timers).
 */
const giveWay: () => Promise<void> =
	typeof setImmediate === "function"
		? () => new Promise((resolve) => setImmediate(resolve))
		: typeof MessageChannel === "function"
			? messageYield()
			: () => new Promise((resolve) => setTimeout(resolve, 0));

function messageYield(): () => Promise<void> {
	const channel = new MessageChannel();
	const waiting: (() => void)[] = [];
	channel.port1.onmessage = () => waiting.shift()?.();
	return () =>
		new Promise((resolve) => {
			waiting.push(resolve);
			channel.port2.postMessage(null);
		});
}

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
