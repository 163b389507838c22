/**
 * Reading JSON that older agentmem versions wrote. Before values were serialised exactly as
 * JSON.stringify does, an array hole was written as nothing (`[1,,3]`, `[,1]`, `[1,]`) on SQLite and
 * SQL.js, and such a row made every read of it throw. Such text is read as JSON.stringify would have
 * written it: each hole is `null` (an array of n slots was written with n - 1 commas; only a
 * one-slot array holding a hole, written `[]`, cannot be told from an empty one and reads as `[]`).
 */

/** `text` with a `null` in every empty array slot; unchanged outside arrays and inside strings. */
export function fillArrayHoles(text: string): string {
	let out = "";
	const stack: string[] = []; // "[" or "{" per open container
	let expectValue = false; // in an array, after "[" or ","
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i] as string;
		if (inString) {
			out += c;
			if (c === "\\") {
				out += text[i + 1] ?? "";
				i++;
			} else if (c === '"') inString = false;
			continue;
		}
		if (c === " " || c === "\n" || c === "\r" || c === "\t") {
			out += c;
			continue;
		}
		const inArray = stack[stack.length - 1] === "[";
		if (inArray && expectValue && (c === "," || (c === "]" && !out.trimEnd().endsWith("[")))) {
			out += "null"; // a hole
		}
		expectValue = false;
		if (c === "[" || c === "{") {
			stack.push(c);
			expectValue = c === "[";
		} else if (c === "]" || c === "}") {
			stack.pop();
		} else if (c === ",") {
			expectValue = stack[stack.length - 1] === "[";
		} else if (c === '"') {
			inString = true;
		}
		out += c;
	}
	return out;
}
