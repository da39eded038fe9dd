import { readFileSync } from "node:fs";
import { join } from "node:path";
import { check, parse } from "../src/compiler/index.js";
import { median, time } from "./stats.js";

const TARGET_LINES_PER_SECOND = 100_000;

/**
 * A spec of about `lines` lines built from example A: its data, task and
 * train blocks, a model of many named layers and a regularize block with
 * clauses on each.
 */
export function generateSpec(root: string, lines: number): string {
  const example = readFileSync(join(root, "examples", "a-mlp-dropout-maxnorm.reg"), "utf8");
  const block = (head: string) => {
    const match = new RegExp(`^${head}[^\\n]*\\{[\\s\\S]*?^\\}`, "m").exec(example) ?? new RegExp(`^${head}[^\\n]*$`, "m").exec(example);
    if (!match) throw new Error(`example A has no ${head} block`);
    return match[0];
  };
  const fixed = [block("data"), block("task"), block("train")].join("\n").split("\n").length + 12;
  const layers = Math.max(1, Math.round((lines - fixed) / 3));
  const model = ["model mlp(digits.input) {", "  flatten()"];
  const regularize = ["regularize mlp {"];
  for (let i = 1; i <= layers; i++) {
    model.push(`  h${i} = dense(32, activation: relu)`, `  dropout(0.1)`);
    regularize.push(i % 2 ? `  maxnorm(3) on h${i}.kernel` : `  l2(1e-5) on h${i}.kernel`);
  }
  model.push("  out = dense(10)", "}");
  regularize.push("  early_stop(monitor: val_loss, patience: 20, restore_best: true)", "}");
  return [block("data"), model.join("\n"), block("task"), block("train"), regularize.join("\n")].join("\n\n") + "\n";
}

/** Parse alone, then parse and check, of a large spec in a warm process. */
export function benchCheckThroughput(root: string, runs = 10): void {
  const text = generateSpec(root, 10_000);
  const lineCount = text.split("\n").length - 1;
  const path = join(root, "examples", "generated.reg");
  const { diagnostics } = check(text, { path });
  console.log(`warm throughput on a generated spec of ${lineCount} lines (${diagnostics.length} diagnostics), median of ${runs}:`);
  report("parse", lineCount, measure(() => parse(text), runs));
  const checkMilliseconds = measure(() => check(text, { path }), runs);
  report("parse + check", lineCount, checkMilliseconds);
  const achieved = rate(lineCount, checkMilliseconds);
  const verdict = achieved >= TARGET_LINES_PER_SECOND ? "meets" : "falls short of";
  console.log(`  parse + check ${verdict} the target of ${TARGET_LINES_PER_SECOND.toLocaleString("en")} lines/s (${(achieved / TARGET_LINES_PER_SECOND).toFixed(2)}× it)`);
  benchLongLine(path);
}

/**
 * One line of a megabyte holding 170,000 errors: each diagnostic's line is
 * looked up for the syntax cascades, so this takes time linear in the line
 * (scanning back to the line's start for each took time quadratic in it).
 */
function benchLongLine(path: string): void {
  const text = `model m(d.input) { h = dense(1, ${"a: 1, ".repeat(170_000)}) }\n`;
  const errors = check(text, { path }).diagnostics.length;
  const milliseconds = measure(() => check(text, { path }), 3);
  console.log(`  parse + check of one ${(text.length / 1e6).toFixed(1)} MB line with ${errors.toLocaleString("en")} errors: ${milliseconds.toFixed(0)} ms (median of 3)`);
}

function rate(lines: number, milliseconds: number): number {
  return (lines * 1000) / milliseconds;
}

/** Median milliseconds of `runs` calls, after two to warm up. */
function measure(run: () => void, runs: number): number {
  run();
  run();
  return median(Array.from({ length: runs }, () => time(run)));
}

function report(what: string, lines: number, milliseconds: number): void {
  const perSecond = Math.round(rate(lines, milliseconds)).toLocaleString("en");
  console.log(`  ${what.padEnd(24)}  ${milliseconds.toFixed(0).padStart(6)} ms  ${perSecond.padStart(9)} lines/s`);
}
