import { describe, expect, it } from "vitest";
import { diagnose } from "../support/diagnose.js";
import { contractExamples } from "../support/examples.js";

/** A block whose `}` never comes is reported where its text ends, with a note at the `{` it would close. */

const A = contractExamples().find((e) => e.name.startsWith("a-"))!;

describe("an unclosed block", () => {
  it("points at its `{`, at the end of the file", () => {
    const text = A.text.split("\n").slice(0, 14).join("\n") + "\n";
    const [error] = diagnose(text, A.path);
    expect(error!.message).toBe("expected `}`, found the end of the file");
    expect(error!.related?.map((r) => [r.message, text.slice(r.span.start, r.span.end), text.slice(0, r.span.start).split("\n").length])).toEqual([["the block opened here", "{", 10]]);
  });

  it("points at its `{`, where the next block starts", () => {
    const text = A.text.replace("  seed   7\n}\n", "  seed   7\n");
    const [error] = diagnose(text, A.path);
    expect(error!.message).toBe("expected `}`, found the next block");
    expect(error!.related?.map((r) => text.slice(0, r.span.start).split("\n").length)).toEqual([2]);
  });
});

describe("a block comment never closed", () => {
  it("hides what follows it, so nothing after it is reported missing: not the block's settings, nor what other blocks would hold", () => {
    const text = A.text.replace("  epochs    60", "  /*epochs    60");
    const found = diagnose(text, A.path).map((d) => d.code);
    expect(found).toEqual(["REG0004", "REG0001"]);
  });

  it("after a block's `}` leaves that block's settings required", () => {
    const text = A.text.replace("  epochs    60\n  batch     32\n}", "}\n/* the rest");
    expect(diagnose(text, A.path).map((d) => d.code)).toEqual(["REG2008", "REG2008", "REG0004"]);
  });
});
