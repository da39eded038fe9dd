import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Position } from "vscode-languageserver";
import { DIAGNOSTICS_DELAY_MS } from "../src/lsp/diagnostics.js";
import { LspClient } from "../test/support/lsp-client.js";
import { seededRandom } from "../test/support/random.js";
import { generateSpec } from "./check-throughput.js";
import { median, time } from "./stats.js";

const SPEC_LINES = 2_000;
const TARGET_REQUEST_P95_MS = 15;
const TARGET_DIAGNOSTICS_P95_MS = 40;
const TARGET_COLD_START_RATIO = 3;

/**
 * The language server as an editor meets it, over stdio from `regc lsp`:
 * completion and hover on a large spec, diagnostics after an edit, and a
 * cold start to first diagnostics against a bare `node -e 0`.
 */
export async function benchLsp(root: string): Promise<void> {
  const text = generateSpec(root, SPEC_LINES);
  const lines = text.split("\n");
  const uri = LspClient.uri("bench-generated.reg");
  const random = seededRandom(2_000);
  const anyPosition = (): Position => {
    const line = Math.floor(random() * lines.length);
    return { line, character: Math.floor(random() * (lines[line]!.length + 1)) };
  };
  const wordPosition = (): Position => {
    for (;;) {
      const line = Math.floor(random() * lines.length);
      const words = [...lines[line]!.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)];
      const word = words[Math.floor(random() * words.length)];
      if (word) return { line, character: word.index + (word[0].length >> 1) };
    }
  };

  const client = await LspClient.start();
  try {
    client.open(uri, text);
    await client.diagnostics(uri);
    const ask = (method: string, position: Position) => timed(() => client.request(method, { textDocument: { uri }, position }));
    const measure = async (method: string, at: () => Position, runs = 300) => {
      for (let i = 0; i < 20; i++) await ask(method, at());
      const times: number[] = [];
      for (let i = 0; i < runs; i++) times.push(await ask(method, at()));
      return times;
    };

    console.log(`language server on a ${lines.length - 1}-line spec, over stdio:`);
    report("completion (checked version)", await measure("textDocument/completion", anyPosition), TARGET_REQUEST_P95_MS);
    report("hover (checked version)", await measure("textDocument/hover", wordPosition), TARGET_REQUEST_P95_MS);

    // Typing: every keystroke is a new version; requests answer it from the last check's program, and diagnostics check it once typing pauses.
    const completionAfterEdit: number[] = [];
    const hoverAfterEdit: number[] = [];
    const diagnostics: number[] = [];
    for (let i = 0; i < 40; i++) {
      const edited = `${text}// edit ${i}\n`;
      client.change(uri, edited);
      completionAfterEdit.push(await ask("textDocument/completion", anyPosition()));
      client.change(uri, `${edited} `);
      hoverAfterEdit.push(await ask("textDocument/hover", wordPosition()));
      client.change(uri, `${edited}  `);
      const sent = performance.now();
      await client.diagnostics(uri);
      diagnostics.push(performance.now() - sent - DIAGNOSTICS_DELAY_MS);
    }
    // Typing inside the spec, not after it: a space at the end of a random line changes that block and moves every block after it.
    const diagnosticsInside: number[] = [];
    for (let i = 0; i < 40; i++) {
      const line = Math.floor(random() * (lines.length - 1));
      const edited = lines.map((content, at) => (at === line ? `${content}${" ".repeat(1 + (i % 3))}` : content)).join("\n");
      client.change(uri, edited);
      const sent = performance.now();
      await client.diagnostics(uri);
      diagnosticsInside.push(performance.now() - sent - DIAGNOSTICS_DELAY_MS);
    }
    report("completion right after an edit", completionAfterEdit, TARGET_REQUEST_P95_MS);
    report("hover right after an edit", hoverAfterEdit, TARGET_REQUEST_P95_MS);
    report(`diagnostics after an edit at the end, less the ${DIAGNOSTICS_DELAY_MS} ms typing pause`, diagnostics, TARGET_DIAGNOSTICS_P95_MS);
    report(`diagnostics after an edit on a random line, less the ${DIAGNOSTICS_DELAY_MS} ms typing pause`, diagnosticsInside, TARGET_DIAGNOSTICS_P95_MS);
  } finally {
    await client.stop();
  }

  console.log();
  await benchColdStartToDiagnostics(root);
}

/** From spawning `regc lsp --stdio` to the first diagnostics of example A, against `node -e 0`. */
async function benchColdStartToDiagnostics(root: string, runs = 11): Promise<void> {
  const text = readFileSync(join(root, "examples", "a-mlp-dropout-maxnorm.reg"), "utf8");
  const uri = LspClient.uri("a-mlp-dropout-maxnorm.reg");
  const nodeTimes: number[] = [];
  const serverTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    nodeTimes.push(time(() => spawnSync(process.execPath, ["-e", "0"], { cwd: root })));
    const started = performance.now();
    const client = await LspClient.start();
    client.open(uri, text);
    await client.diagnostics(uri);
    serverTimes.push(performance.now() - started);
    await client.stop();
  }
  const ratio = median(serverTimes) / median(nodeTimes);
  console.log(`language server cold start, median of ${runs}:`);
  console.log(`  node -e 0                 ${median(nodeTimes).toFixed(0)} ms`);
  console.log(`  spawn → first diagnostics ${median(serverTimes).toFixed(0)} ms`);
  console.log(`  ratio                     ${ratio.toFixed(2)}× (target ≤ ${TARGET_COLD_START_RATIO}×)`);
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function report(label: string, samples: readonly number[], targetP95: number): void {
  const p50 = percentile(samples, 50);
  const p95 = percentile(samples, 95);
  console.log(`  ${label}`);
  console.log(`    p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms of ${samples.length}; p95 / target ${(p95 / targetP95).toFixed(2)} (target ≤ ${targetP95} ms)`);
}
