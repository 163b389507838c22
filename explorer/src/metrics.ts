/** Reads Prometheus text (the service's /metrics) into samples, and the request and error counts from it. */

export interface Sample {
	name: string;
	labels: Record<string, string>;
	value: number;
}

export function parsePrometheus(text: string): Sample[] {
	const samples: Sample[] = [];
	for (const line of text.split("\n")) {
		if (!line || line.startsWith("#")) continue;
		const m = /^([a-zA-Z_:][\w:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
		if (!m) continue;
		const labels: Record<string, string> = {};
		for (const l of (m[3] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
			labels[l[1] as string] = (l[2] as string).replace(/\\(.)/g, "$1");
		const value = Number(m[4]);
		if (Number.isFinite(value)) samples.push({ name: m[1] as string, labels, value });
	}
	return samples;
}

/** Total HTTP requests and those that failed on the server's side (5xx), from the request counter. */
export function requestCounts(samples: Sample[]): { requests: number; errors: number } {
	let requests = 0;
	let errors = 0;
	for (const s of samples) {
		if (!/requests_total$/.test(s.name)) continue;
		requests += s.value;
		const status = s.labels.status_code ?? s.labels.status ?? s.labels.code ?? "";
		if (status.startsWith("5")) errors += s.value;
	}
	return { requests, errors };
}

/** The first sample of a metric whose name contains `part` (e.g. "circuit", "pool"). */
export function find(samples: Sample[], part: RegExp): Sample[] {
	return samples.filter((s) => part.test(s.name));
}
