import { describe, expect, it } from "vitest";
import { syncSummaryMessage } from "../../src/slack/blocks/sync-summary.js";

const shown = (message: { text: string; blocks: unknown[] }) =>
  `${message.text}\n${JSON.stringify(message.blocks)}`;

describe("a sync's summary in the channel", () => {
  it("counts what came in, in Swedish", () => {
    const message = syncSummaryMessage({
      sourceName: "arenden.csv",
      rows: 16,
      created: 1,
      updated: 12,
      unchanged: 3,
      rejected: 0,
      firstRejections: [],
    });
    expect(message.text).toBe(
      "Synk från diariet (`arenden.csv`): 1 nytt ärende, 12 ändrade, 0 avvisade rader.",
    );
    expect(message.blocks).toHaveLength(1);
  });

  it("lists the first rejected rows by line, without the values they quote", () => {
    const message = syncSummaryMessage({
      sourceName: "arenden.csv",
      rows: 40,
      created: 0,
      updated: 0,
      unchanged: 33,
      rejected: 7,
      firstRejections: [
        { line: 14, reason: "raised_on: Ogiltigt datum «2017-02-30»: skriv ÅÅÅÅ-MM-DD, t.ex. 2017-03-31" },
        {
          line: 20,
          reason: "public_title: Fältet saknas för ett sekretessärende med titeln «Hemlig utredning om X»",
        },
      ],
    });
    const text = shown(message);
    expect(text).toContain("7 avvisade rader");
    expect(text).toContain("• rad 14: raised_on: Ogiltigt datum «…»: skriv ÅÅÅÅ-MM-DD, t.ex. 2017-03-31");
    expect(text).toContain("• rad 20: public_title:");
    expect(text).not.toContain("Hemlig utredning");
    expect(text).toContain("… och 5 till");
  });

  it("says an export could not be read, with the reason", () => {
    const message = syncSummaryMessage({
      sourceName: "trasig.json",
      rows: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      firstRejections: [],
      unreadable: "trasig.json: ogiltig JSON på rad 1 (invalid JSON)",
    });
    expect(shown(message)).toContain("exporten `trasig.json` kunde inte läsas, inget importerades");
    expect(shown(message)).toContain("ogiltig JSON på rad 1");
  });
});
