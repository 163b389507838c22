/** The PostgreSQL family: statements, migrations and encodings shared by PostgreSQL and PGlite. */
import type { SqlFamily } from "../../core/sql/family.js";
import { fromPgVectorBinary, fromPgVectorText, toPgVectorText } from "../../core/vector.js";
import { migrations } from "./migrations.generated.js";
import { postgresLifecycleStatements } from "./postgres-lifecycle-statements.js";
import { postgresPortableStatements } from "./postgres-portable-statements.js";
import { postgresStatements } from "./postgres-statements.js";

export const postgresFamily: SqlFamily = {
	name: "postgres",
	statements: postgresStatements,
	portable: postgresPortableStatements,
	migrations,
	lifecycle: postgresLifecycleStatements,
	// pgvector's text form; Float32 rounding first, so every backend stores the same value.
	encodeEmbedding: (vector) => toPgVectorText(vector),
	// Statements select `vector_send(embedding)`: bytea, a Buffer from pg and a Uint8Array from PGlite.
	decodeEmbedding: (value) => {
		if (value instanceof Uint8Array) return fromPgVectorBinary(value);
		if (typeof value === "string") return Float32Array.from(fromPgVectorText(value));
		if (Array.isArray(value) || value instanceof Float32Array) return Float32Array.from(value);
		return null;
	},
	encodeBool: (value) => value,
};
