import type { KnownBlock } from "@slack/types";
import { describe, expect, it } from "vitest";
import type { BodyRef, CaseDetails, ReferralDetails } from "../../src/modules/cases/case-details.js";
import { type CasePresentation, presentCase } from "../../src/modules/cases/present-case.js";
import { caseCardMessage, SHARE_CASE_ACTION } from "../../src/slack/blocks/case-card.js";
import type { SlackMessage } from "../../src/slack/blocks/message.js";
import { caseDetails as baseCase } from "../support/case-details.js";

const TODAY = "2017-04-03";

const caseDetails = (overrides: Partial<CaseDetails> = {}): CaseDetails =>
  baseCase({
    raisedBy: [{ name: "Lotta Edholm", party: "L" }],
    raisedOn: "2016-10-26",
    status: "in_progress",
    identifiers: ["PM 2017:95 RVI+VIII"],
    ...overrides,
  });

const body = (index: number, name: string): BodyRef => ({ id: index, code: `b${index}`, name });

function openReferral(index: number, overrides: Partial<ReferralDetails> = {}): ReferralDetails {
  return {
    id: index,
    body: body(index, `Stadsdelsnämnd nummer ${index} för stadsövergripande sociala frågor`),
    sentOn: null,
    dueOn: "2017-03-31",
    dueStatement: null,
    state: "open",
    answeredOn: null,
    responses: [],
    ...overrides,
  };
}

const words = (count: number, word: string) => Array.from({ length: count }, () => word).join(" ");

/** A case that has lived for years: hundreds of referrals and timeline entries, pages of dissent. */
function hugeCase(): CaseDetails {
  return caseDetails({
    title: `Bristerna inom socialtjänsten ${words(80, "och & <övrigt>")}`,
    publicTitle: "Bristerna inom socialtjänsten",
    summary: words(2_000, "Sammanfattning & <detaljer>"),
    raisedBy: Array.from({ length: 60 }, (_, index) => ({ name: `Ledamot Nummer ${index}`, party: "L" })),
    identifiers: Array.from({ length: 120 }, (_, index) => `PM 2017:${index} RVI+VIII`),
    addressedTo: body(9001, "kommunfullmäktige"),
    responsibleBody: body(9002, "kommunstyrelsen"),
    officerName: "Kim Handläggare",
    receivedOn: "2016-10-27",
    referrals: Array.from({ length: 250 }, (_, index) => openReferral(index + 1)),
    timeline: Array.from({ length: 400 }, (_, index) => ({
      kind: index % 2 === 0 ? ("dissent" as const) : ("statement" as const),
      body: body(10_000 + index, "kommunstyrelsen"),
      occurredOn: "2017-05-04",
      reference: `PM 2017:95 RVI+VIII & <bilaga ${index}>`,
      people: [
        { name: "Anna König Jerlmyr", party: "M" },
        { name: "Cecilia Brinck", party: "M" },
      ],
      text: words(500, "Reservationstext & <yrkande>"),
    })),
  });
}

type TextObject = { type: string; text: string };

/** Every mrkdwn text object in the message, wherever it sits. */
function mrkdwnTexts(blocks: KnownBlock[]): string[] {
  const texts: string[] = [];
  for (const block of blocks) {
    if (block.type === "section") {
      if (block.text?.type === "mrkdwn") texts.push(block.text.text);
      for (const field of block.fields ?? []) if (field.type === "mrkdwn") texts.push(field.text);
    }
    if (block.type === "context") {
      for (const element of block.elements) {
        if (element.type === "mrkdwn") texts.push((element as TextObject).text);
      }
    }
  }
  return texts;
}

function shareButtons(message: SlackMessage) {
  return message.blocks.flatMap((block) =>
    block.type === "actions"
      ? block.elements.filter(
          (element) => element.type === "button" && element.action_id === SHARE_CASE_ACTION,
        )
      : [],
  );
}

function expectWithinSlackLimits(message: SlackMessage): void {
  expect(message.blocks.length).toBeGreaterThan(0);
  expect(message.blocks.length).toBeLessThanOrEqual(50);
  expect(message.text.trim()).not.toBe("");
  for (const block of message.blocks) {
    if (block.type === "header") expect(block.text.text.length).toBeLessThanOrEqual(150);
    if (block.type === "section") {
      if (block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
      expect(block.fields?.length ?? 0).toBeLessThanOrEqual(10);
      for (const field of block.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(2000);
      expect(block.text !== undefined || (block.fields?.length ?? 0) > 0).toBe(true);
    }
    if (block.type === "context") {
      expect(block.elements.length).toBeGreaterThan(0);
      expect(block.elements.length).toBeLessThanOrEqual(10);
    }
    if (block.type === "actions") expect(block.elements.length).toBeLessThanOrEqual(25);
  }
}

describe("case card: Slack's limits hold for a huge case", () => {
  const card = presentCase(hugeCase(), { today: TODAY, audience: "full" });

  it("stays a valid message, shared or not", () => {
    for (const options of [{}, { shareable: true }, { sharedBy: "U123" }]) {
      expectWithinSlackLimits(caseCardMessage(card, options));
    }
  });

  it("says that more is in the registry instead of silently dropping it, and keeps the share button", () => {
    const message = caseCardMessage(card, { shareable: true });
    const texts = mrkdwnTexts(message.blocks).join("\n");
    expect(texts).toMatch(/\d+ avsnitt till finns i registret/);
    expect(message.blocks.at(-1)?.type).toBe("actions");
    expect(shareButtons(message)).toHaveLength(1);
    expect(texts).toContain("Stockholms stad, kommunstyrelsen");
  });

  it("holds when the facts are many and long", () => {
    const manyFacts: CasePresentation = {
      ...presentCase(caseDetails(), { today: TODAY, audience: "full" }),
      facts: Array.from({ length: 14 }, (_, index) => ({
        label: `Uppgift ${index}`,
        value: words(800, "lång&värde"),
      })),
    };
    expectWithinSlackLimits(caseCardMessage(manyFacts, { shareable: true }));
  });

  it("holds when the stage sentence names hundreds of referees", () => {
    const manyOpen = presentCase(
      caseDetails({
        referrals: Array.from({ length: 300 }, (_, index) =>
          openReferral(index + 1, {
            dueOn: null,
            body: body(index + 1, `Nämnden för <särskilda> & allmänna frågor nummer ${index}`),
          }),
        ),
      }),
      { today: TODAY, audience: "full" },
    );
    expect(manyOpen.stage.length).toBeGreaterThan(3000);
    expectWithinSlackLimits(caseCardMessage(manyOpen, { shareable: true }));
  });

  it("holds when a summary is nothing but characters that need escaping", () => {
    const escaped = {
      ...presentCase(caseDetails(), { today: TODAY, audience: "full" }),
      summary: "<&>".repeat(2_000),
    };
    const message = caseCardMessage(escaped);
    expectWithinSlackLimits(message);
    const summary = mrkdwnTexts(message.blocks).find((text) => text.startsWith("*Ärendet*"));
    // Cut between entities, never inside one.
    expect(summary?.replace(/&(amp|lt|gt);/g, "")).toBe("*Ärendet*\n…");
  });
});

describe("case card: registry text is escaped", () => {
  const details = caseDetails({
    title: "Ersättning <inte> höjd & utredd",
    summary: "Kostnader för konsulter <2012> & <2015>; se <https://evil.example|klicka här>",
    responsibleBody: body(1, "Social- & arbetsmarknadsnämnden"),
    officerName: "<!channel> Kim",
    referrals: [
      openReferral(2, {
        body: body(2, "Förvaltningen för <kultur> & fritid"),
        dueOn: "2017-03-31",
      }),
    ],
    timeline: [
      {
        kind: "dissent",
        body: body(3, "kommunstyrelsen"),
        occurredOn: null,
        reference: "PM 2017:95 <RVI>",
        people: [{ name: "Lotta <Edholm>", party: "L&M" }],
        text: "Avslag <@U999> & <!here>",
      },
    ],
    registry: { code: "x", name: "Diariet <Stockholm> & Co" },
  });
  const message = caseCardMessage(presentCase(details, { today: TODAY, audience: "full" }), {
    shareable: true,
  });
  const texts = mrkdwnTexts(message.blocks);
  const all = texts.join("\n");

  it("no raw <, > or & from the registry reaches a mrkdwn text", () => {
    // Slack reads <…> as links and mentions and &…; as entities: a registry text must not ping a channel.
    for (const text of texts) {
      expect(text.replace(/&(amp|lt|gt);/g, "")).not.toMatch(/[<>&]/);
    }
    expect(all).not.toContain("<!channel>");
    expect(all).not.toContain("<!here>");
    expect(all).not.toContain("<@U999>");
    expect(all).not.toContain("<https://evil.example");
  });

  it("escapes them as &lt; &gt; &amp;, so the words still read right", () => {
    expect(all).toContain("Kostnader för konsulter &lt;2012&gt; &amp; &lt;2015&gt;");
    expect(all).toContain("Social- &amp; arbetsmarknadsnämnden");
    expect(all).toContain("&lt;!channel&gt; Kim");
    expect(all).toContain(
      "Förvaltningen för &lt;kultur&gt; &amp; fritid: svar senast 31 mars 2017, försenad 3 dagar",
    );
    expect(all).toContain("Lotta &lt;Edholm&gt; (L&amp;M): Avslag &lt;@U999&gt; &amp; &lt;!here&gt;");
    expect(all).toContain("PM 2017:95 &lt;RVI&gt;");
    expect(all).toContain("Diariet &lt;Stockholm&gt; &amp; Co");
  });

  it("the plain-text header keeps the title as written", () => {
    const header = message.blocks[0];
    expect(header?.type).toBe("header");
    expect(header?.type === "header" ? header.text.text : "").toBe(
      "Dnr 108-1642/2017 · Ersättning <inte> höjd & utredd",
    );
  });

  it("a late referral is marked with a warning", () => {
    expect(all).toContain(":warning: *Förvaltningen för &lt;kultur&gt; &amp; fritid");
  });
});

describe("case card: share button", () => {
  const details = caseDetails({ id: 4711 });
  const card = presentCase(details, { today: TODAY, audience: "full" });

  it("is there only when the card is shareable", () => {
    expect(shareButtons(caseCardMessage(card, { shareable: true }))).toHaveLength(1);
    expect(shareButtons(caseCardMessage(card))).toHaveLength(0);
    expect(shareButtons(caseCardMessage(card, { shareable: false }))).toHaveLength(0);
    expect(shareButtons(caseCardMessage(card, { sharedBy: "U123" }))).toHaveLength(0);
    expect(caseCardMessage(card).blocks.some((block) => block.type === "actions")).toBe(false);
  });

  it("carries a value that parses back to the case id", () => {
    const [button] = shareButtons(caseCardMessage(card, { shareable: true }));
    expect(button?.type).toBe("button");
    const value = button?.type === "button" ? button.value : undefined;
    expect(JSON.parse(value ?? "null")).toEqual({ caseId: 4711 });
    expect(button?.type === "button" ? button.text.text : "").toBe("Dela i kanalen");
  });

  it("a shared card names who shared it", () => {
    const shared = caseCardMessage(card, { sharedBy: "U0SHARER" });
    expect(mrkdwnTexts(shared.blocks)).toContain("Delat av <@U0SHARER>");
  });

  it("the text fallback names the case and where it stands", () => {
    const message = caseCardMessage(card, { shareable: true });
    expect(message.text).toBe("Dnr 108-1642/2017 Bristerna inom socialtjänsten: Under beredning.");
  });
});
