import { describe, expect, it } from "vitest";
import { syncSummaryMessage } from "../../src/slack/blocks/sync-summary.js";

const shown = (message: { text: string; blocks: unknown[] }) =>
  `${message.text}\n${JSON.stringify(message.blocks)}`;

describe("a sync's summary in the channel", () => {
  it("says when a sync was taken over and its counts cover both holders", () => {
    const message = syncSummaryMessage({
      sourceName: "arenden.csv",
      rows: 20_000,
      created: 20_000,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      firstRejections: [],
      resumed: true,
    });
    expect(message.text).toBe(
      "Synk från diariet (`arenden.csv`): 20000 nya ärenden, 0 ändrade, 0 avvisade rader. Synken avbröts och togs upp igen; siffrorna gäller hela synken.",
    );
  });

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

  it("lists the first rejected rows by line and field, never the words of their reasons", () => {
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
          reason: "public_title: Fältet saknas för ett sekretessärende med titeln «om »Anna Svensson« i »",
        },
        { line: 21, reason: "Raden har 3 fält men rubrikraden har 4 (the row has 3 fields, the header 4)" },
      ],
    });
    const text = shown(message);
    expect(text).toContain("7 avvisade rader");
    expect(text).toContain("• rad 14: fel i `raised_on`");
    expect(text).toContain("• rad 20: fel i `public_title`");
    expect(text).toContain("• rad 21: raden kunde inte läsas");
    expect(text).not.toContain("Anna Svensson");
    expect(text).not.toContain("2017-02-30");
    expect(text).toContain("… och 4 till.");
    expect(text).toContain(
      "kör `arendebot import arenden.csv` (med `--mapping` och synkens mappningsfil för CSV) för att se varför",
    );
  });

  it("says an export could not be read, and where to see why, without the reason's own words", () => {
    const message = syncSummaryMessage({
      sourceName: "trasig.json",
      rows: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      firstRejections: [],
      unreadable: 'trasig.csv: rubrikraden har "KS 2025/3", "Ansökan om LSS för Anna Svensson"',
    });
    expect(shown(message)).toContain("exporten `trasig.json` kunde inte läsas, inget importerades");
    expect(shown(message)).toContain("kör `arendebot import trasig.json`");
    expect(shown(message)).not.toContain("Anna Svensson");
  });
});
