import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../src/compiler/index.js";
import { MAX_SHOWN_PER_FILE, summarize, summaryLine, type CheckedFile } from "../src/compiler/diagnostics/render/checked-file.js";
import { escapeData, escapeProperty, renderGithub } from "../src/compiler/diagnostics/render/github.js";
import { DIAGNOSTICS_PER_PIECE, renderJson, renderJsonPieces, toJsonOutput } from "../src/compiler/diagnostics/render/json.js";
import { renderText } from "../src/compiler/diagnostics/render/text.js";

const TEXT = `model mlp(digits.input) {
  flatten()
  h1  = dens(128, activation: relu)
}
`;

/** A diagnostic whose span covers the first occurrence of `word`. */
function at(word: string, fields: Partial<Diagnostic> = {}): Diagnostic {
  const start = TEXT.indexOf(word);
  if (start < 0) throw new Error(`no ${word} in the test text`);
  return { code: "REG1002", severity: "error", message: "unknown layer kind `dens`", span: { start, end: start + word.length }, ...fields };
}

function file(...diagnostics: Diagnostic[]): CheckedFile {
  return { path: "specs/net.reg", text: TEXT, diagnostics };
}

describe("text renderer", () => {
  it("shows the location, the source line and a caret under the exact span", () => {
    const out = renderText([file(at("dens", { hint: "did you mean `dense`?" }))], { color: false });
    expect(out).toBe(
      [
        "specs/net.reg:3:9: error[REG1002]: unknown layer kind `dens`",
        "  |",
        "3 |   h1  = dens(128, activation: relu)",
        "  |         ^^^^",
        "  = hint: did you mean `dense`?",
        "",
      ].join("\n"),
    );
  });

  it("underlines a multi-line span to the end of its first line", () => {
    const start = TEXT.indexOf("flatten");
    const out = renderText([file(at("flatten", { span: { start, end: TEXT.indexOf("relu") } }))], { color: false });
    expect(out).toContain("2 |   flatten()\n  |   ^^^^^^^^^\n");
  });

  it("marks an empty span with one caret", () => {
    const end = TEXT.length;
    const out = renderText([file(at("dens", { span: { start: end, end } }))], { color: false });
    expect(out).toContain("specs/net.reg:5:1:");
    expect(out).toContain("5 | \n  | ^");
  });

  it("keeps tabs so the caret stays under the span", () => {
    const text = "train {\n\tepochs\tx\n}\n";
    const start = text.indexOf("x");
    const out = renderText([{ path: "t.reg", text, diagnostics: [at("dens", { span: { start, end: start + 1 } })] }], { color: false });
    expect(out).toContain("2 | \tepochs\tx\n  | \t      \t^");
  });

  it("lists related locations as notes", () => {
    const out = renderText([file(at("h1", { code: "REG5001", related: [{ span: at("mlp").span, message: "first declared here" }] }))], { color: false });
    expect(out).toContain("specs/net.reg:1:7: note: first declared here");
  });

  it("separates diagnostics by a blank line and skips clean files", () => {
    const clean: CheckedFile = { path: "clean.reg", text: "", diagnostics: [] };
    const out = renderText([clean, file(at("dens"), at("relu", { severity: "warning", code: "REG5007" }))], { color: false });
    expect(out).not.toContain("clean.reg");
    expect(out.split("\n\n")).toHaveLength(2);
    expect(out).toContain("specs/net.reg:3:31: warning[REG5007]");
  });

  it("colors only when asked", () => {
    expect(renderText([file(at("dens"))], { color: false })).not.toContain("\u001b[");
    expect(renderText([file(at("dens"))], { color: true })).toContain("\u001b[1;31merror[REG1002]\u001b[0m");
  });
});

describe("spec text with control characters", () => {
  // `\u001b]0;…\u0007` retitles a terminal window; `\u001b[2J` clears the screen.
  const text = 'data d {\n  features "a\u001b]0;owned\u0007b"\u001b[2J x\n}\n';
  const start = text.indexOf(" x") + 1;
  const diagnostic: Diagnostic = { code: "REG1009", severity: "error", message: "no column `a\u001b]0;owned\u0007b`", hint: "not `\u009b`", span: { start, end: start + 1 } };
  const checked: CheckedFile = { path: "evil.reg", text, diagnostics: [diagnostic] };

  it("reach a terminal as visible pictures, one per character, so the caret stays under the span", () => {
    const out = renderText([checked], { color: false });
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(out).toContain("no column `a\u241b]0;owned\u2407b`");
    expect(out).toContain("hint: not `\ufffd`");
    const [source, carets] = out.split("\n").slice(2, 4);
    expect(source).toContain('"a\u241b]0;owned\u2407b"\u241b[2J x');
    expect(carets!.indexOf("^")).toBe(source!.lastIndexOf("x"));
  });

  it("in a file's name reach a terminal as pictures too, tabs included, at every diagnostic and the line counting those not shown", () => {
    const path = "x\n::warning file=README.md::INJECTED\t\u001b[31m.reg";
    const shown = "x\u240a::warning file=README.md::INJECTED\u2409\u241b[31m.reg";
    const related = { ...diagnostic, related: [{ span: diagnostic.span, message: "here" }] };
    const flood = Array.from({ length: MAX_SHOWN_PER_FILE + 1 }, () => related);
    const out = renderText([{ path, text, diagnostics: flood }], { color: false });
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]|^::/m);
    expect(out).toContain(`${shown}:2:`);
    expect(out).toContain(`${shown}:2:${start + 1 - text.indexOf("\n") - 1}: note: here`);
    expect(out.trimEnd().endsWith(`${shown}: 1 more diagnostic not shown; fix the ones above first`)).toBe(true);
  });

  it("show a character that reorders the text around it as its code point, with the caret still under the span", () => {
    // Trojan Source: U+202E makes the rest of the line read right to left, U+2066…U+2069 isolate a run of it.
    const line = '  features "a\u202e b", \u2066c\u2069 x // \u202e\u2028';
    const reordered = `data d {\n${line}\n}\n`;
    const at = reordered.indexOf(" x") + 1;
    const found: Diagnostic = { code: "REG1009", severity: "error", message: "no column `a\u202e b`", span: { start: at, end: at + 1 } };
    const out = renderText([{ path: "trojan.reg", text: reordered, diagnostics: [found] }], { color: false });
    expect(out).not.toMatch(/[\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
    expect(out).toContain("no column `a<U+202E> b`");
    const [source, carets] = out.split("\n").slice(2, 4);
    expect(source).toBe('2 |   features "a<U+202E> b", <U+2066>c<U+2069> x // <U+202E><U+2028>');
    expect(carets!.indexOf("^")).toBe(source!.lastIndexOf("x"));
    expect(renderGithub([{ path: "trojan.reg", text: reordered, diagnostics: [found] }])).toContain("::no column `a<U+202E> b`\n");
  });

  it("reach a CI log as visible pictures too", () => {
    const out = renderGithub([checked]);
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(out).toContain("::no column `a\u241b]0;owned\u2407b`%0Ahint: not `\ufffd`\n");
  });
});

describe("summary line", () => {
  it("counts by severity, in files checked", () => {
    const files = [file(at("dens"), at("h1"), at("relu", { severity: "warning" })), file(), file()];
    expect(summaryLine(summarize(files))).toBe("2 errors, 1 warning in 3 files");
    expect(summaryLine(summarize([file()]))).toBe("no problems in 1 file");
    expect(summaryLine(summarize([file(at("dens", { severity: "info" }))]))).toBe("1 info in 1 file");
  });
});

describe("json renderer", () => {
  it("has version 1, 0-based LSP positions with offsets, and a summary", () => {
    const fix = { title: "Replace `dens` with `dense`", edits: [{ span: at("dens").span, newText: "dense" }] };
    const related = [{ span: at("mlp").span, message: "model declared here" }];
    const output = JSON.parse(renderJson([file(at("dens", { hint: "did you mean `dense`?", fix, related }))]));
    expect(output.version).toBe(1);
    expect(output.summary).toEqual({ files: 1, errors: 1, warnings: 0, infos: 0 });
    const [diagnostic] = output.files[0].diagnostics;
    const offset = TEXT.indexOf("dens");
    expect(diagnostic).toEqual({
      code: "REG1002",
      severity: "error",
      message: "unknown layer kind `dens`",
      hint: "did you mean `dense`?",
      range: { start: { line: 2, character: 8, offset }, end: { line: 2, character: 12, offset: offset + 4 } },
      related: [{ range: { start: { line: 0, character: 6, offset: 6 }, end: { line: 0, character: 9, offset: 9 } }, message: "model declared here" }],
      fix: { title: fix.title, edits: [{ range: diagnostic.range, newText: "dense" }] },
    });
  });

  it("lists clean files and leaves out absent optional fields", () => {
    const output = JSON.parse(renderJson([file(at("dens")), { path: "clean.reg", text: "", diagnostics: [] }]));
    expect(output.files.map((f: { path: string }) => f.path)).toEqual(["specs/net.reg", "clean.reg"]);
    expect(Object.keys(output.files[0].diagnostics[0])).toEqual(["code", "severity", "message", "range"]);
  });

  it("is written in pieces of a bounded number of diagnostics, which together are the whole document", () => {
    // Millions of diagnostics in one string would outgrow what a string may hold.
    const many = file(...Array.from({ length: 2 * DIAGNOSTICS_PER_PIECE + 1 }, () => at("dens")));
    const files = [file(), many, file(at("relu", { hint: "a \"quoted\" hint" })), { path: "clean.reg", text: "", diagnostics: [] }];
    const pieces = [...renderJsonPieces(files)];
    expect(pieces).toHaveLength(3);
    for (const piece of pieces) expect(piece.match(/"code":/g)?.length ?? 0).toBeLessThanOrEqual(DIAGNOSTICS_PER_PIECE);
    expect(pieces.join("")).toBe(`${JSON.stringify(toJsonOutput(files), null, 2)}\n`);
    expect(renderJson([])).toBe(`${JSON.stringify(toJsonOutput([]), null, 2)}\n`);
  });
});

describe("github renderer", () => {
  it("writes one workflow command per diagnostic with 1-based positions and the code's title", () => {
    const out = renderGithub([file(at("dens"), at("relu", { severity: "warning", code: "REG5003", message: "unused" }), at("h1", { severity: "info" }))]);
    expect(out.split("\n")).toEqual([
      "::error file=specs/net.reg,line=3,col=9,endLine=3,endColumn=12,title=REG1002 unknown layer::unknown layer kind `dens`",
      "::warning file=specs/net.reg,line=3,col=31,endLine=3,endColumn=34,title=REG5003 unused layer::unused",
      "::notice file=specs/net.reg,line=3,col=3,endLine=3,endColumn=4,title=REG1002 unknown layer::unknown layer kind `dens`",
      "",
    ]);
  });

  it("puts the hint on a second line of the message", () => {
    expect(renderGithub([file(at("dens", { hint: "did you mean `dense`?" }))])).toContain("::unknown layer kind `dens`%0Ahint: did you mean `dense`?\n");
  });

  it("escapes data and properties per GitHub's rules", () => {
    expect(escapeData("100% done\r\nnext: a, b")).toBe("100%25 done%0D%0Anext: a, b");
    expect(escapeProperty("C:\\specs\\a,b.reg\n%")).toBe("C%3A\\specs\\a%2Cb.reg%0A%25");
    const out = renderGithub([{ ...file(at("dens", { message: "50% of 1,000: bad" })), path: "a:b,c.reg" }]);
    expect(out).toContain("file=a%3Ab%2Cc.reg,");
    expect(out).toContain("::50%25 of 1,000: bad\n");
  });
});

describe("a file with more diagnostics than anyone reads", () => {
  const text = "model m(d.input) {\n" + "  q\n".repeat(MAX_SHOWN_PER_FILE + 50) + "}\n";
  const diagnostics: Diagnostic[] = Array.from({ length: MAX_SHOWN_PER_FILE + 50 }, (_, i) => {
    const start = text.indexOf("q", 19 + i * 4);
    return { code: "REG0001", severity: "error", message: "bad", span: { start, end: start + 1 } };
  });
  const flooded: CheckedFile = { path: "junk.reg", text, diagnostics };

  it("shows the first ones, then one line counting the rest, and the summary counts them all", () => {
    const out = renderText([flooded], { color: false });
    expect(out.match(/error\[REG0001\]/g)).toHaveLength(MAX_SHOWN_PER_FILE);
    expect(out).toContain(`junk.reg:${MAX_SHOWN_PER_FILE + 1}:3:`);
    expect(out).not.toContain(`junk.reg:${MAX_SHOWN_PER_FILE + 2}:3:`);
    expect(out.trimEnd().endsWith("junk.reg: 50 more diagnostics not shown; fix the ones above first")).toBe(true);
    expect(summaryLine(summarize([flooded]))).toBe(`${MAX_SHOWN_PER_FILE + 50} errors in 1 file`);
  });

  it("annotates the first ones on GitHub, then notes the rest", () => {
    const lines = renderGithub([flooded]).trimEnd().split("\n");
    expect(lines).toHaveLength(MAX_SHOWN_PER_FILE + 1);
    expect(lines.at(-1)).toBe("::notice file=junk.reg::junk.reg: 50 more diagnostics not shown; fix the ones above first");
  });
});

describe("text renderer on a very long line", () => {
  it("shows a window around the span, marked with ellipses, with the caret under the span", () => {
    const text = `train {\n  epochs ${"x".repeat(300)}BAD${"y".repeat(300)}\n}\n`;
    const start = text.indexOf("BAD");
    const diagnostic: Diagnostic = { code: "REG2002", severity: "error", message: "bad", span: { start, end: start + 3 } };
    const lines = renderText([{ path: "long.reg", text, diagnostics: [diagnostic] }], { color: false }).split("\n");
    const source = lines[2]!;
    const carets = lines[3]!;
    expect(source.length).toBeLessThan(200);
    expect(source).toMatch(/\| …x+BADy+…$/);
    expect(source.indexOf("BAD")).toBe(carets.indexOf("^^^"));
    expect(carets.trimEnd().endsWith("^^^")).toBe(true);
  });
});
