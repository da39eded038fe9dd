import { describe, expect, it } from "vitest";
import { displayWidth } from "../src/compiler/format/display-width.js";

describe("displayWidth", () => {
  it("counts printable ASCII one column a character", () => {
    expect(displayWidth("")).toBe(0);
    expect(displayWidth('  source csv("data.csv")')).toBe(24);
  });

  it("counts East Asian Wide and Fullwidth characters two columns", () => {
    expect(displayWidth("数据")).toBe(4);
    expect(displayWidth("한국어")).toBe(6);
    expect(displayWidth("かな・カナ")).toBe(10);
    expect(displayWidth("Ａｂ１")).toBe(6);
    expect(displayWidth("\u3000")).toBe(2);
    expect(displayWidth("𠀀")).toBe(2);
    expect(displayWidth('csv("数据.csv")')).toBe(15);
  });

  it("counts other scripts, symbols and narrow forms one column", () => {
    expect(displayWidth("données")).toBe(7);
    expect(displayWidth("Ωλ→½")).toBe(4);
    expect(displayWidth("ｶﾅ")).toBe(2);
    expect(displayWidth("\u00a0")).toBe(1);
  });

  it("counts combining marks and zero-width characters no columns", () => {
    expect(displayWidth("cafe\u0301")).toBe(4);
    expect(displayWidth("a\u0308\u0323")).toBe(1);
    expect(displayWidth("か\u3099")).toBe(2);
    expect(displayWidth("a\u200bb")).toBe(2);
    expect(displayWidth("\u200d\ufeff")).toBe(0);
  });

  it("counts an emoji two columns, however many characters join to make it", () => {
    expect(displayWidth("🙂")).toBe(2);
    expect(displayWidth("👩\u200d💻")).toBe(2);
    expect(displayWidth("🇫🇷")).toBe(2);
    expect(displayWidth("👍🏽 ok")).toBe(5);
  });
});
