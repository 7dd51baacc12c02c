import { describe, expect, it } from "vitest";
import { say } from "../../src/messages/sv.js";
import { isNews, NOTIFY_INTERVAL_MS, planBatch } from "../../src/modules/follows/batching.js";
import { parseFollowArguments } from "../../src/modules/follows/parse-follow-command.js";

const at = (iso: string) => new Date(iso);
const event = (action: string, changes: Record<string, unknown> = {}) => ({ action, changes });

describe("which audited changes are news to a follower", () => {
  it.each([
    ["referral.sent", {}],
    ["referral.imported", {}],
    ["referral_response.submitted", {}],
    ["referral_response.approved", {}],
    ["referral_response.rejected", {}],
    ["timeline_entry.imported", { kind: "decision" }],
    ["case.updated", { status: { from: "in_progress", to: "closed" } }],
    ["case.updated", { outcome: { from: null, to: "Skrivelsen anses besvarad" } }],
    ["referral.updated", { state: { from: "open", to: "answered" } }],
    ["referral_response.updated", { approval_state: { from: "pending", to: "approved" } }],
  ])("%s %j is news", (action, changes) => {
    expect(isNews(event(action, changes))).toBe(true);
  });

  it.each([
    ["case.updated", { summary: { from: "a", to: "b" } }],
    ["referral.notice_posted", {}],
    ["referral_response.approval_requested", {}],
    ["deadline.computed", {}],
    ["referral_response.updated", { summary: { from: "a", to: "b" } }],
    ["case_follow.created", {}],
  ])("%s %j is not", (action, changes) => {
    expect(isNews(event(action, changes))).toBe(false);
  });
});

describe("planBatch: at most one message per case and follower an hour", () => {
  const sent = event("referral.sent");
  const approved = event("referral_response.approved");
  const reworded = event("case.updated", { summary: { from: "a", to: "b" } });

  it("the first news goes out at once, with everything pending", () => {
    expect(
      planBatch({
        events: [sent, reworded, approved],
        passedDeadlines: [],
        lastToldAt: null,
        now: at("2017-04-03T10:00:00Z"),
      }),
    ).toEqual({ type: "send", events: [sent, approved], deadlines: [] });
  });

  it("news within the hour after the last message waits until the hour is out", () => {
    const lastToldAt = at("2017-04-03T10:00:00Z");
    const plan = planBatch({
      events: [approved],
      passedDeadlines: [],
      lastToldAt,
      now: at("2017-04-03T10:59:59Z"),
    });
    expect(plan).toEqual({
      type: "wait",
      until: new Date(lastToldAt.getTime() + NOTIFY_INTERVAL_MS),
      events: [approved],
      deadlines: [],
    });
  });

  it("at the hour it goes out, everything gathered since in one message", () => {
    const plan = planBatch({
      events: [sent, approved],
      passedDeadlines: ["remiss 28 april"],
      lastToldAt: at("2017-04-03T10:00:00Z"),
      now: at("2017-04-03T11:00:00Z"),
    });
    expect(plan).toEqual({ type: "send", events: [sent, approved], deadlines: ["remiss 28 april"] });
  });

  it("a passed deadline alone is news", () => {
    expect(
      planBatch({ events: [], passedDeadlines: [1], lastToldAt: null, now: at("2017-04-29T06:00:00Z") }),
    ).toMatchObject({
      type: "send",
      deadlines: [1],
    });
  });

  it("changes that are no news send nothing, however long ago the last message was", () => {
    expect(
      planBatch({
        events: [reworded],
        passedDeadlines: [],
        lastToldAt: null,
        now: at("2017-04-03T10:00:00Z"),
      }),
    ).toEqual({
      type: "nothing",
      passedOver: [reworded],
    });
  });
});

describe("the words after bevaka", () => {
  it("reads an identifier, and kanal last for the channel", () => {
    expect(parseFollowArguments("Dnr 108-1642/2017", "bevaka")).toEqual({
      ok: true,
      query: "Dnr 108-1642/2017",
      channel: false,
    });
    expect(parseFollowArguments("Dnr 108-1642/2017 Kanal", "bevaka")).toEqual({
      ok: true,
      query: "Dnr 108-1642/2017",
      channel: true,
    });
  });

  it("says what to type when the identifier is missing", () => {
    const parsed = parseFollowArguments(" kanal ", "sluta bevaka");
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect(say(parsed.error)).toBe(
        "Skriv vilket ärende du vill sluta bevaka, till exempel `/arende sluta bevaka Dnr 108-1642/2017`; lägg till `kanal` sist för kanalens bevakning.",
      );
  });
});
