import type { CompletionItem, CompletionList, Diagnostic, FullDocumentDiagnosticReport, Hover, Position } from "vscode-languageserver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contractExamples } from "../support/examples.js";
import { LspClient } from "../support/lsp-client.js";
import { pick, seededRandom } from "../support/random.js";
import { BLOCK_WORDS, mutations, offsetIn } from "../support/random-edits.js";

/**
 * The language server must survive anything typed into an open document:
 * after every random edit it answers completion, hover and diagnostics with
 * a result, never an error, never a crash and never a hang. One server takes every
 * example's edits, as one editor session would.
 */

const EDITS_PER_EXAMPLE = 1000;
/** Edits drift from the example; starting over keeps most texts near a real spec. */
const RESET_EVERY = 60;
const ANSWER_TIMEOUT_MS = 5_000;

/** The LSP position of an offset: UTF-16 units, and any of \r\n, \r, \n ends a line. */
function positionAt(text: string, offset: number): Position {
  if (text[offset - 1] === "\r" && text[offset] === "\n") offset--;
  let line = 0;
  let lineStart = 0;
  for (const match of text.slice(0, offset).matchAll(/\r\n|\r|\n/g)) {
    line++;
    lineStart = match.index + match[0].length;
  }
  return { line, character: offset - lineStart };
}

function lineCount(text: string): number {
  return text.split(/\r\n|\r|\n/).length;
}

function within<T>(answer: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ANSWER_TIMEOUT_MS} ms`)), ANSWER_TIMEOUT_MS);
  });
  return Promise.race([answer, timeout]).finally(() => clearTimeout(timer));
}

function completionItems(result: CompletionItem[] | CompletionList | null): CompletionItem[] {
  if (result === null) return [];
  const items = Array.isArray(result) ? result : result.items;
  expect(Array.isArray(items)).toBe(true);
  return items;
}

let client: LspClient;

beforeAll(async () => {
  client = await within(LspClient.start(), "starting the server");
});

afterAll(async () => {
  await client?.stop();
});

describe("language server robustness", () => {
  for (const example of contractExamples()) {
    it(`answers through ${EDITS_PER_EXAMPLE} seeded edits of ${example.name}`, async () => {
      const random = seededRandom(example.name.length * 104_729 + 7);
      const words = [...new Set([...BLOCK_WORDS, ...(example.text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [])])];
      const mutationNames = Object.keys(mutations);
      const uri = LspClient.uri(`robustness-${example.name}`);
      const tally = { completions: 0, hovers: 0 };

      client.open(uri, example.text);
      let text = example.text;
      try {
        for (let round = 1; round <= EDITS_PER_EXAMPLE; round++) {
          const edit = round % RESET_EVERY === 0 ? { text: example.text, cursor: 0 } : mutations[pick(random, mutationNames)]!(text, words, random);
          text = edit.text;
          client.change(uri, text);
          const position = positionAt(text, random() < 0.7 ? edit.cursor : offsetIn(text, random));
          const where = `round ${round}, ${position.line}:${position.character}`;
          const params = { textDocument: { uri }, position };

          const completion = await within(client.request<CompletionItem[] | CompletionList | null>("textDocument/completion", { ...params, context: { triggerKind: 1 } }), `completion at ${where}`).catch(failWith(where, text));
          const items = completionItems(completion);
          for (const item of items) expect(typeof item.label).toBe("string");
          if (items.length > 0) tally.completions++;

          const hover = await within(client.request<Hover | null>("textDocument/hover", params), `hover at ${where}`).catch(failWith(where, text));
          if (hover !== null) {
            expect(hover.contents).toBeDefined();
            tally.hovers++;
          }

          // Pulled (LSP 3.17), so each edit's diagnostics come at once, without the typing pause pushes wait for.
          const report = await within(client.request<FullDocumentDiagnosticReport>("textDocument/diagnostic", { textDocument: { uri } }), `diagnostics at ${where}`).catch(failWith(where, text));
          expect(report.kind).toBe("full");
          expectInside(report.items, lineCount(text), where);
          if (!client.alive) throw new Error(`the server died at ${where}:\n${text}`);
        }
      } finally {
        client.close(uri);
      }

      // The features must really be there: an empty answer every time would pass the loop.
      expect(tally.completions).toBeGreaterThan(EDITS_PER_EXAMPLE / 4);
      expect(tally.hovers).toBeGreaterThan(0);
    }, 120_000);
  }
});

function expectInside(diagnostics: Diagnostic[], lines: number, where: string): void {
  for (const d of diagnostics) {
    const { start, end } = d.range;
    const ordered = start.line < end.line || (start.line === end.line && start.character <= end.character);
    if (!(ordered && start.line >= 0 && start.character >= 0 && end.line < lines)) {
      throw new Error(`diagnostic ${String(d.code)} at ${where} has range ${JSON.stringify(d.range)} outside a ${lines}-line document`);
    }
  }
}

/** Rethrows a failed request with the text and position that caused it, so it can be replayed. */
function failWith(where: string, text: string): (error: unknown) => never {
  return (error) => {
    throw new Error(`${where}: ${error instanceof Error ? error.message : String(error)}\n--- document ---\n${text}`);
  };
}
