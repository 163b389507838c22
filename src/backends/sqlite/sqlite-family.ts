/** The SQLite family: statements, migrations and encodings shared by SQLite and SQL.js. */
import type { SqlFamily } from "../../core/sql/family.js";
import { fromFloat32Bytes, toFloat32Bytes } from "../../core/vector.js";
import { migrations } from "./migrations.generated.js";
import { sqliteLifecycleStatements } from "./sqlite-lifecycle-statements.js";
import { sqlitePortableStatements } from "./sqlite-portable-statements.js";
import { sqliteStatements } from "./sqlite-statements.js";

export const sqliteFamily: SqlFamily = {
	name: "sqlite",
	statements: sqliteStatements,
	portable: sqlitePortableStatements,
	migrations,
	lifecycle: sqliteLifecycleStatements,
	encodeEmbedding: (vector) => toFloat32Bytes(vector),
	decodeEmbedding: (value) => (value instanceof Uint8Array ? fromFloat32Bytes(value) : null),
	encodeBool: (value) => (value ? 1 : 0),
};
