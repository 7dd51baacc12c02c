import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { dispatchById } from "../../src/slack/dispatch.js";
import { signatureMatches } from "../../src/slack/http-guard.js";

const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

function sign(timestamp: string, body: Buffer, secret = SECRET): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:`).update(body).digest("hex")}`;
}

describe("Slack's request signature", () => {
  const body = Buffer.from("command=%2Farende&text=status+Dnr+108-1642%2F2017");

  it("accepts the signature Slack computes over the timestamp and the body", () => {
    expect(signatureMatches(SECRET, "1531420618", body, sign("1531420618", body))).toBe(true);
  });

  it("refuses a changed body, another timestamp or another secret", () => {
    const signature = sign("1531420618", body);
    expect(signatureMatches(SECRET, "1531420618", Buffer.from(`${body}x`), signature)).toBe(false);
    expect(signatureMatches(SECRET, "1531420619", body, signature)).toBe(false);
    expect(signatureMatches("another secret", "1531420618", body, signature)).toBe(false);
  });

  it("refuses a signature of the wrong length or form without throwing", () => {
    const signature = sign("1531420618", body);
    for (const forged of ["", "v0=", signature.slice(0, -1), `${signature}0`, signature.toUpperCase()]) {
      expect(signatureMatches(SECRET, "1531420618", body, forged)).toBe(false);
    }
  });

  it("checks the bytes as sent, even where they are not UTF-8", () => {
    // Windows-1252 "å" in a form field: decoding it first would sign U+FFFD instead.
    const latin = Buffer.from([0x74, 0x65, 0x78, 0x74, 0x3d, 0xe5]);
    expect(signatureMatches(SECRET, "1", latin, sign("1", latin))).toBe(true);
    expect(signatureMatches(SECRET, "1", latin, sign("1", Buffer.from(latin.toString("utf8"))))).toBe(false);
  });
});

describe("one listener per surface", () => {
  const calls: string[] = [];
  const [constraint, listener] = dispatchById<{ id: string }>(
    {
      "case_card.share": async () => void calls.push("share"),
      "history.older": async () => void calls.push("older"),
    },
    ({ id }) => id,
  );

  it("lets exactly the known ids through to Bolt, dots taken literally", () => {
    expect(constraint.test("case_card.share")).toBe(true);
    expect(constraint.test("history.older")).toBe(true);
    for (const other of ["case_cardXshare", "case_card.share2", "xhistory.older", "history", ""]) {
      expect(constraint.test(other)).toBe(false);
    }
  });

  it("hands each id to its own handler", async () => {
    await listener({ id: "history.older" });
    await listener({ id: "case_card.share" });
    expect(calls).toEqual(["older", "share"]);
  });
});
