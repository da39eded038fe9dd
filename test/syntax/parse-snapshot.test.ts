import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/compiler/index.js";
import { parseWhole } from "../../src/compiler/syntax/parse.js";
import { contractExamples, EXAMPLES_DIR } from "../support/examples.js";
import { pick, seededRandom } from "../support/random.js";

/**
 * The parser's output, AST (spans included) and diagnostics, for every
 * example spec, every error spec and thousands of seeded mutations of the
 * contract examples, against fingerprints recorded from an earlier parser.
 * Any change to a tree, a span, a recovery or a message shows here; run
 * `npx vitest run test/syntax/parse-snapshot.test.ts -u` only when a change
 * to what users see is meant.
 */

const MUTATIONS_PER_EXAMPLE = 300;
const GARBAGE = ["{", "}", "(", ")", "[", "]", ",", ":", "=", ".", "-", "*", "\n", '"', "/*", "*/", "//", "@", "on", "using", "from", "data", "model x(", "1e", "0.5deg", "x", "-3", "true"];
/** Words, numbers with units, strings and single characters: a tokenization that does not depend on the lexer under test. */
const TOKEN = /[A-Za-z_*][A-Za-z0-9_*]*|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?:%|[A-Za-z_]+)?|"[^"\n]*"?|\S/g;

function specFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? specFiles(join(dir, entry.name)) : entry.name.endsWith(".reg") ? [join(dir, entry.name)] : []))
    .sort();
}

/** JSON-like text with sorted keys and without `undefined` members, so equal trees give equal text whatever order their fields were set in. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const record = value as Record<string, unknown>;
  const fields = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonical(record[key])}`);
  return `{${fields.join(",")}}`;
}

function fingerprint(text: string): string {
  const result = { chunked: parse(text), whole: parseWhole(text) };
  return createHash("sha256").update(canonical(result)).digest("hex").slice(0, 16);
}

function mutate(text: string, random: () => number): string {
  const tokens = [...text.matchAll(TOKEN)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  if (tokens.length < 2) return text;
  const t = pick(random, tokens);
  switch (Math.floor(random() * 5)) {
    case 0:
      return text.slice(0, t.start) + text.slice(t.end);
    case 1:
      return text.slice(0, t.start) + pick(random, GARBAGE) + " " + text.slice(t.start);
    case 2:
      return text.slice(0, t.end) + " " + text.slice(t.start, t.end) + text.slice(t.end);
    case 3:
      return text.slice(0, Math.floor(random() * text.length));
    default:
      return text.slice(0, t.start) + "[".repeat(28 + Math.floor(random() * 8)) + text.slice(t.start);
  }
}

/** Case name → text: each spec file, then the mutations. */
function corpus(): Map<string, string> {
  const cases = new Map<string, string>();
  for (const path of specFiles(EXAMPLES_DIR)) cases.set(relative(EXAMPLES_DIR, path), readFileSync(path, "utf8"));
  for (const example of contractExamples()) {
    const random = seededRandom(example.name.length * 104729 + 3);
    for (let i = 0; i < MUTATIONS_PER_EXAMPLE; i++) {
      let text = example.text;
      const rounds = 1 + Math.floor(random() * 3);
      for (let r = 0; r < rounds; r++) text = mutate(text, random);
      cases.set(`${example.name} mutation ${i}`, text);
    }
  }
  return cases;
}

const RECORD = join(import.meta.dirname, "parse-snapshot.json");

describe("parser output", () => {
  it("matches the recorded trees and diagnostics of every spec and mutation", async () => {
    // The record pins the cases it was taken on: a spec added since is not in it, and does not fail here.
    const recorded = existsSync(RECORD) ? new Set(Object.keys(JSON.parse(readFileSync(RECORD, "utf8")) as object)) : undefined;
    const cases = [...corpus()].filter(([name]) => !recorded || recorded.has(name));
    const fingerprints = Object.fromEntries(cases.map(([name, text]) => [name, fingerprint(text)]));
    expect(Object.keys(fingerprints).length).toBeGreaterThan(1900);
    await expect(JSON.stringify(fingerprints, null, 1) + "\n").toMatchFileSnapshot(RECORD);
  });
});
