// A child process that writes memories to a SQLite file through the built adapter (dist/), and
// prints "ack <batch>" after each batch's createMemories resolves (i.e. committed). Used by the
// crash test (killed with SIGKILL mid-run) and the two-process test (runs for `durationMs`).
// argv: JSON { path, dimension, writer, agentId, userId, roomId, batchSize, durationMs? }
import { SqliteDatabaseAdapter } from "../../../dist/backends/sqlite/index.js";

const job = JSON.parse(process.argv[2]);
const adapter = new SqliteDatabaseAdapter({ path: job.path, embeddingDimension: job.dimension });

/** A deterministic, never-zero vector for (writer, batch, item). */
function vector(seed) {
	return Array.from({ length: job.dimension }, (_, i) => Math.sin(seed * 31 + i * 7) + 1.5);
}

try {
	await adapter.init();
	const until =
		job.durationMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + job.durationMs;
	let batch = 0;
	while (Date.now() < until) {
		const items = Array.from({ length: job.batchSize }, (_, i) => ({
			memory: {
				id: crypto.randomUUID(),
				userId: job.userId,
				agentId: job.agentId,
				roomId: job.roomId,
				content: { text: `${job.writer} ${batch} ${i}`, writer: job.writer, batch },
				embedding: vector(batch * job.batchSize + i + job.writer.length * 1e4),
			},
			tableName: "messages",
			unique: false,
		}));
		await adapter.createMemories(items);
		process.stdout.write(`ack ${batch}\n`);
		batch++;
	}
	await adapter.close();
	process.stdout.write(`done ${batch}\n`);
} catch (err) {
	process.stderr.write(`${err?.name ?? "Error"} ${err?.code ?? ""}: ${err?.message ?? err}\n`);
	process.exit(1);
}
