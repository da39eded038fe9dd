import { describe, expect, it } from "vitest";
import { formatSpec } from "../src/compiler/format/index.js";
import { parse } from "../src/compiler/index.js";
import { contractExamples } from "./support/examples.js";
import { seededRandom } from "./support/random.js";

const RELAYOUTS = 200;

function format(text: string): string {
  const result = formatSpec(text);
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  return result.text;
}

function isSpan(value: object): boolean {
  const keys = Object.keys(value);
  return keys.length === 2 && keys.includes("start") && keys.includes("end");
}

/** The AST with every source position (and the comments) removed, so two layouts can be compared. */
function stripSpans(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripSpans);
  if (node === null || typeof node !== "object") return node;
  const kept = Object.entries(node).filter(([key, value]) => {
    if (key === "span" || key === "keywordSpan" || key === "comments") return false;
    return !(value !== null && typeof value === "object" && isSpan(value));
  });
  return Object.fromEntries(kept.map(([key, value]) => [key, stripSpans(value)]));
}

function commentTexts(text: string): string[] {
  return parse(text)
    .ast.comments.map((c) => c.text.replace(/\r\n?/g, "\n"))
    .sort();
}

/**
 * A random relayout of a valid spec that means the same: spaces between
 * tokens added or removed, blank lines added, lines broken after `(` and `,`,
 * and (when `withComments`) block and line comments slipped in between tokens.
 */
function perturb(text: string, random: () => number, withComments: boolean): string {
  const segment = /\/\/[^\r\n]*|\/\*[\s\S]*?\*\/|"(?:[^"\\\r\n]|\\.)*"|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?:%|[A-Za-z_]+)?|[A-Za-z_*][A-Za-z0-9_*]*|\r\n|\n|[ \t]+|./g;
  const pieces = (text.match(segment) ?? []).filter((s) => !/^[ \t]+$/.test(s));
  const isWordy = (s: string | undefined) => s !== undefined && /^[A-Za-z0-9_*"]/.test(s);
  const spaces = (min: number) => " ".repeat(min + Math.floor(random() * 3));
  let out = "";
  let counter = 0;
  pieces.forEach((piece, i) => {
    const next = pieces[i + 1];
    out += piece;
    if (next === undefined || piece.startsWith("//")) return;
    if (piece === "\n") {
      if (random() < 0.15) out += "\n".repeat(1 + Math.floor(random() * 2));
      out += spaces(0);
      return;
    }
    if (next === "\n") {
      if (withComments && random() < 0.1) out += `${spaces(0)}// line ${counter++}`;
      return;
    }
    if ((piece === "," || piece === "(") && random() < 0.3) {
      if (withComments && random() < 0.3) out += `${spaces(0)}// split ${counter++}`;
      out += `\n${spaces(0)}`;
      return;
    }
    out += spaces(isWordy(piece) && isWordy(next) ? 1 : 0);
    if (withComments && random() < 0.08) out += `/* inline ${counter++} */${spaces(isWordy(next) ? 1 : 0)}`;
  });
  return out;
}

const MESSY = `// header comment


/* about the data */
data   digits{ // after the brace
  source    mnist
     input image( 28,28 ,1 ) // the input
  target label=class( 10 )



  split train:1000,  // inside a setting
     val : 500 , test:2000
  seed 7 // the seed
}
model mlp ( digits.input ) {
  flatten( )
  h1 = dense( 512 ,
     activation : relu )

  // an own-line comment

  dropout(0.5) // drop half
  out   =   dense(10, /* units */ activation: softmax)
}
task digit=classify(mlp.out,digits.label)


task  long_name = classify( mlp.out , digits.label , weight : 0.5 )
train   {
  optimizer   sgd( lr:0.01,momentum:0.9 )   // plain SGD
  epochs 60 // passes
  batch  32  // examples per step
}
regularize mlp {

  maxnorm(3) on h1.kernel,h2.kernel , out.kernel


  l2(1e-5) /* after the call */ on *.kernel
  augment(rotate: 10deg, translate: 2px, scale: [0.9, 1.1], shear: 5deg, flip: true, elastic: 0.5, crop: 4)
  early_stop(monitor: val_loss, // what to watch
    patience: 20, restore_best: true
  )
}
// end of file
`;

const MESSY_FORMATTED = `// header comment

/* about the data */
data digits {  // after the brace
  source mnist
  input  image(28, 28, 1)  // the input
  target label = class(10)

  // inside a setting
  split  train: 1000, val: 500, test: 2000
  seed   7  // the seed
}

model mlp(digits.input) {
  flatten()
  h1  = dense(512, activation: relu)

  // an own-line comment

  dropout(0.5)  // drop half
  out = dense(
    10,  /* units */
    activation: softmax
  )
}

task digit     = classify(mlp.out, digits.label)
task long_name = classify(mlp.out, digits.label, weight: 0.5)

train {
  optimizer sgd(lr: 0.01, momentum: 0.9)  // plain SGD
  epochs    60                            // passes
  batch     32                            // examples per step
}

regularize mlp {
  maxnorm(3) on h1.kernel, h2.kernel, out.kernel

  /* after the call */
  l2(1e-5) on *.kernel
  augment(
    rotate: 10deg,
    translate: 2px,
    scale: [0.9, 1.1],
    shear: 5deg,
    flip: true,
    elastic: 0.5,
    crop: 4
  )
  early_stop(
    monitor: val_loss,  // what to watch
    patience: 20,
    restore_best: true
  )
}

// end of file
`;

const ODD_COMMENTS = `data x { source mnist }
train{}
model /* c1 */ net(/* c2 */ x.input) /* c3 */ { /* c4 */ h1 /* c5 */ = dense /* c6 */ (3, act: /* c7 */ relu) on h1 . /* c8 */ kernel
 /* multi
     line */ flatten() /* m2
 */
}
task /* t1 */ a = f(x) /* t2 */ task b = g(y) // t3


// between tasks
task ccc = g(y)
regularize net { l2(1) // x
}   // after close
`;

const ODD_COMMENTS_FORMATTED = `data x {
  source mnist
}

train {
}

/* c1 */
/* c2 */
/* c3 */
model net(x.input) {  /* c4 */
  /* c5 */
  /* c8 */
  h1 = dense(  /* c6 */
    3,
    /* c7 */
    act: relu
  ) on h1.kernel
  /* multi
     line */
  flatten()
  /* m2
 */
}

/* t1 */
task a   = f(x)  /* t2 */
task b   = g(y)  // t3
// between tasks
task ccc = g(y)

regularize net {
  l2(1)  // x
}        // after close
`;

/** Code before comments with characters a screen draws wider or narrower than one column: 数据 and ｂ take two each, é written as e and a combining accent one. */
const WIDE_COMMENTS = `data t {
  source csv("数据.csv") // the data
  features "cafe\u0301", "ｂ" // columns
  target y = number(y) // what to predict
  split train: 0.8, test: 0.2
}
`;

const WIDE_COMMENTS_FORMATTED = `data t {
  source   csv("数据.csv")  // the data
  features "cafe\u0301", "ｂ"     // columns
  target   y = number(y)    // what to predict
  split    train: 0.8, test: 0.2
}
`;

describe("formatSpec", () => {
  it("lays out a messy spec canonically, every comment kept", () => {
    expect(format(MESSY)).toBe(MESSY_FORMATTED);
  });

  it("keeps comments written in odd places: in heads, after `{`, before `(`, between clauses", () => {
    expect(format(ODD_COMMENTS)).toBe(ODD_COMMENTS_FORMATTED);
    expect(commentTexts(ODD_COMMENTS_FORMATTED)).toEqual(commentTexts(ODD_COMMENTS));
  });

  it("lines trailing comments up on screen, counting wide characters two columns and combining marks none", () => {
    expect(format(WIDE_COMMENTS)).toBe(WIDE_COMMENTS_FORMATTED);
    expect(format(WIDE_COMMENTS_FORMATTED)).toBe(WIDE_COMMENTS_FORMATTED);
  });

  it("breaks a call that passes the line's width on screen, wide characters counting two columns", () => {
    const spec = (path: string) => `data t {\n  source   csv("${path}")\n  features a, b\n  target   y = number(y)\n  split    train: 0.5, test: 0.5\n}\n`;
    // 62 characters, but 102 columns: 40 of them take two each.
    const wide = spec(`${"数".repeat(40)}.csv`);
    const broken = wide.replace('csv("', 'csv(\n    "').replace('.csv")', '.csv"\n  )');
    expect(format(wide)).toBe(broken);
    expect(format(broken)).toBe(broken);
    // As many narrow characters fit on the line.
    const narrow = spec(`${"d".repeat(40)}.csv`);
    expect(format(narrow)).toBe(narrow);
  });

  it("keeps comments aligned by hand further right at their screen column after wide characters", () => {
    const handAligned = `data t {\n  source   csv("数据.csv")      // the data\n  features "cafe\u0301", "ｂ"         // columns\n}\n`;
    expect(format(handAligned)).toBe(handAligned);
  });

  it("keeps CRLF line endings, inside block comments too", () => {
    const crlf = (text: string) => text.replace(/\n/g, "\r\n");
    expect(format(crlf(MESSY))).toBe(crlf(MESSY_FORMATTED));
    expect(format(crlf(ODD_COMMENTS))).toBe(crlf(ODD_COMMENTS_FORMATTED));
  });

  it("keeps a leading byte-order mark, and formats the spec after it as without one", () => {
    const withMark = format(`\ufeff${MESSY}`);
    expect(withMark).toBe(`\ufeff${MESSY_FORMATTED}`);
    expect(format(withMark)).toBe(withMark);
  });

  it("ends the file with exactly one line break", () => {
    expect(format("train {\n  epochs 3\n}")).toBe("train {\n  epochs 3\n}\n");
    expect(format("train {\n  epochs 3\n}\n\n\n")).toBe("train {\n  epochs 3\n}\n");
  });

  it.each([
    ["a call left open", "data x {\n  source json(\"a.json\"\n}\n"],
    ["a string left open", "data x {\n  source json(\"a.json)\n}\n"],
    ["a block comment left open", "data x {\n  source mnist\n}\n/* unfinished\n"],
    ["two statements on one line", "train {\n  epochs 3 batch 2\n}\n"],
  ])("refuses text with a syntax error: %s", (_, text) => {
    const result = formatSpec(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/^syntax error at \d+:\d+/);
  });

  it.each(contractExamples().map((example) => [example.name, example.text] as const))("leaves %s unchanged", (_, text) => {
    expect(format(text)).toBe(text);
  });

  const relayoutInputs = [
    ...contractExamples().map((example) => [example.name, example.text] as const),
    ["the messy spec", MESSY] as const,
    ["the odd comments", ODD_COMMENTS] as const,
    ["wide characters before comments", WIDE_COMMENTS] as const,
  ];
  it.each(relayoutInputs)(`formats %s, relaid out ${RELAYOUTS} ways, idempotently with the same AST and comments`, (name, text) => {
    const random = seededRandom(name.length * 104729 + text.length);
    const expectedAst = stripSpans(parse(text).ast);
    for (let i = 0; i < RELAYOUTS; i++) {
      const relaid = perturb(text, random, i % 2 === 1);
      expect(parse(relaid).diagnostics, relaid).toEqual([]);
      const formatted = format(relaid);
      expect(format(formatted), relaid).toBe(formatted);
      const reparsed = parse(formatted);
      expect(reparsed.diagnostics, formatted).toEqual([]);
      expect(stripSpans(reparsed.ast), formatted).toEqual(expectedAst);
      expect(commentTexts(formatted), formatted).toEqual(commentTexts(relaid));
    }
  });
});
