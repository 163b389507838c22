/** After a copy: equal counts, and the same answers to sample searches on both sides. */
import type { DatabaseAdapter } from "../../core/adapter.js";
import type { PortableRecord } from "../../core/portable-types.js";

export interface CopyCheck {
	countsEqual: boolean;
	/** `name: source → target` for each count that differs. */
	countDifferences: string[];
	queries: number;
	queriesEqual: boolean;
}

/** Similarities are compared to this tolerance: backends compute cosine in float32 or float64. */
const SIMILARITY_TOLERANCE = 1e-4;

export async function verifyCopy(
	source: DatabaseAdapter,
	target: DatabaseAdapter,
	samples: PortableRecord[],
): Promise<CopyCheck> {
	const [a, b] = [await source.stats(), await target.stats()];
	const flat = (s: typeof a) => ({
		...Object.fromEntries(Object.entries(s).filter(([, v]) => typeof v === "number")),
		...Object.fromEntries(
			Object.entries(s.memoriesByType).map(([t, n]) => [`memories of type ${t}`, n]),
		),
	});
	const fa = flat(a) as Record<string, number>;
	const fb = flat(b) as Record<string, number>;
	const countDifferences = [...new Set([...Object.keys(fa), ...Object.keys(fb)])]
		.filter((k) => fa[k] !== fb[k])
		.map((k) => `${k}: ${fa[k] ?? 0} → ${fb[k] ?? 0}`);
	let queriesEqual = true;
	for (const sample of samples) {
		if (sample.kind !== "memory" || !sample.embedding) continue;
		const params = { tableName: sample.type, count: 5 };
		const [ra, rb] = [
			await source.searchMemoriesByEmbedding(sample.embedding, params),
			await target.searchMemoriesByEmbedding(sample.embedding, params),
		];
		const same =
			ra.length === rb.length &&
			ra.every(
				(m, i) =>
					m.id === rb[i]?.id &&
					Math.abs((m.similarity ?? 0) - (rb[i]?.similarity ?? 0)) <= SIMILARITY_TOLERANCE,
			);
		if (!same) queriesEqual = false;
	}
	return {
		countsEqual: countDifferences.length === 0,
		countDifferences,
		queries: samples.length,
		queriesEqual,
	};
}
