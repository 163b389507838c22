// A child process on a PGlite data directory, run from the built dist/ (plain ESM).
//   node child.mjs open  <dataDir> <job-json>  opens, prints "opened", closes
//   node child.mjs write <dataDir> <job-json>  opens, then writes memories forever, printing
//                                              "ack <id>" after each write resolves
// A failure prints "error <code> <message>" and exits with status 3.
import { randomUUID } from "node:crypto";
import { PGliteDatabaseAdapter } from "../../../dist/backends/pglite/index.js";

const [mode, dataDir, jobJson] = process.argv.slice(2);
const job = JSON.parse(jobJson);
try {
	const adapter = new PGliteDatabaseAdapter({ dataDir, embeddingDimension: job.dimension });
	await adapter.init();
	console.log("opened");
	if (mode === "open") {
		await adapter.close();
		process.exit(0);
	}
	for (let i = 0; ; i++) {
		const id = randomUUID();
		const embedding = Array.from({ length: job.dimension }, (_, d) => Math.sin(i + d));
		await adapter.createMemory(
			{
				id,
				userId: job.userId,
				agentId: job.agentId,
				roomId: job.roomId,
				content: { text: `m${i}` },
				embedding,
			},
			"messages",
		);
		console.log(`ack ${id}`);
	}
} catch (err) {
	console.log(`error ${err?.code} ${err?.message}`);
	process.exit(3);
}
