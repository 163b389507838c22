/** Baseline (b): a tight Float32Array scan in this process, the physical bound of exact search. */

import { exactTopK, type Workload } from "../workload.js";
import type { Contender } from "./contender.js";

export async function scanContender(w: Workload): Promise<Contender> {
	let rowCount = 0;
	return {
		name: "float32-scan",
		kind: "scan",
		engine: "memory",
		exact: true,
		async open() {
			rowCount = 0;
		},
		async insertBatch(rows) {
			rowCount += rows.length;
		},
		async search(query, k, room) {
			return exactTopK(w, query, k, room, rowCount).map((r) => w.ids[r] as string);
		},
		async diskBytes() {
			return null;
		},
		async close() {},
	};
}
