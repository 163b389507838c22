/**
 * The filter columns of the in-memory copy (vector-columns.ts) as small integer codes, with the
 * number of live rows holding each code: a filter compares integers, and the counts bound how many
 * rows a filter can pass without scanning them.
 */
export class ColumnCodes {
	readonly #codes = new Map<string, number>();
	#live = new Int32Array(16);

	/** The code of `s`, given a new one on first sight. */
	code(s: string): number {
		let c = this.#codes.get(s);
		if (c === undefined) {
			c = this.#codes.size;
			this.#codes.set(s, c);
			if (c === this.#live.length) {
				const next = new Int32Array(2 * c);
				next.set(this.#live);
				this.#live = next;
			}
		}
		return c;
	}

	/** The code of `s`, or -2 (matches no row) when no row ever had it; -1 (any) for undefined. */
	find(s: string | undefined): number {
		return s === undefined ? -1 : (this.#codes.get(s) ?? -2);
	}

	/** A live row with code `c` came (+1) or went (-1). */
	count(c: number, delta: 1 | -1): void {
		this.#live[c] = (this.#live[c] as number) + delta;
	}

	/** Live rows holding code `c` (a code from `find`; -1, any: `all`). */
	liveWith(c: number, all: number): number {
		return c === -1 ? all : c < 0 ? 0 : (this.#live[c] as number);
	}
}
