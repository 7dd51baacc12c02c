import { describe, expect, it } from "vitest";
import type { DigestSettings } from "../../src/modules/digests/digest-settings.js";
import { DIGEST_ERRORS } from "../../src/modules/digests/errors.js";
import {
  digestErrorMessage,
  settingsCardMessage,
  settingsSentence,
  subscribedMessage,
  subscriptionNotice,
} from "../../src/slack/blocks/digest-subscription.js";

const base: DigestSettings = {
  subscriptionId: 1,
  channelId: "C1",
  weekday: 1,
  time: "08:00",
  caseKinds: null,
  bodies: null,
  postWhenEmpty: true,
};

describe("the settings sentence", () => {
  it("reads the way a clerk would say it", () => {
    expect(settingsSentence({ ...base, caseKinds: ["skrivelse", "motion"], postWhenEmpty: false })).toBe(
      "Varje måndag kl. 08:00 i den här kanalen; motioner och skrivelser; alla organ; tomma utskick skickas inte",
    );
    expect(settingsSentence(base)).toBe(
      "Varje måndag kl. 08:00 i den här kanalen; alla ärendeslag; alla organ; en kort rad de veckor inget är försenat",
    );
  });

  it("names remisser and the bodies", () => {
    expect(
      settingsSentence({
        ...base,
        weekday: 7,
        time: "18:45",
        caseKinds: ["external_referral"],
        bodies: [
          { id: 1, code: "sn", name: "Socialnämnden" },
          { id: 2, code: "bromma", name: "Bromma stadsdelsnämnd" },
          { id: 3, code: "slk", name: "Stadsledningskontoret" },
        ],
      }),
    ).toBe(
      "Varje söndag kl. 18:45 i den här kanalen; remisser; bara Socialnämnden, Bromma stadsdelsnämnd och Stadsledningskontoret; en kort rad de veckor inget är försenat",
    );
  });
});

describe("messages", () => {
  it("escapes registry text in the card", () => {
    const card = settingsCardMessage({ ...base, bodies: [{ id: 1, code: "k", name: "Kultur & <fritid>" }] });
    expect(JSON.stringify(card.blocks)).toContain("Kultur &amp; &lt;fritid&gt;");
  });

  it("the channel notice names who did it, and when the digest comes", () => {
    expect(subscriptionNotice("subscribed", "U012ABC", base).text).toBe(
      "<@U012ABC> prenumererar nu kanalen på veckans förseningar, varje måndag kl. 08:00.",
    );
    expect(subscriptionNotice("ended", "U012ABC", base).text).toBe(
      "<@U012ABC> avslutade kanalens utskick av veckans förseningar.",
    );
    expect(subscriptionNotice("subscribed", "<!channel>", base).text).toMatch(/^Någon /);
  });

  it("confirmations carry a plain-text fallback and say how to change", () => {
    const message = subscribedMessage("subscribed", base);
    expect(message.text).toBe(
      "Klart: kanalen får nu veckans förseningar. Varje måndag kl. 08:00 i den här kanalen; alla ärendeslag; alla organ; en kort rad de veckor inget är försenat",
    );
    expect(JSON.stringify(message.blocks)).toContain("/arende digest avsluta");
  });

  it("a refusal is marked as one; a parse error as a question", () => {
    expect(JSON.stringify(digestErrorMessage({ code: DIGEST_ERRORS.notAllowed }).blocks)).toContain(
      ":no_entry: Bara registratorer och administratörer kan ändra bevakningsutskicket.",
    );
    const parse = digestErrorMessage({ code: DIGEST_ERRORS.invalidTime, params: { word: "<här>" } });
    expect(parse.text).toBe(
      "«<här>» är ingen tid jag kan läsa. Skriv tiden som TT:MM mellan 00:00 och 23:59, till exempel 08:00, 9:30 eller 9.30.",
    );
    expect(JSON.stringify(parse.blocks)).toContain(":grey_question: «&lt;här&gt;» är ingen tid");
    expect(JSON.stringify(parse.blocks)).toContain("till exempel `08:00`");
  });
});
