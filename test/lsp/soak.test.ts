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
 * server's memory at the end must be about what it was after warming up.
 * Resident memory rises and falls with garbage collection, so each side is
 * the floor of several samples: what the collector comes back down to.
 */

const session = new LspSession("soak");

const EDITS = 10_000;
/** Edits before the baseline: the heap grows to its working size over the first few thousand, then stays. */
const WARM_UP = 3_000;
/** Edits between memory samples. */
const SAMPLE_EVERY = 100;
/** A request after every few edits; each one makes the server analyse the document's latest version. */
const REQUEST_EVERY = 4;
/** Edits drift from the example; starting over (under a new URI) keeps texts near a real spec. */
const REOPEN_EVERY = 50;
const WORDS = ["data", "model", "dense(8)", "dropout(0.5)", "l2(1e-4) on *.kernel", "epochs 3", "\n", "{", "}", "(", ",", ":", "h1", "out", "digits"];

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

describe("a long editing session", () => {
  it(`keeps the server's memory flat through ${EDITS} edits and ${EDITS / REQUEST_EVERY} requests over several documents`, async () => {
    const { client } = session;
    const random = seededRandom(20_261_206);
    const examples = contractExamples();
    const documents = examples.map((example) => ({ example, uri: session.open(example.text), text: example.text, version: 1 }));
    const samples: Array<{ edit: number; bytes: number }> = [];
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
      // Waiting for the answers now and then keeps the pipe from filling faster than the server reads.
      if (edit % 200 === 0) await Promise.all(answers.splice(0));
      if (edit % SAMPLE_EVERY === 0) samples.push({ edit, bytes: client.residentBytes() });
    }
    await Promise.all(answers);
    const floor = (from: number, to: number) => Math.min(...samples.filter(({ edit }) => edit > from && edit <= to).map(({ bytes }) => bytes));
    const warmedUp = floor(WARM_UP, WARM_UP + 1_000);
    const end = floor(EDITS - 1_000, EDITS);
    expect(end / warmedUp, `${mb(warmedUp)} after warm-up, ${mb(end)} at the end`).toBeLessThan(1.2);
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
      return client.residentBytes();
    };
    // The heap grows to its working size over the first cycles, and a major collection comes only every several:
    // so each floor spans eight cycles after four of warm-up; a document kept after its close would add eight copies.
    const after: number[] = [];
    for (let i = 0; i < 20; i++) after.push(await cycle());
    const early = Math.min(...after.slice(4, 12));
    const late = Math.min(...after.slice(12));
    expect(late / early, `${mb(early)} over cycles 5–12, ${mb(late)} over cycles 13–20`).toBeLessThan(1.2);
  }, 120_000);
});
