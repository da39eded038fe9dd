import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import type { Dataset } from "../../src/runtime/data/dataset.js";
import { predictionPlan } from "../../src/runtime/export/prediction-plan.js";
import { saveModelFolder } from "../../src/runtime/export/save-model.js";
import { dense } from "../../src/runtime/model/layers/index.js";
import { Model } from "../../src/runtime/model/model.js";
import { regress } from "../../src/runtime/train/tasks.js";
import { spawnSync } from "node:child_process";
import { ROOT, startRegc } from "./support.js";

/**
 * `regc export -o` where no folder can be made, one that overlaps the run
 * folder, or one holding files no export wrote: a usage error naming the
 * path and what is in the way, never an internal error nor a file of the
 * user's written over.
 */

const scratch = mkdtempSync(join(ROOT, ".scratch-export-target-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

beforeAll(async () => {
  await selectBackend("cpu");
  const data = { name: "d", kind: "table", inputShape: [2], targets: {}, splits: {}, preprocessing: { kind: "table", shape: [2], features: ["a", "b"], missing: "refuse" } } as unknown as Dataset;
  const model = new Model("m", [2], [dense(1, { name: "out" })], 1);
  await saveModelFolder(join(scratch, "run"), [model], () => predictionPlan(model, []), { spec: "s.reg", data, tasks: [regress("fit", { output: "out", target: "y" })] });
  writeFileSync(join(scratch, "taken.csv"), "a,b\n1,2\n");
  symlinkSync(join(scratch, "run"), join(scratch, "run-link"));
});

it.each([
  ["a file", "taken.csv", "a file of that name is in the way"],
  ["a path through a file", "taken.csv/export", "part of the path is a file, not a folder"],
])("-o naming %s exits 2 saying what is in the way", async (_, out, why) => {
  const exported = await startRegc(["export", "run", "-o", out], scratch);
  expect(exported.code, exported.stderr).toBe(2);
  expect(exported.stderr).toContain(`regc: error: cannot write the export to ${out}: ${why}; give -o a folder you can write to (it is made if missing)`);
  expect(exported.stderr).not.toMatch(/^\s+at /m);
});

it.each([
  ["the run folder", "run", "is"],
  ["the run folder by its absolute path, with a trailing slash", "{scratch}/run/", "is"],
  ["the run folder through a symbolic link", "run-link", "is"],
  ["a folder inside the run folder", "run/export", "is inside"],
  ["a folder inside the run folder through a symbolic link", "run-link/model/export", "is inside"],
  ["a folder holding the run folder", ".", "holds"],
])("-o naming %s exits 2, writing nothing", async (_, written, where) => {
  const out = written.replace("{scratch}", scratch);
  const exported = await startRegc(["export", "run", "-o", out], scratch);
  expect(exported.code, exported.stderr).toBe(2);
  expect(exported.stderr).toContain(`regc: error: cannot write the export to ${out}: it ${where} the run folder run, and the export's files would mix with the run's; give -o another folder, outside run and not holding it\n`);
  expect(exported.stderr).not.toMatch(/^\s+at /m);
  expect(readdirSync(join(scratch, "run"))).toEqual(["model"]);
  expect(existsSync(join(scratch, "README.md"))).toBe(false);
});

it("-o naming a sibling whose name starts with the run folder's writes the export there", async () => {
  const exported = await startRegc(["export", "run", "-o", "run-export"], scratch);
  expect(exported.code, exported.stderr).toBe(0);
  expect(exported.stdout).toContain("wrote run-export/model.json");
});

it("-o naming a new folder writes the export there", async () => {
  const exported = await startRegc(["export", "run", "-o", "new/export"], scratch);
  expect(exported.code, exported.stderr).toBe(0);
  expect(exported.stdout).toContain("wrote new/export/model.json");
});

/** A folder holding `files` (name → content) made afresh under the scratch folder. */
function folderWith(name: string, files: Record<string, string>): string {
  mkdirSync(join(scratch, name));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(scratch, name, file), text);
  return name;
}

it.each([
  ["a page and README of the user's", { "index.html": "<h1>my site</h1>", "README.md": "# mine" }, "it holds README.md, index.html, which no earlier export wrote, and the export would write over them"],
  ["a file of another name", { "notes.txt": "mine" }, "it holds notes.txt, which no earlier export wrote"],
  ["a page among other files", { "a.txt": "", "b.txt": "", "c.txt": "", "d.txt": "", "index.html": "<h1>my site</h1>" }, "it holds a.txt, b.txt, c.txt, d.txt and 1 more, which no earlier export wrote, and the export would write over index.html"],
])("-o naming a folder holding %s exits 2, writing nothing, unless --force", async (name, files, why) => {
  const out = folderWith(name.replace(/\W+/g, "-"), files);
  const refused = await startRegc(["export", "run", "-o", out], scratch);
  expect(refused.code, refused.stderr).toBe(2);
  expect(refused.stderr).toBe(`regc: error: cannot write the export to ${out}: ${why}; give -o a new or empty folder, or add --force to write there anyway\n`);
  expect(readdirSync(join(scratch, out)).sort()).toEqual(Object.keys(files).sort());
  for (const [file, text] of Object.entries(files)) expect(readFileSync(join(scratch, out, file), "utf8")).toBe(text);

  const forced = await startRegc(["export", "run", "-o", out, "--force"], scratch);
  expect(forced.code, forced.stderr).toBe(0);
  expect(readFileSync(join(scratch, out, "model.json"), "utf8")).toContain('"reglang"');
});

it("-o naming an earlier export, with a file of the user's beside it, writes the export there again", async () => {
  const first = await startRegc(["export", "run", "-o", "again"], scratch);
  expect(first.code, first.stderr).toBe(0);
  writeFileSync(join(scratch, "again", "notes.txt"), "mine");
  const second = await startRegc(["export", "run", "-o", "again"], scratch);
  expect(second.code, second.stderr).toBe(0);
  expect(readFileSync(join(scratch, "again", "notes.txt"), "utf8")).toBe("mine");
});

it("-o naming an empty folder writes the export there", async () => {
  const exported = await startRegc(["export", "run", "-o", folderWith("empty", {})], scratch);
  expect(exported.code, exported.stderr).toBe(0);
});

it.skipIf(process.platform !== "linux").each(["/proc/forbidden", "/proc/forbidden/export"])("-o %s, where no folder can be made, exits 2 naming it", (out) => {
  // Node's own recursive mkdir spins here without end: the time limit ends such an export.
  const exported = spawnSync(process.execPath, [join(ROOT, "bin", "regc.js"), "export", "run", "-o", out], { cwd: scratch, encoding: "utf8", timeout: 20_000 });
  expect(exported.status, exported.stderr).toBe(2);
  expect(exported.stderr).toBe(`regc: error: cannot write the export to ${out}: no such file or folder; give -o a folder you can write to (it is made if missing)\n`);
});
