import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import { forgetOldReceipts } from "../../src/modules/slack-receipts/forget-old-receipts.js";
import { claimReceipts } from "../../src/modules/slack-receipts/receipts.repository.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.destroy());

describe("claiming a Slack delivery", () => {
  it("lets only the first of many concurrent claims answer", async () => {
    const at = new Date("2026-11-22T10:00:00Z");
    const results = await Promise.all(
      Array.from({ length: 8 }, () => claimReceipts(database.db, ["event:EvSAME", "message:C1:1.000"], at)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("refuses a second delivery of the same message under another event id", async () => {
    const at = new Date("2026-11-22T10:00:00Z");
    expect(await claimReceipts(database.db, ["event:EvA", "message:C1:2.000"], at)).toBe(true);
    expect(await claimReceipts(database.db, ["event:EvB", "message:C1:2.000"], at)).toBe(false);
  });

  it("forgets receipts older than two days and keeps recent ones", async () => {
    await claimReceipts(database.db, ["old"], new Date("2026-11-19T10:00:00Z"));
    await claimReceipts(database.db, ["recent"], new Date("2026-11-21T10:00:00Z"));
    const removed = await forgetOldReceipts({ db: database.db, clock: fixedClock("2026-11-22T10:00:00Z") });
    expect(removed).toBe(1);
    expect(await claimReceipts(database.db, ["old"], new Date())).toBe(true);
    expect(await claimReceipts(database.db, ["recent"], new Date())).toBe(false);
  });
});
