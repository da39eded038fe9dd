import { describe, expect, it } from "vitest";
import { check } from "../src/compiler/index.js";
import { lex } from "../src/compiler/syntax/lexer.js";
import { contractExamples } from "./support/examples.js";
import { pick, seededRandom } from "./support/random.js";

/**
 * The front end must survive anything a user can type: every mutation of a
 * valid spec yields diagnostics whose ranges lie inside the document, and
 * never an exception or a hang.
 */

const MUTATIONS_PER_EXAMPLE = 1700;
const GARBAGE = ["{", "}", "(", ")", "[", "]", ",", ":", "=", ".", "-", "*", "\n", '"', "/*", "//", "@", "#", "é", "\u0000", "on", "from", "data", "1e", "0.5deg", "x"];

type Mutation = (text: string, tokens: Array<{ start: number; end: number }>, random: () => number) => string;

const mutations: Record<string, Mutation> = {
  deleteToken(text, tokens, random) {
    const t = pick(random, tokens);
    return text.slice(0, t.start) + text.slice(t.end);
  },
  insertToken(text, tokens, random) {
    const at = pick(random, tokens).start;
    return text.slice(0, at) + pick(random, GARBAGE) + " " + text.slice(at);
  },
  duplicateToken(text, tokens, random) {
    const t = pick(random, tokens);
    return text.slice(0, t.end) + " " + text.slice(t.start, t.end) + text.slice(t.end);
  },
  swapTokens(text, tokens, random) {
    const i = Math.floor(random() * (tokens.length - 1));
    const a = tokens[i]!;
    const b = tokens[i + 1]!;
    return text.slice(0, a.start) + text.slice(b.start, b.end) + text.slice(a.end, b.start) + text.slice(a.start, a.end) + text.slice(b.end);
  },
  truncate(text, _tokens, random) {
    return text.slice(0, Math.floor(random() * text.length));
  },
  randomBytes(text, _tokens, random) {
    const at = Math.floor(random() * text.length);
    const bytes = Array.from({ length: 1 + Math.floor(random() * 8) }, () => String.fromCharCode(Math.floor(random() * 0x3000)));
    return text.slice(0, at) + bytes.join("") + text.slice(at);
  },
  nestDeeply(text, tokens, random) {
    const at = pick(random, tokens).start;
    const opener = random() < 0.5 ? "[" : "f(";
    return text.slice(0, at) + opener.repeat(20 + Math.floor(random() * 400)) + text.slice(at);
  },
  halfWord(text, tokens, random) {
    const t = pick(random, tokens);
    const cut = t.start + Math.max(1, Math.floor((t.end - t.start) / 2));
    return text.slice(0, cut) + text.slice(t.end);
  },
};

describe("front end robustness", () => {
  for (const example of contractExamples()) {
    it(`survives ${MUTATIONS_PER_EXAMPLE} seeded mutations of ${example.name}`, () => {
      const random = seededRandom(example.name.length * 7919 + 1);
      const names = Object.keys(mutations);
      let mutated = 0;
      for (let i = 0; i < MUTATIONS_PER_EXAMPLE; i++) {
        let text = example.text;
        const rounds = 1 + Math.floor(random() * 3);
        for (let r = 0; r < rounds; r++) {
          const tokens = lex(text).tokens.map((t) => ({ start: t.startOffset, end: t.startOffset + t.image.length }));
          if (tokens.length < 2) break;
          text = mutations[pick(random, names)]!(text, tokens, random);
        }
        let result;
        try {
          result = check(text, { path: example.path });
        } catch (error) {
          throw new Error(`check threw on mutation ${i} of ${example.name}:\n${text}\n${String((error as Error).stack)}`);
        }
        for (const d of result.diagnostics) {
          if (!(d.span.start >= 0 && d.span.start <= d.span.end && d.span.end <= text.length)) {
            throw new Error(`diagnostic ${d.code} range ${d.span.start}-${d.span.end} outside a ${text.length}-char document:\n${text}`);
          }
        }
        if (text !== example.text) mutated++;
      }
      expect(mutated).toBeGreaterThan(MUTATIONS_PER_EXAMPLE * 0.9);
    });
  }
});
