import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FinalMetrics } from "../../src/runtime/run/history.js";
import { onlyRunFolder, readJson, ROOT, startRegc } from "./support.js";

/**
 * A real run's report.html, rendered by a real browser (Debian's headless
 * Chromium): the sections are there and every chart has drawn marks. The
 * program is started on its own with tsx, not by `regc run`, so the spec in
 * the folder and the report comes from the program itself.
 */

const SPEC = `data penguins {
  source    json("vega-datasets/data/penguins.json")
  features  "Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)"
  target    species = class(Species)
  normalize standard
  missing   drop
  split     train: 0.6, val: 0.2, test: 0.2
  seed      3
}

model net(penguins.input) {
  h   = dense(16, activation: relu)
  out = dense(3)
}

task species = classify(net.out, penguins.species)

train {
  optimizer adam(lr: 1e-2)
  schedule  step(every: 2, factor: 0.5)
  epochs    6
  batch     16
}

regularize net {
  l2(1e-3) on *.kernel
}
`;

const scratch = mkdtempSync(join(ROOT, ".scratch-report-page-"));
let browser: Browser;
let page: Page;
let folder: string;

beforeAll(async () => {
  writeFileSync(join(scratch, "penguins.reg"), SPEC);
  expect((await startRegc(["compile", "penguins.reg", "-o", "out"], scratch)).code).toBe(0);
  const run = spawnSync(process.execPath, [join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), join("out", "penguins.ts"), "--runs", "runs", "--backend", "cpu"], {
    cwd: scratch,
    encoding: "utf8",
    env: { ...process.env, CI: "1" },
  });
  expect(run.status, run.stderr).toBe(0);
  folder = onlyRunFolder(join(scratch, "runs"));
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  page = await browser.newPage();
  await page.goto(pathToFileURL(join(folder, "report.html")).href);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** The rendered size of an element's drawn marks, from the browser's own layout. */
async function drawnBox(selector: string): Promise<{ width: number; height: number }[]> {
  return page.$$eval(selector, (elements) => elements.map((element) => (element as SVGGraphicsElement).getBBox()).map(({ width, height }) => ({ width, height })));
}

describe("report.html in Chromium", () => {
  it("keeps the spec in the run folder and the report though the program was started on its own", async () => {
    expect(readFileSync(join(folder, "penguins.reg"), "utf8")).toBe(SPEC);
    expect(existsSync(join(folder, "history.csv"))).toBe(true);
    const spec = await page.textContent("details#spec pre");
    expect(spec).toBe(SPEC);
  });

  it("has every section: model, curves, final metrics, classes, spec and code", async () => {
    const headings = await page.$$eval("h2", (elements) => elements.map((element) => element.id));
    expect(headings).toEqual(["model", "curves", "metrics", "classes"]);
    expect(await page.$$eval("details", (elements) => elements.map((element) => element.id))).toEqual(["spec", "code"]);
  });

  it("draws one chart per metric, not per alias, the learning rate, and marks the best epoch", async () => {
    const titles = await page.$$eval(".charts svg.chart:not(.matrix)", (elements) => elements.map((element) => element.getAttribute("aria-label")));
    expect(titles).toEqual(["loss", "accuracy", "learning rate"]);
    for (const box of await drawnBox("svg.chart:not(.matrix) g.series polyline")) expect(box.width).toBeGreaterThan(100);
    // The step schedule halves the rate every 2 epochs: the curve falls, so it has height.
    const [rate] = await drawnBox('svg[aria-label="learning rate"] g.series polyline');
    expect(rate!.height).toBeGreaterThan(50);
    const guides = await page.$$eval('svg[aria-label="loss"] text.guide-label', (elements) => elements.map((element) => element.textContent));
    expect(guides).toHaveLength(1);
    expect(guides[0]).toMatch(/^best \(epoch \d\)$/);
    expect(await page.textContent("table.facts")).toMatch(/best epoch\s*\d \(lowest val loss, [\d.]+\)/);
  });

  it("shows the model's layers, shapes and parameter counts", async () => {
    const rows = await page.$$eval("table.model tr", (elements) => elements.map((row) => [...row.children].map((cell) => cell.textContent)));
    expect(rows).toEqual([
      ["layer", "kind", "reads", "output shape", "parameters"],
      ["input", "", "", "4", "0"],
      ["h", "dense", "input", "16", String(4 * 16 + 16)],
      ["out", "dense", "h", "3", String(16 * 3 + 3)],
      ["total", "", "", "", String(80 + 51)],
    ]);
  });

  it("draws the test split's confusion matrix and per-class scores, as metrics.json has them", async () => {
    const metrics = readJson<FinalMetrics>(join(folder, "metrics.json"));
    const result = metrics.classification!["species"]!;
    expect(result.labels).toEqual(["Adelie", "Chinstrap", "Gentoo"]);
    const total = result.confusion.flat().reduce((sum, n) => sum + n, 0);
    const correct = result.confusion.reduce((sum, row, k) => sum + row[k]!, 0);
    expect(correct / total).toBeCloseTo(metrics.splits["test"]!.accuracy!, 10);
    const cells = await drawnBox("svg.matrix rect.cell");
    expect(cells).toHaveLength(9);
    for (const cell of cells) expect(cell.width).toBeGreaterThan(0);
    const shown = await page.$$eval("svg.matrix rect.cell", (elements) => elements.map((element) => element.getAttribute("fill")));
    // The diagonal is shaded (most of each row is right), not white.
    for (const k of [0, 4, 8]) expect(shown[k]).not.toBe("rgb(255,255,255)");
    const rows = await page.$$eval("table.per-class tr", (elements) => elements.slice(1).map((row) => [...row.children].map((cell) => cell.textContent)));
    expect(rows.map((row) => row[0])).toEqual(result.labels);
    expect(rows.map((row) => Number(row[4]))).toEqual(result.confusion.map((row) => row.reduce((sum, n) => sum + n, 0)));
  });
});
