/**
 * The columns a text takes in a terminal or an editor with a monospaced
 * font: East Asian Wide and Fullwidth characters take two, combining marks
 * and zero-width characters none, everything else one. A cluster of
 * characters read as one (a letter and its accents, an emoji joined by
 * zero-width joiners, a flag) takes the columns of its widest character.
 */
export function displayWidth(text: string): number {
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  let width = 0;
  for (const { segment } of graphemes.segment(text)) {
    let widest = 0;
    for (const character of segment) widest = Math.max(widest, characterWidth(character));
    width += widest;
  }
  return width;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** Emoji shown as pictures are wide; Unicode's East Asian Width gives them W. */
const WIDE_EMOJI = /^\p{Emoji_Presentation}$/u;

/** Nonspacing and enclosing marks sit on the character before; format characters (zero-width space, joiners) are not drawn. */
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;

/** The other East Asian Wide and Fullwidth characters (EastAsianWidth.txt), first and last code point of each block. */
const WIDE_RANGES: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], // Hangul Jamo initial consonants
  [0x2329, 0x232a], // angle brackets
  [0x2e80, 0x303e], // CJK radicals … CJK symbols and punctuation, the ideographic space among them
  [0x3041, 0x3247], // Hiragana, Katakana, Bopomofo, Hangul compatibility Jamo, Kanbun, CJK strokes, enclosed CJK
  [0x3250, 0x4dbf], // enclosed CJK … CJK Unified Ideographs Extension A
  [0x4e00, 0xa4c6], // CJK Unified Ideographs, Yi
  [0xa960, 0xa97c], // Hangul Jamo Extended-A
  [0xac00, 0xd7a3], // Hangul syllables
  [0xf900, 0xfaff], // CJK compatibility ideographs
  [0xfe10, 0xfe19], // vertical forms
  [0xfe30, 0xfe6b], // CJK compatibility forms, small form variants
  [0xff01, 0xff60], // fullwidth forms
  [0xffe0, 0xffe6], // fullwidth signs
  [0x16fe0, 0x1b2ff], // Tangut, Khitan, Kana supplements, Nushu
  [0x1f200, 0x1f265], // enclosed ideographic supplement
  [0x20000, 0x3fffd], // the Supplementary and Tertiary Ideographic Planes
];

function characterWidth(character: string): number {
  if (ZERO_WIDTH.test(character)) return 0;
  const codePoint = character.codePointAt(0)!;
  if (WIDE_EMOJI.test(character) || WIDE_RANGES.some(([first, last]) => codePoint >= first && codePoint <= last)) return 2;
  return 1;
}
