/** A small hand-written SVG line chart (log or linear axes, labelled points): no chart library. */

export interface Point {
	x: number;
	y: number;
	label?: string;
}

export interface Series {
	name: string;
	points: Point[];
	dashed?: boolean;
}

export interface ChartSpec {
	title: string;
	xLabel: string;
	yLabel: string;
	xLog?: boolean;
	yLog?: boolean;
	/** Fixed y range (otherwise from the data). */
	yRange?: [number, number];
	series: Series[];
}

const W = 760;
const H = 440;
const M = { left: 70, right: 200, top: 40, bottom: 56 };
const COLOURS = [
	"#1f77b4",
	"#d62728",
	"#2ca02c",
	"#ff7f0e",
	"#9467bd",
	"#8c564b",
	"#e377c2",
	"#17becf",
	"#7f7f7f",
	"#bcbd22",
];

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
/** Tick labels: 10000 stays 10000 (only zeros after a decimal point are trimmed). */
const fmt = (v: number) =>
	v >= 100
		? v.toFixed(0)
		: (v >= 1 ? v.toPrecision(3) : v.toPrecision(2))
				.replace(/(\.\d*?)0+$/, "$1")
				.replace(/\.$/, "");

/** Axis mapping and tick values for one dimension. */
function axis(values: number[], log: boolean, fixed?: [number, number]) {
	let [lo, hi] = fixed ?? [Math.min(...values), Math.max(...values)];
	if (log) {
		lo = 10 ** Math.floor(Math.log10(lo));
		hi = 10 ** Math.ceil(Math.log10(hi));
		if (lo === hi) hi = lo * 10;
	} else if (!fixed) {
		const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.1 || 1;
		lo -= pad;
		hi += pad;
	}
	const t = (v: number) =>
		log
			? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))
			: (v - lo) / (hi - lo);
	const ticks: number[] = [];
	if (log) {
		for (let d = lo; d <= hi * 1.0001; d *= 10) ticks.push(d);
	} else {
		for (let i = 0; i <= 5; i++) ticks.push(lo + ((hi - lo) * i) / 5);
	}
	return { t, ticks };
}

export function lineChart(spec: ChartSpec): string {
	const pts = spec.series.flatMap((s) => s.points);
	const pw = W - M.left - M.right;
	const ph = H - M.top - M.bottom;
	const out: string[] = [
		`<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(spec.title)}" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
		`<title>${esc(spec.title)}</title>`,
		`<rect width="${W}" height="${H}" fill="white"/>`,
		`<text x="${W / 2 - M.right / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(spec.title)}</text>`,
	];
	if (pts.length === 0) {
		out.push(`<text x="${W / 2}" y="${H / 2}" text-anchor="middle">no data yet</text></svg>`);
		return out.join("\n");
	}
	const xa = axis(
		pts.map((p) => p.x),
		spec.xLog ?? false,
	);
	const ya = axis(
		pts.map((p) => p.y),
		spec.yLog ?? false,
		spec.yRange,
	);
	const X = (v: number) => M.left + xa.t(v) * pw;
	const Y = (v: number) => M.top + (1 - ya.t(v)) * ph;
	for (const v of xa.ticks) {
		out.push(`<line x1="${X(v)}" x2="${X(v)}" y1="${M.top}" y2="${M.top + ph}" stroke="#e5e5e5"/>`);
		out.push(`<text x="${X(v)}" y="${M.top + ph + 16}" text-anchor="middle">${fmt(v)}</text>`);
	}
	for (const v of ya.ticks) {
		out.push(
			`<line x1="${M.left}" x2="${M.left + pw}" y1="${Y(v)}" y2="${Y(v)}" stroke="#e5e5e5"/>`,
		);
		out.push(`<text x="${M.left - 6}" y="${Y(v) + 4}" text-anchor="end">${fmt(v)}</text>`);
	}
	out.push(
		`<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`,
	);
	out.push(
		`<text x="${M.left + pw / 2}" y="${H - 14}" text-anchor="middle">${esc(spec.xLabel)}</text>`,
	);
	out.push(
		`<text transform="translate(18 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(spec.yLabel)}</text>`,
	);
	spec.series.forEach((s, i) => {
		const colour = COLOURS[i % COLOURS.length];
		const sorted = [...s.points].sort((a, b) => a.x - b.x);
		const path = sorted
			.map((p, j) => `${j === 0 ? "M" : "L"}${X(p.x).toFixed(1)},${Y(p.y).toFixed(1)}`)
			.join(" ");
		const dash = s.dashed ? ' stroke-dasharray="5 4"' : "";
		if (sorted.length > 1)
			out.push(`<path d="${path}" fill="none" stroke="${colour}" stroke-width="2"${dash}/>`);
		for (const p of sorted) {
			out.push(
				`<circle cx="${X(p.x).toFixed(1)}" cy="${Y(p.y).toFixed(1)}" r="3.5" fill="${colour}"/>`,
			);
			if (p.label) {
				out.push(
					`<text x="${(X(p.x) + 5).toFixed(1)}" y="${(Y(p.y) - 6).toFixed(1)}" font-size="10" fill="${colour}">${esc(p.label)}</text>`,
				);
			}
		}
		const ly = M.top + 8 + i * 18;
		out.push(
			`<line x1="${W - M.right + 14}" x2="${W - M.right + 36}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="2"${dash}/>`,
		);
		out.push(`<text x="${W - M.right + 42}" y="${ly + 4}">${esc(s.name)}</text>`);
	});
	out.push("</svg>");
	return out.join("\n");
}
