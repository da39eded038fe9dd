import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { TextDocument } from "vscode-languageserver-textdocument";
import { afterAll, describe, expect, it } from "vitest";
import { check } from "../../src/compiler/index.js";
import { chunkStarts } from "../../src/compiler/syntax/chunks.js";
import type { Program } from "../../src/compiler/checker/program.js";
import type { Declaration } from "../../src/compiler/binder/symbols.js";
import { AnalysisCache } from "../../src/lsp/analysis.js";
import { contractExamples, EXAMPLES_DIR } from "../support/examples.js";
import { pick, seededRandom } from "../support/random.js";
import { BLOCK_WORDS, mutations } from "../support/random-edits.js";

/**
 * The language server checks an edited version by reusing each block's part
 * of the last check where neither the block nor what it reads changed. What
 * it reports and binds must be what a check from scratch of the same text
 * reports and binds, after any sequence of edits.
 */

const EDITS_PER_SPEC = 150;
/** Edits drift from the spec; starting over keeps most texts near a real one. */
const RESET_EVERY = 40;

const examples = [
  ...contractExamples(),
  ...["more/digits-manifold-tangent.reg", "more/penguins-constrained-vote.reg", "tuning/a-dropout-maxnorm.reg"].map((name) => {
    const path = join(EXAMPLES_DIR, name);
    return { name, path, text: readFileSync(path, "utf8") };
  }),
];

/**
 * The same spec with its blocks in reverse order: a block then stands
 * before the blocks it reads, so an edit of those leaves it where it was,
 * and only what it reads says it must be checked again.
 */
function reversed(spec: { name: string; path: string; text: string }) {
  const starts = [...chunkStarts(spec.text), spec.text.length];
  const chunks = starts.slice(0, -1).map((start, i) => spec.text.slice(start, starts[i + 1]).replace(/\n*$/, "\n\n"));
  return { ...spec, name: `${spec.name}, blocks reversed`, text: chunks.reverse().join("") };
}

/** The same spec with other line breaks, which the lexer and the re-parse of edited lines both take as line ends. */
function withLineBreaks(spec: { name: string; path: string; text: string }, lineBreak: string, named: string) {
  return { ...spec, name: `${spec.name}, ${named} line breaks`, text: spec.text.replace(/\n/g, lineBreak) };
}

const specs = [...examples, ...examples.slice(0, 5).map(reversed), withLineBreaks(examples[0]!, "\r\n", "CRLF"), withLineBreaks(examples[0]!, "\r", "CR")];

/**
 * An edit that keeps the text's length, so no block after it moves: a
 * digit or a name retyped as another of the same length.
 */
function retype(text: string, words: readonly string[], random: () => number): string {
  const tokens = [...text.matchAll(/[0-9]|[A-Za-z_][A-Za-z0-9_]*/g)];
  const token = pick(random, tokens);
  const sameLength = words.filter((w) => w.length === token[0].length && w !== token[0]);
  const replacement = /[0-9]/.test(token[0]) ? String((Number(token[0]) + 1 + Math.floor(random() * 8)) % 10) : sameLength.length ? pick(random, sameLength) : token[0];
  return text.slice(0, token.index) + replacement + text.slice(token.index + token[0].length);
}

/** A text's lines, split at the first kind of line break it holds, and the way to join them back. */
function linesOf(text: string): { lines: string[]; join: (lines: string[]) => string } {
  const lineBreak = /\r\n|\r|\n/.exec(text)?.[0] ?? "\n";
  return { lines: text.split(lineBreak), join: (lines) => lines.join(lineBreak) };
}

/**
 * Edits by whole lines, as typing Enter, deleting a line or typing at a
 * line's end do: blocks after them move, and a block edited inside its
 * body is parsed again from its earlier parse. A model renamed where its
 * tasks name it changes what they read, not where they stand.
 */
const lineEdits: Array<(text: string, random: () => number) => string> = [
  (text, random) => {
    const { lines, join } = linesOf(text);
    lines.splice(Math.floor(random() * lines.length), 0, pick(random, ["", "  // a note", "  extra = dense(4)", "  epochs 3"]));
    return join(lines);
  },
  (text, random) => {
    const { lines, join } = linesOf(text);
    lines.splice(Math.floor(random() * lines.length), 1);
    return join(lines);
  },
  (text, random) => {
    const { lines, join } = linesOf(text);
    const at = Math.floor(random() * lines.length);
    lines[at] += pick(random, [" ", "  ", "x"]);
    return join(lines);
  },
  (text, random) => {
    const model = pick(random, [...text.matchAll(/^model (\w+)/gm)].map((m) => m[1]!).concat(["none"]));
    const renamed = `${model}${Math.floor(random() * 3)}`;
    return random() < 0.5 ? text.replace(new RegExp(`\\b${model}\\b`, "g"), renamed) : text.replace(new RegExp(`^model ${model}\\b`, "m"), `model ${renamed}`);
  },
];

/** What features read of a program's names: every declaration, reference and glob, each declaration numbered by identity. */
function symbolsOf(program: Program) {
  const numbers = new Map<Declaration, number>();
  const describe = (d: Declaration): unknown => {
    if (!numbers.has(d)) numbers.set(d, numbers.size);
    return [numbers.get(d), d.kind, d.name, d.span, d.owner && describe(d.owner)];
  };
  return {
    declarations: program.symbols.declarations.map(describe),
    references: program.symbols.references.map((r) => [r.span, describe(r.declaration)]),
    globs: program.symbols.globs.map((g) => [g.span, g.pattern, g.kind, describe(g.model), g.matches]),
  };
}

/** What the checker resolved, as the emitter and hover read it. */
function resolvedOf(program: Program) {
  return {
    data: [...program.data.values()].map((d) => [d.name, d.kind, d.inputShape, [...d.splits.values()].map((s) => [s.name, s.rows])]),
    models: [...program.models.values()].map((m) => [m.name, m.data?.name, m.paramCount, m.layers.map((l) => [l.name, l.kind, l.outputShape, l.paramCount])]),
    tasks: [...program.tasks.values()].map((t) => [t.name, t.kind, t.model?.name, t.output?.name, t.data?.name]),
    regularize: program.regularize.map((r) => [r.model?.name, r.uses.map((u) => [u.technique.name, u.on, u.after, u.using?.name])]),
    train: program.train && [...program.train.settings.keys()],
  };
}

describe("checking an edited version", () => {
  for (const spec of specs) {
    it(`reports and binds what a fresh check does, through ${EDITS_PER_SPEC} seeded edits of ${spec.name}`, () => {
      const random = seededRandom(spec.name.length * 7_919 + 3);
      const words = [...new Set([...BLOCK_WORDS, ...(spec.text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [])])];
      // Beside the spec, so its data paths resolve; no file is written there.
      const options = { path: join(dirname(spec.path), `incremental-${basename(spec.path)}`) };
      const uri = pathToFileURL(options.path).href;
      const cache = new AnalysisCache();
      let document = TextDocument.create(uri, "reg", 1, spec.text);
      let reused = 0;
      let earlier: Program | undefined;
      for (let round = 1; round <= EDITS_PER_SPEC; round++) {
        const current = document.getText();
        const choice = random();
        const text =
          round % RESET_EVERY === 0
            ? spec.text
            : choice < 0.3
              ? retype(current, words, random)
              : choice < 0.6
                ? pick(random, lineEdits)(current, random)
                : mutations[pick(random, Object.keys(mutations))]!(current, words, random).text;
        document = TextDocument.create(uri, "reg", round + 1, text);
        // While typing, requests read a re-bound program; some versions are never checked, as when keys come faster than the pause.
        if (random() < 0.3) cache.latest(document);
        if (random() < 0.2) continue;
        const incremental = cache.checked(document)!;
        const fresh = check(text, options);
        const where = `round ${round}:\n${text}`;
        expect(incremental.diagnostics, where).toEqual(fresh.diagnostics);
        expect(symbolsOf(incremental.program), where).toEqual(symbolsOf(fresh.program));
        expect(resolvedOf(incremental.program), where).toEqual(resolvedOf(fresh.program));
        const kept = new Set<unknown>(earlier ? [...earlier.models.values(), ...earlier.tasks.values(), ...earlier.regularize] : []);
        if ([...incremental.program.models.values(), ...incremental.program.tasks.values(), ...incremental.program.regularize].some((info) => kept.has(info))) reused++;
        earlier = incremental.program;
      }
      // Reuse must have happened, or the comparison above proves nothing.
      expect(reused).toBeGreaterThan(0);
    }, 60_000);
  }
});

describe("what a check after an edit binds again", () => {
  const folder = mkdtempSync(join(tmpdir(), "reglang-incremental-"));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const rows = (header: string) => [header, ...Array.from({ length: 40 }, (_, i) => `${i % 7},${(i * 13) % 11},${i % 3}`)].join("\n") + "\n";
  const spec = [
    "data points {",
    '  source   csv("points.csv")',
    "  features x, y",
    "  target   kind = class(label)",
    "  split    train: 0.5, val: 0.5",
    "}",
    "",
    "model net(points.input) {",
    "  h   = dense(16, activation: relu)",
    "  out = dense(3)",
    "}",
    "",
    "task kind = classify(net.out, points.kind)",
    "",
    "train {",
    "  optimizer adam(lr: 1e-3)",
    "  epochs    10",
    "  batch     8",
    "}",
    "",
    "regularize net {",
    "  l2(1e-4) on h.kernel",
    "}",
    "",
  ].join("\n");
  const path = join(folder, "points.reg");
  const uri = pathToFileURL(path).href;

  function session() {
    writeFileSync(join(folder, "points.csv"), rows("x,y,label"));
    const cache = new AnalysisCache();
    let version = 1;
    let text = spec;
    const first = cache.checked(TextDocument.create(uri, "reg", version, text))!;
    return {
      first,
      edit(from: string, to: string) {
        text = text.replace(from, to);
        const analysis = cache.checked(TextDocument.create(uri, "reg", ++version, text))!;
        expect(analysis.diagnostics).toEqual(check(text, { path }).diagnostics);
        return analysis;
      },
    };
  }

  it("keeps every other block's binding after an edit in a regularize block", () => {
    const { first, edit } = session();
    const next = edit("l2(1e-4)", "l2(3e-4)");
    expect(next.program.data.get("points")).toBe(first.program.data.get("points"));
    expect(next.program.models.get("net")).toBe(first.program.models.get("net"));
    expect(next.program.tasks.get("kind")).toBe(first.program.tasks.get("kind"));
    expect(next.program.train).toBe(first.program.train);
    expect(next.program.regularize[0]).not.toBe(first.program.regularize[0]);
    expect(next.program.regularize[0]!.uses[0]!.args["alpha"]).toBe(3e-4);
  });

  it("binds a model again, and the task and regularize blocks that read it, but not the data or train blocks", () => {
    const { first, edit } = session();
    // The same length: no block after the edit moves, so only what the blocks read says which to bind again.
    const next = edit("dense(16, activation: relu)", "dense(32, activation: relu)");
    expect(next.program.data.get("points")).toBe(first.program.data.get("points"));
    expect(next.program.train).toBe(first.program.train);
    expect(next.program.models.get("net")!.paramCount).toBe(2 * 32 + 32 + 32 * 3 + 3);
    expect(next.program.tasks.get("kind")).not.toBe(first.program.tasks.get("kind"));
    expect(next.program.tasks.get("kind")!.model).toBe(next.program.models.get("net"));
    expect(next.program.regularize[0]!.model).toBe(next.program.models.get("net"));
  });

  it("reads the data file again at every check: rows added on disk count, a column renamed is reported, and its fix is seen", () => {
    const { first, edit } = session();
    expect(first.program.data.get("points")!.splits.get("train")!.rows).toBe(20);
    writeFileSync(join(folder, "points.csv"), rows("x,y,label") + "1,2,0\n".repeat(10));
    const longer = edit("epochs    10", "epochs    11");
    expect(longer.program.data.get("points")!.splits.get("train")!.rows).toBe(25);
    writeFileSync(join(folder, "points.csv"), rows("x,why,label"));
    const renamed = edit("epochs    11", "epochs    12");
    expect(renamed.diagnostics.map((d) => d.code)).toContain("REG1009");
    writeFileSync(join(folder, "points.csv"), rows("x,y,label"));
    const fixed = edit("epochs    12", "epochs    13");
    expect(fixed.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });
});
