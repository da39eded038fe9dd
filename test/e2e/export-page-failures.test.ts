import type { Server } from "node:http";
import { cpSync, mkdtempSync, rmSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchChromium, serve } from "./browser-support.js";
import { saveTableModel, TABLE_MODEL_WEIGHT_BYTES } from "./export-support.js";
import { ROOT, startRegc } from "./support.js";

/**
 * The page `regc export` writes, in headless Chromium, where it cannot
 * predict: weights the server does not have or that are cut short, the
 * page opened from a file, rows it cannot read. It says so in its output,
 * rather than predicting from a 404 page read as weights or doing nothing.
 */

const scratch = mkdtempSync(join(ROOT, ".scratch-export-page-"));
const servers: Server[] = [];
let browser: Browser;

beforeAll(async () => {
  await saveTableModel(join(scratch, "run"));
  const exported = await startRegc(["export", "run", "-o", "site"], scratch);
  expect(exported.code, exported.stderr).toBe(0);
  cpSync(join(scratch, "site"), join(scratch, "no-weights"), { recursive: true });
  rmSync(join(scratch, "no-weights", "weights.bin"));
  cpSync(join(scratch, "site"), join(scratch, "short-weights"), { recursive: true });
  truncateSync(join(scratch, "short-weights", "weights.bin"), 40);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const server of servers) server.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** What the page shows once it shows anything, before any click. */
async function shownOnOpening(page: Page, url: string): Promise<string> {
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById("out")!.textContent !== "", undefined, { timeout: 30_000 });
  return (await page.textContent("#out"))!;
}

/** What the page shows for rows pasted and Predict clicked. */
async function predicted(page: Page, csv: string): Promise<string> {
  await page.evaluate(() => (document.getElementById("out")!.textContent = ""));
  await page.fill("#input", csv);
  await page.click("#go");
  await page.waitForFunction(() => document.getElementById("out")!.textContent !== "", undefined, { timeout: 30_000 });
  return (await page.textContent("#out"))!;
}

it("predicts pasted rows where its files are all served", async () => {
  const page = await browser.newPage();
  await page.goto(`${await serve(join(scratch, "site"), servers)}index.html`);
  const shown = await predicted(page, "a,b\n1,2\n");
  expect(shown.startsWith("["), shown).toBe(true);
  expect(JSON.parse(shown)).toHaveLength(1);
}, 60_000);

it("refuses pasted rows as regc predict refuses such a file: a header alone, columns missing", async () => {
  const page = await browser.newPage();
  await page.goto(`${await serve(join(scratch, "site"), servers)}index.html`);
  expect(await predicted(page, "a,b\n")).toBe("the input: it names its columns but holds no rows, so there is nothing to predict");
  expect(await predicted(page, "x,y\n1,2\n")).toBe('the input has no columns `a`, `b`; the model reads the columns `a`, `b`; its columns are "x", "y"');
}, 60_000);

it("says the server has no weights.bin, on opening and on Predict, rather than reading its 404 page as weights", async () => {
  const base = await serve(join(scratch, "no-weights"), servers);
  const page = await browser.newPage();
  const message = `cannot load the model: cannot fetch ${base}weights.bin: the server answered 404 Not Found`;
  expect(await shownOnOpening(page, `${base}index.html`)).toBe(message);
  expect(await predicted(page, "a,b\n1,2\n")).toBe(message);
}, 60_000);

it("says weights.bin is cut short, with its bytes and the manifest's", async () => {
  const base = await serve(join(scratch, "short-weights"), servers);
  const page = await browser.newPage();
  expect(await shownOnOpening(page, `${base}index.html`)).toBe(
    `cannot load the model: ${base}weights.bin holds 40 bytes, model.json's weights manifest lists ${TABLE_MODEL_WEIGHT_BYTES}: the weights are cut short or belong to another model; copy model.json and its weights again from one export, or export the run again`,
  );
}, 60_000);

it("opened from a file, says to serve its folder over http", async () => {
  const page = await browser.newPage();
  expect(await shownOnOpening(page, pathToFileURL(join(scratch, "site", "index.html")).href)).toBe(
    "This page loads its model over http, which a browser does not allow a page opened from a file: serve this folder, e.g. run `python3 -m http.server 8080` in it, then open http://localhost:8080/",
  );
}, 60_000);
