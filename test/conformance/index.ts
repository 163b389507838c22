/**
 * The conformance suite: the single definition of agentmem's behaviour, run unchanged against every
 * backend. A backend's test file calls `registerConformanceSuite` with a factory of fresh adapters.
 */
import { afterAll, afterEach, describe } from "vitest";
import type { DatabaseAdapter } from "../../src/core/adapter.js";
import { registerAccountsTests } from "./accounts.js";
import { registerBadInputTests } from "./bad-input.js";
import { registerCacheTests } from "./cache.js";
import { registerCascadesTests } from "./cascades.js";
import { registerDataRulesTests } from "./data-rules.js";
import { registerDedupTests } from "./dedup.js";
import { registerDimensionsTests } from "./dimensions.js";
import { registerEmbeddingCacheTests } from "./embedding-cache.js";
import { registerFilteredTopKTests } from "./filtered-topk.js";
import { type ConformanceContext, DEFAULT_DIMENSION } from "./fixtures.js";
import { registerFloat32RangeTests } from "./float32-range.js";
import { registerGoalsTests } from "./goals.js";
import { registerInjectionTests } from "./injection.js";
import { registerKnowledgeTests } from "./knowledge.js";
import { registerLifecycleTests } from "./lifecycle.js";
import { registerLogsTests } from "./logs.js";
import { registerMemoriesTests } from "./memories.js";
import { registerRelationshipsTests } from "./relationships.js";
import { registerRoomsParticipantsTests } from "./rooms-participants.js";
import { registerSearchTiesTests } from "./search-ties.js";
import { registerSubscribeTests } from "./subscribe.js";
import { registerTransactionsTests } from "./transactions.js";
import { registerVectorSearchTests } from "./vector-search.js";

export type { ConformanceContext } from "./fixtures.js";

const TOPICS = {
	accounts: registerAccountsTests,
	"rooms-participants": registerRoomsParticipantsTests,
	memories: registerMemoriesTests,
	"data-rules": registerDataRulesTests,
	"vector-search": registerVectorSearchTests,
	"filtered-topk": registerFilteredTopKTests,
	"search-ties": registerSearchTiesTests,
	dimensions: registerDimensionsTests,
	"float32-range": registerFloat32RangeTests,
	dedup: registerDedupTests,
	"embedding-cache": registerEmbeddingCacheTests,
	goals: registerGoalsTests,
	relationships: registerRelationshipsTests,
	logs: registerLogsTests,
	cache: registerCacheTests,
	knowledge: registerKnowledgeTests,
	transactions: registerTransactionsTests,
	"bad-input": registerBadInputTests,
	injection: registerInjectionTests,
	cascades: registerCascadesTests,
	subscribe: registerSubscribeTests,
	lifecycle: registerLifecycleTests,
} satisfies Record<string, (ctx: ConformanceContext) => void>;

export type ConformanceTopic = keyof typeof TOPICS;

export interface ConformanceOptions {
	/** A fresh, initialised, empty adapter storing vectors of `embeddingDimension`. */
	makeAdapter(opts: { embeddingDimension: number }): Promise<DatabaseAdapter>;
	/** Topics to leave out (e.g. while a backend is in progress); every topic runs by default. */
	topics?: Partial<Record<ConformanceTopic, boolean>>;
}

export function registerConformanceSuite(name: string, options: ConformanceOptions): void {
	describe(name, () => {
		const open: DatabaseAdapter[] = [];
		afterEach(async () => {
			for (const adapter of open.splice(0)) await adapter.close();
		});
		let shared: { dimension: number; adapter: Promise<DatabaseAdapter> } | undefined;
		const closeShared = async () => {
			const adapter = shared?.adapter;
			shared = undefined;
			await adapter?.then(
				(a) => a.close(),
				() => undefined,
			);
		};
		afterAll(closeShared);
		const ctx: ConformanceContext = {
			async sharedAdapter(opts = {}) {
				const dimension = opts.embeddingDimension ?? DEFAULT_DIMENSION;
				if (shared?.dimension !== dimension) {
					await closeShared();
					shared = { dimension, adapter: options.makeAdapter({ embeddingDimension: dimension }) };
				}
				return shared.adapter;
			},
			async makeAdapter(opts = {}) {
				// Backends that share one database instance between adapters start each afresh.
				await closeShared();
				const adapter = await options.makeAdapter({
					embeddingDimension: opts.embeddingDimension ?? DEFAULT_DIMENSION,
				});
				open.push(adapter);
				return adapter;
			},
		};
		for (const [topic, register] of Object.entries(TOPICS)) {
			if (options.topics?.[topic as ConformanceTopic] === false) continue;
			describe(topic, () => register(ctx));
		}
	});
}
