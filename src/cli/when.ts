/** Times and durations on the command line: `--before 2024-05-01`, `--older-than 30d`. */
import { InvalidArgumentError } from "commander";

const UNITS: Record<string, number> = {
	s: 1000,
	m: 60_000,
	h: 3_600_000,
	d: 86_400_000,
	w: 7 * 86_400_000,
};

/** `30d`, `12h`, `90m`, `45s`, `2w` as milliseconds (a usage error otherwise). */
export function duration(value: string): number {
	const m = /^(\d+)\s*([smhdw])$/i.exec(value.trim());
	const n = m ? Number(m[1]) : Number.NaN;
	if (!m || !Number.isSafeInteger(n) || n < 1)
		throw new InvalidArgumentError("expected a duration such as 30d, 12h, 90m, 45s or 2w");
	return n * (UNITS[(m[2] as string).toLowerCase()] as number);
}

/**
 * A point in time: an ISO date (`2024-05-01`, UTC midnight), date and time
 * (`2024-05-01T14:00Z`, `2024-05-01 14:00`, UTC when no zone is given), or milliseconds since
 * the epoch.
 */
export function instant(value: string): number {
	const v = value.trim();
	if (/^\d{10,}$/.test(v)) return Number(v);
	const iso = /^\d{4}-\d\d-\d\d$/.test(v)
		? `${v}T00:00:00Z`
		: /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(v)
			? `${v.replace(" ", "T")}Z`
			: v;
	const ms = /^\d{4}-\d\d-\d\d/.test(iso) ? Date.parse(iso) : Number.NaN;
	if (!Number.isFinite(ms))
		throw new InvalidArgumentError(
			"expected a date (2024-05-01), a date and time (2024-05-01T14:00Z) or ms since the epoch",
		);
	return ms;
}

/** `30 days`, `12 hours`: a duration as `duration()` reads it, for messages. */
export function formatDuration(ms: number): string {
	for (const [unit, name] of [
		["w", "week"],
		["d", "day"],
		["h", "hour"],
		["m", "minute"],
	] as const) {
		const size = UNITS[unit] as number;
		if (ms % size === 0) {
			const n = ms / size;
			return `${n} ${name}${n === 1 ? "" : "s"}`;
		}
	}
	return `${Math.round(ms / 1000)} seconds`;
}
