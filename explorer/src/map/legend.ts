/**
 * The map's colours: each point's category (its room, type or speaker), the most common ones a
 * palette colour each and the rest "other", and the legend listing them with their counts.
 */
import { shortId } from "../format.js";
import type { MapData } from "../types.js";
import { OTHER, PALETTE } from "./scatter.js";

export type ColourBy = "room" | "type" | "speaker";

export interface LegendEntry {
	label: string;
	colour: string;
	count: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-/i;

/** Each point's colour index (PALETTE.length: other) and the legend; none without data. */
export function colourCategories(
	data: MapData | null,
	colourBy: ColourBy,
	roomNames: Map<string, string>,
): { colour: Uint8Array; legend: LegendEntry[] } {
	if (!data) return { colour: new Uint8Array(0), legend: [] };
	const keys = colourBy === "room" ? data.rooms : colourBy === "type" ? data.types : data.speakers;
	const counts = new Map<string, number>();
	for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
	const top = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, PALETTE.length);
	const index = new Map(top.map(([k], i) => [k, i] as const));
	const colour = new Uint8Array(keys.length);
	keys.forEach((k, i) => {
		colour[i] = index.get(k) ?? PALETTE.length;
	});
	const label = (k: string) =>
		colourBy === "room"
			? (roomNames.get(k) ?? shortId(k))
			: colourBy === "speaker"
				? UUID.test(k)
					? shortId(k)
					: k
				: k;
	const legend = top.map(([k, count], i) => ({
		label: label(k),
		colour: PALETTE[i] as string,
		count,
	}));
	const rest = keys.length - top.reduce((s, [, c]) => s + c, 0);
	if (rest > 0) legend.push({ label: "other", colour: OTHER, count: rest });
	return { colour, legend };
}
