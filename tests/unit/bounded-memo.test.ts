import { describe, expect, it } from "vitest";
import { BoundedMemo } from "../../src/modules/shared/bounded-memo.js";

describe("BoundedMemo", () => {
  it("computes each key once, a null answer too, and nothing for a computation that throws", () => {
    const memo = new BoundedMemo<string, string | null>(10);
    let computed = 0;
    const answer = (key: string) => {
      computed += 1;
      if (key === "fel") throw new Error("not a day");
      return key === "" ? null : key.toUpperCase();
    };
    expect([memo.get("a", answer), memo.get("a", answer)]).toEqual(["A", "A"]);
    expect([memo.get("", answer), memo.get("", answer)]).toEqual([null, null]);
    expect(computed).toBe(2);
    expect(() => memo.get("fel", answer)).toThrow("not a day");
    expect(memo.has("fel")).toBe(false);
  });

  it("empties itself when full instead of growing", () => {
    const memo = new BoundedMemo<number, number>(3);
    for (const key of [1, 2, 3]) memo.set(key, key);
    memo.set(4, 4);
    expect([1, 2, 3, 4].map((key) => memo.has(key))).toEqual([false, false, false, true]);
  });
});
