/** `export`, `import` and `copy`: every record, streamed, between files and backends. */
import { createWriteStream, existsSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { finished } from "node:stream/promises";
import type { Command } from "commander";
import type { DatabaseAdapter } from "../../core/adapter.js";
import { NotFoundError } from "../../core/errors.js";
import type { ImportSummary, PortableRecord } from "../../core/portable-types.js";
import { redactUrl } from "../../core/redact.js";
import type { AdapterStats } from "../../core/types.js";
import { createAdapter } from "../../create-adapter.js";
import { checkJsonl, readJsonl, writeJsonl } from "../../portable/jsonl.js";
import { databaseUrl, optionsOf, output, UsageError, using } from "../context.js";
import { plural } from "../format.js";
import { openExisting } from "../open.js";
import { progress } from "../progress.js";
import { type CopyCheck, verifyCopy } from "./verify.js";

const total = (s: AdapterStats) =>
	s.accounts +
	s.rooms +
	s.participants +
	s.relationships +
	s.goals +
	s.logs +
	s.cache +
	s.knowledge +
	s.memories;

export function registerTransferCommands(program: Command): void {
	program
		.command("export")
		.description("write every record (with its vector) as versioned JSONL to a file, or to stdout")
		.argument("[file]", "where to write; stdout when absent")
		.action(async (file: string | undefined, _o, cmd: Command) => {
			const g = optionsOf(cmd);
			await using(openExisting(databaseUrl(g), g), async (db) => {
				const bar = progress("exporting", total(await db.stats()), !!file && !g.json);
				let n = 0;
				const counted = tap(db.exportRecords(), (r) => {
					if (r.kind !== "database") bar.update(++n);
				});
				if (!file) {
					await writeJsonl(counted, process.stdout);
					return;
				}
				// Written beside the target and renamed at the end: a failed export leaves no partial file.
				const partial = `${file}.partial`;
				// Private like the database it copies (0600): it holds every conversation.
				const out = createWriteStream(partial, { mode: 0o600 });
				try {
					const records = await writeJsonl(counted, out);
					out.end();
					await finished(out);
					await rename(partial, file);
					bar.finish();
					output(g, { file, records }, () => `Exported ${plural(records, "record")} to ${file}.`);
				} catch (err) {
					out.destroy();
					await rm(partial, { force: true });
					throw err;
				}
			});
		});

	program
		.command("import")
		.description(
			"read an export file into the database: checked in full first, then written in one transaction",
		)
		.argument("<file>", "a file written by `agentmem export`")
		.action(async (file: string, _o, cmd: Command) => {
			const g = optionsOf(cmd);
			if (!existsSync(file)) throw new NotFoundError(`import: no such file: ${file}`);
			const { header, counts } = await checkJsonl(file);
			const n = Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
			const adapter = createAdapter(databaseUrl(g), {
				embeddingDimension: header.embeddingDimension,
				...(header.embeddingModel ? { embeddingModel: header.embeddingModel } : {}),
			});
			await using(adapter, async (db) => {
				const bar = progress("importing", n, !g.json);
				const summary = await db.importRecords(readJsonl(file), {
					atomic: true,
					onProgress: (done) => bar.update(done),
				});
				bar.finish();
				output(
					g,
					{ file, imported: summary },
					() => `Imported ${describeSummary(summary)} from ${file}.`,
				);
			});
		});

	program
		.command("copy")
		.description("copy every record from one database to another (any backends), then verify")
		.requiredOption("--from <url>", "the source database URL")
		.requiredOption("--to <url>", "the target database URL")
		.option("--batch-size <n>", "records per transaction", (v) => Number(v), 500)
		.action(async (_o, cmd: Command) => {
			const g = optionsOf(cmd);
			if (g.from === g.to) throw new UsageError("copy: --from and --to name the same database");
			await using(openExisting(g.from as string, g), async (source) => {
				const s = await source.stats();
				const target = createAdapter(g.to as string, {
					embeddingDimension: s.embeddingDimension,
					...(s.embeddingModel ? { embeddingModel: s.embeddingModel } : {}),
				});
				await using(target, async (dst) => {
					const result = await copy(source, dst, total(s), !g.json, g.batchSize as number);
					const ok = result.check.countsEqual && result.check.queriesEqual;
					const [from, to] = [redactUrl(g.from as string), redactUrl(g.to as string)];
					output(g, { from, to, ...result, ok }, () =>
						[
							`Copied ${describeSummary(result.copied)}.`,
							`Verified: counts ${result.check.countsEqual ? "equal" : `DIFFER (${result.check.countDifferences.join(", ")})`}; ` +
								`${result.check.queries} sample searches ${result.check.queriesEqual ? "identical" : "DIFFER"}.`,
						].join("\n"),
					);
					if (!ok) process.exitCode = 1;
				});
			});
		});
}

async function copy(
	source: DatabaseAdapter,
	target: DatabaseAdapter,
	expected: number,
	showProgress: boolean,
	batchSize: number,
): Promise<{ copied: ImportSummary; check: CopyCheck }> {
	const bar = progress("copying", expected, showProgress);
	const samples: PortableRecord[] = [];
	const records = tap(source.exportRecords(), (r) => {
		if (r.kind === "memory" && r.embedding && samples.length < 5) samples.push(r);
	});
	const copied = await target.importRecords(records, {
		batchSize,
		onProgress: (n) => bar.update(n),
	});
	bar.finish();
	return { copied, check: await verifyCopy(source, target, samples) };
}

/** Passes records through, calling `fn` on each. */
async function* tap<T>(records: AsyncIterable<T>, fn: (r: T) => void): AsyncGenerator<T> {
	for await (const r of records) {
		fn(r);
		yield r;
	}
}

function describeSummary(s: ImportSummary): string {
	const parts = Object.entries(s)
		.filter(([, n]) => n > 0)
		.map(([k, n]) =>
			k === "memory"
				? plural(n, "memory", "memories")
				: k === "cache"
					? plural(n, "cache entry", "cache entries")
					: k === "knowledge"
						? plural(n, "knowledge item")
						: plural(n, k),
		);
	return parts.length ? parts.join(", ") : "nothing";
}
