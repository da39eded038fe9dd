import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { check } from "../../src/compiler/index.js";
import { bestSpecText, trainCommand } from "../../src/experiments/tuning/best-spec.js";

const scratch = realpathSync(mkdtempSync(join(tmpdir(), "reglang-train-command-")));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const SPEC = `data t {
  source   csv("table.csv")
  features a, b
  target   y = number(y)
  split    train: 0.5, test: 0.5
}

model m(t.input) {
  out = dense(1)
}

task fit = regress(m.out, t.y)

train {
  optimizer adam(lr: 1e-2)
  epochs    1
  batch     2
}

regularize m {
  l2(1e-4)
}
`;

/** A tuned spec beside its CSV, and the best.reg a tuning writes two folders down; `marker`: a file that makes the spec's folder a project. */
function tuned(name: string, marker?: string): { folder: string; best: string } {
  const folder = join(scratch, name);
  const tuning = join(folder, "tuning", "spec-20261207-101500");
  mkdirSync(tuning, { recursive: true });
  if (marker) writeFileSync(join(folder, marker), "{}");
  writeFileSync(join(folder, "table.csv"), "a,b,y\n1,2,3\n4,5,6\n7,8,9\n1,1,1\n");
  writeFileSync(join(folder, "spec.reg"), SPEC);
  const best = join(tuning, "best.reg");
  writeFileSync(best, bestSpecText(SPEC, join(folder, "spec.reg"), {}, tuning));
  return { folder, best };
}

describe("the command that trains a tuning's best.reg", () => {
  it("lets it read the data beside the tuned spec when no project holds both", () => {
    const { folder, best } = tuned("loose");
    // Alone, best.reg's own folder is its project, and the data lies outside it.
    expect(check(SPEC, { path: join(folder, "spec.reg") }).diagnostics).toEqual([]);
    expect(check(readFileSync(best, "utf8"), { path: best }).diagnostics.map((d) => d.code)).toEqual(["REG6010"]);
    const command = withCwd(folder, () => trainCommand(best));
    expect(command).toBe("regc run tuning/spec-20261207-101500/best.reg --allow-data .");
    expect(check(readFileSync(best, "utf8"), { path: best, dataAccess: { allowedFolders: [folder] } }).diagnostics).toEqual([]);
  });

  it("is plain where the tuned spec's project holds the tuning folder", () => {
    const { folder, best } = tuned("project", "package.json");
    expect(check(readFileSync(best, "utf8"), { path: best }).diagnostics).toEqual([]);
    expect(withCwd(folder, () => trainCommand(best))).toBe("regc run tuning/spec-20261207-101500/best.reg");
  });
});

function withCwd<T>(folder: string, body: () => T): T {
  const before = process.cwd();
  process.chdir(folder);
  try {
    return body();
  } finally {
    process.chdir(before);
  }
}
