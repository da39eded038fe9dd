import { describe, expect, it } from "vitest";
import { contractExamples } from "../support/examples.js";
import { largeSpec } from "../support/large-spec.js";
import { LspClient } from "../support/lsp-client.js";
import { LspSession } from "../support/lsp-session.js";
import { pick, seededRandom } from "../support/random.js";

/**
 * A long editing session against one server: random edits and requests
 * over several documents, each reopened under a new name now and then (so
 * anything kept per document and not let go on close would pile up). The
 * server's memory must stay flat after warming up. Memory is the data its
 * heap holds after a full collection (`heapAfterCollection`), sampled
 * often, and flat means the line fitted through the samples rises by less
 * than a tenth over the session (it rises by about 4%, V8's bookkeeping for
 * the code it keeps compiling: heap snapshots show no document data among
 * what grows). Resident memory, or the heap
 * between collections, rises and falls with when the collector runs; a
 * leak of every closed document's caches grows the heap by 35–55% here.
 */

const session = new LspSession("soak", { measureHeap: true });

const EDITS = 10_000;
/** Edits before the first sample: the heap grows to its working size over the first thousand or two, then stays. */
const WARM_UP = 2_000;
/** Edits between memory samples; the answers to requests so far are awaited first, so none is half handled. */
const SAMPLE_EVERY = 100;
/** The most the heap may grow, as a fraction of its size after warming up. */
const MAX_GROWTH = 0.1;
/** A request after every few edits; each one makes the server analyse the document's latest version. */
const REQUEST_EVERY = 4;
/** Edits drift from the example; starting over (under a new URI) keeps texts near a real spec. */
const REOPEN_EVERY = 50;
const WORDS = ["data", "model", "dense(8)", "dropout(0.5)", "l2(1e-4) on *.kernel", "epochs 3", "\n", "{", "}", "(", ",", ":", "h1", "out", "digits"];

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

/** The heap's growth along the least-squares line through the samples, as a fraction of where the line starts. */
function fittedGrowth(points: ReadonlyArray<{ x: number; y: number }>): { growth: number; summary: string } {
  const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
  const xMean = mean(points.map(({ x }) => x));
  const yMean = mean(points.map(({ y }) => y));
  const slope = points.reduce((sum, { x, y }) => sum + (x - xMean) * (y - yMean), 0) / points.reduce((sum, { x }) => sum + (x - xMean) ** 2, 0);
  const at = (x: number) => yMean + slope * (x - xMean);
  const first = at(points[0]!.x);
  const last = at(points[points.length - 1]!.x);
  return { growth: last / first - 1, summary: `the fitted heap goes from ${mb(first)} to ${mb(last)}; samples: ${points.map(({ y }) => mb(y)).join(", ")}` };
}

describe("a long editing session", () => {
  it(`keeps the server's memory flat through ${EDITS} edits and ${EDITS / REQUEST_EVERY} requests over several documents`, async () => {
    const { client } = session;
    const random = seededRandom(20_261_206);
    const examples = contractExamples();
    const documents = examples.map((example) => ({ example, uri: session.open(example.text), text: example.text, version: 1 }));
    const samples: Array<{ x: number; y: number }> = [];
    const answers: Array<Promise<unknown>> = [];
    for (let edit = 1; edit <= EDITS; edit++) {
      const document = pick(random, documents);
      if (edit % REOPEN_EVERY === 0) {
        client.close(document.uri);
        document.uri = session.open(document.example.text);
        document.text = document.example.text;
      } else {
        const at = Math.floor(random() * (document.text.length + 1));
        document.text = random() < 0.6 ? document.text.slice(0, at) + pick(random, WORDS) + document.text.slice(at) : document.text.slice(0, at) + document.text.slice(at + 1 + Math.floor(random() * 8));
        client.change(document.uri, document.text);
      }
      if (edit % REQUEST_EVERY === 0) {
        const doc = { textDocument: { uri: document.uri } };
        const line = Math.floor(random() * document.text.split("\n").length);
        const position = { line, character: Math.floor(random() * 12) };
        const [method, params] = pick<[string, unknown]>(random, [
          ["textDocument/semanticTokens/full", doc],
          ["textDocument/hover", { ...doc, position }],
          ["textDocument/completion", { ...doc, position }],
          ["textDocument/documentSymbol", doc],
          ["textDocument/diagnostic", doc],
          ["textDocument/inlayHint", { ...doc, range: { start: { line: 0, character: 0 }, end: { line: line + 1, character: 0 } } }],
        ]);
        answers.push(client.request(method, params));
      }
      // Waiting for the answers now and then also keeps the pipe from filling faster than the server reads.
      if (edit % SAMPLE_EVERY === 0) {
        await Promise.all(answers.splice(0));
        if (edit >= WARM_UP) samples.push({ x: edit, y: await client.heapAfterCollection() });
      }
    }
    const { growth, summary } = fittedGrowth(samples);
    expect(growth, summary).toBeLessThan(MAX_GROWTH);
  }, 180_000);

  it("lets go of large documents once they are closed", async () => {
    const { client } = session;
    const text = largeSpec(400_000);
    const cycle = async () => {
      const uri = session.open(text);
      await client.request("textDocument/semanticTokens/full", { textDocument: { uri } });
      client.close(uri);
      // Answered after the close: the server has handled it.
      await client.request("textDocument/documentSymbol", { textDocument: { uri: LspClient.uri("soak-none.reg") } });
      return client.heapAfterCollection();
    };
    // Two cycles of warm-up; each document kept after its close would add its text, tree and program to the heap.
    for (let i = 0; i < 2; i++) await cycle();
    const samples: Array<{ x: number; y: number }> = [];
    for (let i = 0; i < 8; i++) samples.push({ x: i, y: await cycle() });
    const { growth, summary } = fittedGrowth(samples);
    expect(growth, summary).toBeLessThan(MAX_GROWTH);
  }, 120_000);
});
