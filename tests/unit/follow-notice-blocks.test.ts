import { describe, expect, it } from "vitest";
import type { FollowNotice } from "../../src/modules/follows/present-follow-notice.js";
import { FOLLOW_RESTRICTED_NOTICE } from "../../src/modules/follows/present-follow-notice.js";
import { followNoticeMessage } from "../../src/slack/blocks/follow-notice.js";
import { SLACK_LIMITS } from "../../src/slack/blocks/mrkdwn.js";

const notice = (overrides: Partial<FollowNotice> = {}): FollowNotice => ({
  caseId: 1,
  label: "Dnr 108-1642/2017",
  title: "Bristerna inom socialtjänsten",
  audience: "full",
  restrictedNotice: null,
  follower: "user",
  changes: [
    {
      when: "3 apr. 2017 14:05",
      text: [
        "Godkänt av ",
        { person: { slackUserId: "U0GODK001", name: "anna" } },
        ": remissvaret från Socialnämnden",
      ],
      details: [],
    },
  ],
  more: 0,
  deadlines: [],
  fallbackText: "Nytt i Dnr 108-1642/2017: Godkänt av anna",
  ...overrides,
});

const textOf = (message: ReturnType<typeof followNoticeMessage>) => JSON.stringify(message.blocks);

describe("a follower's notice", () => {
  it("names the case, each change with its time and who, and how to stop following", () => {
    const message = followNoticeMessage(notice());
    expect(message.text).toBe("Nytt i Dnr 108-1642/2017: Godkänt av anna");
    expect(textOf(message)).toContain("*Nytt i Dnr 108-1642/2017* «Bristerna inom socialtjänsten»");
    expect(textOf(message)).toContain(
      "3 apr. 2017 14:05 · Godkänt av <@U0GODK001>: remissvaret från Socialnämnden",
    );
    expect(textOf(message)).toContain("sluta med `/arende sluta bevaka Dnr 108-1642/2017`");
  });

  it("in a channel says the channel follows, and how to end that", () => {
    expect(textOf(followNoticeMessage(notice({ follower: "channel" })))).toContain(
      "Kanalen bevakar ärendet · sluta med `/arende sluta bevaka Dnr 108-1642/2017 kanal`",
    );
  });

  it("says when only public data of a restricted case is shown", () => {
    const message = followNoticeMessage(
      notice({ title: "Sekretess", audience: "public", restrictedNotice: FOLLOW_RESTRICTED_NOTICE }),
    );
    expect(textOf(message)).toContain("endast offentliga uppgifter");
  });

  it("lists passed deadlines and stays within a section's limit however long the batch", () => {
    const long = "Ändrat ".repeat(200);
    const message = followNoticeMessage(
      notice({
        changes: Array.from({ length: 15 }, () => ({
          when: "3 apr. 2017 14:05",
          text: [long],
          details: [[long], [long], [long]],
        })),
        more: 7,
        deadlines: ["Svarstiden för remissen till Socialnämnden (senast 31 mars 2017) har gått ut."],
      }),
    );
    const [section] = message.blocks;
    const text = section?.type === "section" ? (section.text?.text ?? "") : "";
    expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(text).toContain("Svarstiden för remissen till Socialnämnden (senast 31 mars 2017) har gått ut.");
    // Each change takes some 1,000 characters: two fit, the other 13 and the 7 left out before are counted.
    expect(text).toContain("… och 20 ändringar till: `/arende historik Dnr 108-1642/2017`");
    expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
  });

  it("names at most five passed deadlines and counts the rest, so a remiss to every district board still fits", () => {
    const deadlines = Array.from(
      { length: 40 },
      (_, index) =>
        `Svarstiden för remissen till Stadsdelsnämnd nummer ${index + 1} med ett långt namn (senast 31 mars 2017) har gått ut.`,
    );
    const long = "Ändrat ".repeat(200);
    const message = followNoticeMessage(
      notice({
        deadlines,
        changes: Array.from({ length: 15 }, () => ({ when: "3 apr. 2017 14:05", text: [long], details: [] })),
      }),
    );
    const [section] = message.blocks;
    const text = section?.type === "section" ? (section.text?.text ?? "") : "";
    expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(text).toContain("nummer 5 med");
    expect(text).not.toContain("nummer 6 med");
    expect(text).toContain("… och 35 tidsfrister till");
    expect(text).toContain("ändringar till: `/arende historik Dnr 108-1642/2017`");
  });

  it("never cuts a mention in two", () => {
    const crowded = Array.from({ length: 60 }, () => ({
      person: { slackUserId: "U0GODK001", name: "anna" },
    }));
    const text = textOf(
      followNoticeMessage(notice({ changes: [{ when: "i dag", text: crowded, details: [] }] })),
    );
    expect(text).not.toMatch(/<@U0GOD(?!K001>)/);
  });
});
