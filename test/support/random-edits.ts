import { pick } from "./random.js";

/** Random edits of a spec as typing, pasting and deleting make them: what the editor tests replay, seeded. */

const GARBAGE = ["{", "}", "(", ")", "[", "]", ",", ":", "=", ".", "-", "*", "\n", "\r\n", "\t", '"', "/*", "*/", "//", "@", "#", "é", "𝛼", "\u0000", "1e", "0.5deg", "10%", " on ", " from ", " using ", " along ", "data ", "model x(", "regularize "];
export const BLOCK_WORDS = ["data", "model", "task", "train", "regularize", "on", "using", "along", "from", "after"];

export interface Edit {
  text: string;
  /** Where the cursor is after the edit: completion and hover are asked there most often. */
  cursor: number;
}

type Mutation = (text: string, words: readonly string[], random: () => number) => Edit;

export const offsetIn = (text: string, random: () => number) => Math.floor(random() * (text.length + 1));
const insert = (text: string, at: number, piece: string): Edit => ({ text: text.slice(0, at) + piece + text.slice(at), cursor: at + piece.length });

export const mutations: Record<string, Mutation> = {
  halfTypedWord(text, words, random) {
    const word = pick(random, words);
    return insert(text, offsetIn(text, random), word.slice(0, 1 + Math.floor(random() * word.length)));
  },
  insertPunctuation(text, _words, random) {
    return insert(text, offsetIn(text, random), pick(random, GARBAGE));
  },
  deleteRange(text, _words, random) {
    const at = offsetIn(text, random);
    return { text: text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 20)), cursor: at };
  },
  pasteGarbage(text, _words, random) {
    const chars = Array.from({ length: 1 + Math.floor(random() * 12) }, () => String.fromCharCode(Math.floor(random() * 0x3000)));
    return insert(text, offsetIn(text, random), chars.join(""));
  },
  pasteSlice(text, _words, random) {
    const from = offsetIn(text, random);
    return insert(text, offsetIn(text, random), text.slice(from, from + Math.floor(random() * 80)));
  },
  nestDeeply(text, _words, random) {
    return insert(text, offsetIn(text, random), (random() < 0.5 ? "[" : "adam(").repeat(20 + Math.floor(random() * 400)));
  },
  newLine(text, _words, random) {
    return insert(text, offsetIn(text, random), "\n  ");
  },
  deleteLine(text, _words, random) {
    const at = offsetIn(text, random);
    const start = text.lastIndexOf("\n", at - 1) + 1;
    const end = text.indexOf("\n", at);
    return { text: text.slice(0, start) + (end < 0 ? "" : text.slice(end + 1)), cursor: start };
  },
};
