/**
 * Draws up to hundreds of thousands of points on one canvas (no DOM per point): points grouped by
 * colour so each colour is one fill, a uniform grid to find the point under the pointer, and a
 * view transform for zoom and pan.
 */
export const PALETTE = [
	"#4e79a7",
	"#f28e2b",
	"#e15759",
	"#76b7b2",
	"#59a14f",
	"#edc948",
	"#b07aa1",
	"#ff9da7",
	"#9c755f",
	"#17becf",
	"#bcbd22",
	"#8c6d31",
];
export const OTHER = "#9aa1ad";

export interface View {
	/** Data → screen: x' = x * scale + tx (CSS pixels). */
	scale: number;
	tx: number;
	ty: number;
}

export class Scatter {
	private positions: Float32Array = new Float32Array(0);
	private n = 0;
	private grid = new Map<number, number[]>();
	private cell = 1;
	private minX = 0;
	private minY = 0;
	view: View = { scale: 1, tx: 0, ty: 0 };

	constructor(private canvas: HTMLCanvasElement) {}

	setPositions(positions: Float32Array, n: number, fit: boolean) {
		this.positions = positions;
		this.n = n;
		let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
		for (let i = 0; i < n; i++) {
			const x = positions[i * 2] as number;
			const y = positions[i * 2 + 1] as number;
			if (x < minX) minX = x;
			if (x > maxX) maxX = x;
			if (y < minY) minY = y;
			if (y > maxY) maxY = y;
		}
		if (n === 0) [minX, minY, maxX, maxY] = [0, 0, 1, 1];
		const span = Math.max(maxX - minX, maxY - minY, 1e-9);
		// About 4 points per cell on average keeps lookups small.
		this.cell = span / Math.max(1, Math.sqrt(n / 4));
		this.minX = minX;
		this.minY = minY;
		this.grid.clear();
		for (let i = 0; i < n; i++) {
			const key = this.key(positions[i * 2] as number, positions[i * 2 + 1] as number);
			const list = this.grid.get(key);
			if (list) list.push(i);
			else this.grid.set(key, [i]);
		}
		if (fit) {
			const { width, height } = this.size();
			const scale = (Math.min(width, height) * 0.9) / span;
			this.view = {
				scale,
				tx: width / 2 - ((minX + maxX) / 2) * scale,
				ty: height / 2 - ((minY + maxY) / 2) * scale,
			};
		}
	}

	private key(x: number, y: number): number {
		return (
			Math.floor((x - this.minX) / this.cell) * 1_000_003 + Math.floor((y - this.minY) / this.cell)
		);
	}

	size() {
		const r = this.canvas.getBoundingClientRect();
		return { width: Math.max(1, r.width), height: Math.max(1, r.height) };
	}

	/** The point nearest the screen position within `radius` CSS pixels, or -1. */
	pick(sx: number, sy: number, radius = 8): number {
		const { scale, tx, ty } = this.view;
		const x = (sx - tx) / scale;
		const y = (sy - ty) / scale;
		const r = radius / scale;
		const cells = Math.ceil(r / this.cell);
		const cx = Math.floor((x - this.minX) / this.cell);
		const cy = Math.floor((y - this.minY) / this.cell);
		let best = -1;
		let bestD = r * r;
		for (let i = -cells; i <= cells; i++) {
			for (let j = -cells; j <= cells; j++) {
				for (const p of this.grid.get((cx + i) * 1_000_003 + (cy + j)) ?? []) {
					const dx = (this.positions[p * 2] as number) - x;
					const dy = (this.positions[p * 2 + 1] as number) - y;
					const d = dx * dx + dy * dy;
					if (d <= bestD) {
						bestD = d;
						best = p;
					}
				}
			}
		}
		return best;
	}

	/** Draws every point: `colour[i]` indexes `colours`; highlighted points (if any) drawn last and larger. */
	draw(
		colour: Uint8Array,
		colours: string[],
		highlight: Uint8Array | null,
		hovered: number,
		background: string,
	) {
		const dpr = window.devicePixelRatio || 1;
		const { width, height } = this.size();
		if (
			this.canvas.width !== Math.round(width * dpr) ||
			this.canvas.height !== Math.round(height * dpr)
		) {
			this.canvas.width = Math.round(width * dpr);
			this.canvas.height = Math.round(height * dpr);
		}
		const ctx = this.canvas.getContext("2d");
		if (!ctx) return;
		ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
		ctx.fillStyle = background;
		ctx.fillRect(0, 0, width, height);
		const { scale, tx, ty } = this.view;
		const size = this.n > 20_000 ? 2 : this.n > 2_000 ? 3 : this.n > 500 ? 5 : 7;
		const half = size / 2;
		const dim = highlight !== null;
		ctx.globalAlpha = dim ? 0.18 : 0.85;
		for (let c = 0; c < colours.length; c++) {
			ctx.fillStyle = colours[c] as string;
			ctx.beginPath();
			for (let i = 0; i < this.n; i++) {
				if (colour[i] !== c) continue;
				const x = (this.positions[i * 2] as number) * scale + tx;
				const y = (this.positions[i * 2 + 1] as number) * scale + ty;
				if (x < -half || y < -half || x > width + half || y > height + half) continue;
				ctx.rect(x - half, y - half, size, size);
			}
			ctx.fill();
		}
		ctx.globalAlpha = 1;
		if (highlight) {
			ctx.strokeStyle = background;
			for (let i = 0; i < this.n; i++) {
				if (!highlight[i]) continue;
				const x = (this.positions[i * 2] as number) * scale + tx;
				const y = (this.positions[i * 2 + 1] as number) * scale + ty;
				ctx.fillStyle = colours[colour[i] as number] as string;
				ctx.beginPath();
				ctx.arc(x, y, size + 1.5, 0, Math.PI * 2);
				ctx.fill();
				ctx.stroke();
			}
		}
		if (hovered >= 0) {
			const x = (this.positions[hovered * 2] as number) * scale + tx;
			const y = (this.positions[hovered * 2 + 1] as number) * scale + ty;
			ctx.strokeStyle = getComputedStyle(this.canvas).color;
			ctx.lineWidth = 2;
			ctx.beginPath();
			ctx.arc(x, y, size + 4, 0, Math.PI * 2);
			ctx.stroke();
			ctx.lineWidth = 1;
		}
	}

	/** Zoom by `factor` around a screen point. */
	zoom(factor: number, sx: number, sy: number) {
		const v = this.view;
		this.view = {
			scale: v.scale * factor,
			tx: sx - (sx - v.tx) * factor,
			ty: sy - (sy - v.ty) * factor,
		};
	}

	pan(dx: number, dy: number) {
		this.view = { ...this.view, tx: this.view.tx + dx, ty: this.view.ty + dy };
	}
}
