import type { IToken } from "chevrotain";
import type { ReportExtras } from "../diagnostics/report.js";
import { soleToken, StringTok, tokenEnd, type LexError } from "./lexer.js";
import { span, type Span } from "./span.js";

/**
 * Characters that look like one `.reg` reads, mostly brought in by pasting
 * from a word processor or a web page: what each is, and what to write.
 */
const LOOK_ALIKES: ReadonlyMap<string, { name: string; ascii: string }> = new Map([
  ["\u201c", { name: "a left curly quote", ascii: '"' }],
  ["\u201d", { name: "a right curly quote", ascii: '"' }],
  ["\u201e", { name: "a low curly quote", ascii: '"' }],
  ["\u00ab", { name: "a guillemet", ascii: '"' }],
  ["\u00bb", { name: "a guillemet", ascii: '"' }],
  ["\u2018", { name: "a left curly single quote", ascii: '"' }],
  ["\u2019", { name: "a right curly single quote", ascii: '"' }],
  ["'", { name: "a single quote", ascii: '"' }],
  ["\u2010", { name: "a hyphen", ascii: "-" }],
  ["\u2011", { name: "a non-breaking hyphen", ascii: "-" }],
  ["\u2013", { name: "an en dash", ascii: "-" }],
  ["\u2014", { name: "an em dash", ascii: "-" }],
  ["\u2212", { name: "a minus sign", ascii: "-" }],
  ["\u2007", { name: "a figure space", ascii: " " }],
  ["\u2009", { name: "a thin space", ascii: " " }],
  ["\u200a", { name: "a hair space", ascii: " " }],
  ["\u202f", { name: "a narrow non-breaking space", ascii: " " }],
  ["\u3000", { name: "an ideographic space", ascii: " " }],
]);

/**
 * The text with each look-alike the lexer could not read replaced by its
 * ASCII twin, one UTF-16 unit for one, so every offset holds: lexed again,
 * the line reads as it was meant (`train： 10` as `train: 10`) rather than
 * without the character. Undefined when the errors hold no look-alike.
 */
export function withAsciiTwins(text: string, errors: readonly LexError[]): string | undefined {
  let units: string[] | undefined;
  for (const { offset, length } of errors) {
    for (let i = offset; i < offset + length; i++) {
      const twin = asciiTwin(text[i]!);
      if (twin !== undefined) (units ??= text.split(""))[i] = twin;
    }
  }
  return units?.join("");
}

/**
 * The tokens with each word that stray characters split (`den$se`, or
 * `dense` with a zero-width space pasted inside) read whole, as the text
 * reads without them: one token of the word without the characters, whose
 * `endOffset` spans them too. Not across `#` or `;`, which end what comes
 * before them where they come from, nor across a look-alike, which is read
 * as its ASCII twin.
 */
export function wordsReadWhole(tokens: readonly IToken[], errors: readonly LexError[]): IToken[] {
  const strayEnds = new Map<number, number>();
  for (const { offset, length, text } of errors) if (!/[#;]/.test(text) && !isLookAlike(text)) strayEnds.set(offset, offset + length);
  if (strayEnds.size === 0) return [...tokens];
  const read: IToken[] = [];
  for (const token of tokens) {
    const previous = read[read.length - 1];
    const whole = previous && strayEnds.get(tokenEnd(previous)) === token.startOffset ? soleToken(previous.image + token.image) : undefined;
    if (whole) read[read.length - 1] = { ...whole, startOffset: previous!.startOffset, endOffset: tokenEnd(token) - 1 };
    else read.push(token);
  }
  return read;
}

/** Whether a run of characters the lexer could not read starts with a look-alike of an ASCII one. */
export function isLookAlike(text: string): boolean {
  return asciiTwin(String.fromCodePoint(text.codePointAt(0)!)) !== undefined;
}

function asciiTwin(character: string): string | undefined {
  return LOOK_ALIKES.get(character)?.ascii ?? (FULL_WIDTH.test(character) ? String.fromCharCode(character.charCodeAt(0) - 0xfee0) : undefined);
}

/**
 * Look-alike quotes that open and close one string (`“fish.csv”`, read as
 * `"fish.csv"`), each one's offset mapped to its partner's: the fix of
 * either replaces both, since replacing one alone leaves a string that is
 * never closed. `tokens` are those lexed from the text with its ASCII twins.
 */
export function lookAlikeQuotePairs(errors: readonly LexError[], tokens: readonly IToken[]): Map<number, number> {
  const quotes = new Set(errors.filter((e) => asciiTwin(e.text[0]!) === '"').map((e) => e.offset));
  const pairs = new Map<number, number>();
  for (const token of tokens) {
    if (token.tokenType !== StringTok || !quotes.has(token.startOffset)) continue;
    const closing = tokenEnd(token) - 1;
    if (closing === token.startOffset || !quotes.has(closing)) continue;
    pairs.set(token.startOffset, closing).set(closing, token.startOffset);
  }
  return pairs;
}

/** Characters that show as nothing: control characters, zero-width spaces and joiners. */
const INVISIBLE = /^[\u0000-\u001f\u007f-\u009f\u200b-\u200d\u2060]$/;

/** A full-width form of an ASCII character (`＝`, `（`), as an East Asian input method types it. */
const FULL_WIDTH = /^[\uff01-\uff5e]$/;

/**
 * How to repair a character the lexer could not read (`text` is the run of
 * them at `at`; the advice is about the first): a look-alike of an ASCII
 * character is named and replaced, an invisible one is named by its code
 * point, Python's and YAML's `#` and C's `;` are told how `.reg` writes
 * them, and any other is removed. `partner` is the other quote of a pair
 * of look-alike quotes around a string, which the fix replaces too.
 */
export function strayCharacterHint(text: string, at: Span, partner?: Span): ReportExtras {
  const first = String.fromCodePoint(text.codePointAt(0)!);
  const only = span(at.start, at.start + first.length);
  if (first === "#") {
    return { hint: "a comment starts with `//` (or is written `/* … */`)", fix: { title: "Write the comment with `//`", edits: [{ span: only, newText: "//" }] } };
  }
  if (first === ";") return { hint: "a statement ends with its line, and values are separated by `,`: no `;` is needed" };
  const twin = asciiTwin(first);
  if (twin !== undefined) {
    const written = twin === " " ? "a space" : `\`${twin}\``;
    const hint = `this is ${LOOK_ALIKES.get(first)?.name ?? "a full-width form"} (${codePoint(first)}), not ${written}: write ${written} instead`;
    if (partner) {
      const edits = [only, partner].sort((a, b) => a.start - b.start).map((quote) => ({ span: quote, newText: twin }));
      return { hint, fix: { title: `Replace both quotes of the string with ${written}`, edits } };
    }
    return { hint, fix: { title: `Replace it with ${written}`, edits: [{ span: only, newText: twin }] } };
  }
  if (INVISIBLE.test(first)) return { hint: `this is an invisible character (${codePoint(first)}): remove it`, fix: removal("the invisible character", only) };
  return { hint: "remove it: it has no meaning in `.reg`", fix: removal(`\`${first}\``, only) };
}

function removal(what: string, at: Span) {
  return { title: `Remove ${what}`, edits: [{ span: at, newText: "" }] };
}

function codePoint(character: string): string {
  return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}
