export {
	type CachedEmbeddingProvider,
	type EmbeddingCacheOptions,
	withEmbeddingCache,
} from "./cache.js";
export {
	createHashingEmbedder,
	DEFAULT_HASHING_DIMENSION,
	type HashingEmbedderOptions,
	tokenize,
} from "./hashing.js";
export { createOpenAIEmbedder, type OpenAIEmbedder, type OpenAIEmbedderOptions } from "./openai.js";
export type { EmbeddingProvider } from "./provider.js";
