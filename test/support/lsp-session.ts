import { afterAll, beforeAll } from "vitest";
import { LspClient } from "./lsp-client.js";

/**
 * One language server per test file, started before its tests and stopped
 * after them, and a fresh document URI for each case so cases never share
 * a document.
 */
export class LspSession {
  client!: LspClient;
  private documents = 0;

  constructor(
    private readonly prefix: string,
    options: Parameters<typeof LspClient.start>[0] = {},
  ) {
    beforeAll(async () => {
      this.client = await LspClient.start(options);
    });
    afterAll(async () => {
      await this.client?.stop();
    });
  }

  nextUri(): string {
    return LspClient.uri(`${this.prefix}-${++this.documents}.reg`);
  }

  /** Opens the text under a fresh URI and returns it. */
  open(text: string): string {
    const uri = this.nextUri();
    this.client.open(uri, text);
    return uri;
  }
}
