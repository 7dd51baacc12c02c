import { describe, expect, it } from "vitest";
import { say } from "../../src/messages/sv.js";
import type { DigestErrorCode } from "../../src/modules/digests/errors.js";
import {
  DEFAULT_DIGEST_SETTINGS,
  type DigestCommand,
  parseDigestCommand,
} from "../../src/modules/digests/parse-digest-command.js";

function settingsOf(text: string) {
  const parsed = parseDigestCommand(text);
  if (parsed.type !== "subscribe") throw new Error(`expected a subscription, got ${JSON.stringify(parsed)}`);
  return parsed.settings;
}

function errorOf(text: string, code: DigestErrorCode): string {
  const parsed: DigestCommand = parseDigestCommand(text);
  if (parsed.type !== "invalid") throw new Error(`expected an error, got ${JSON.stringify(parsed)}`);
  expect(parsed.error.code).toBe(code);
  return say(parsed.error);
}

describe("subcommands", () => {
  it.each([
    ["inställningar", "settings"],
    ["installningar", "settings"],
    ["Inställningar", "settings"],
    ["avsluta", "unsubscribe"],
    ["AVSLUTA", "unsubscribe"],
    ["visa", "preview"],
    ["  visa  ", "preview"],
    ["", "help"],
    ["   ", "help"],
    ["hjälp", "help"],
    ["hjalp", "help"],
    ["help", "help"],
    ["?", "help"],
  ])("reads `%s` as %s", (text, type) => {
    expect(parseDigestCommand(text)).toEqual({ type });
  });

  it("`prenumerera` alone subscribes with the defaults: Monday 08:00, everything, a line when empty", () => {
    expect(parseDigestCommand("prenumerera")).toEqual({
      type: "subscribe",
      settings: DEFAULT_DIGEST_SETTINGS,
    });
    expect(DEFAULT_DIGEST_SETTINGS).toEqual({
      weekday: 1,
      time: "08:00",
      caseKinds: null,
      bodies: null,
      postWhenEmpty: true,
    });
  });

  it("an unknown subcommand is named, with a guess and the four that exist", () => {
    const message = errorOf("avslut", "digests.command.unknown_subcommand");
    expect(message).toContain("«avslut»");
    expect(message).toContain("Menade du `avsluta`?");
    for (const word of ["prenumerera", "inställningar", "avsluta", "visa"])
      expect(message).toContain(`/arende digest ${word}`);
  });

  it("an unknown subcommand far from any is named without a guess", () => {
    const message = errorOf("starta", "digests.command.unknown_subcommand");
    expect(message).not.toContain("Menade du");
    expect(message).toContain("`/arende digest prenumerera`");
  });

  it("suggests `inställningar` for a near miss", () => {
    expect(errorOf("instalningar", "digests.command.unknown_subcommand")).toContain(
      "Menade du `inställningar`?",
    );
  });

  it.each([
    ["inställningar nu", "inställningar", "nu"],
    ["avsluta tack", "avsluta", "tack"],
    ["visa motioner", "visa", "motioner"],
  ])("`%s`: words after a subcommand that takes none are an error", (text, name, extra) => {
    const message = errorOf(text, "digests.command.unexpected_words");
    expect(message).toContain(`«${extra}»`);
    expect(message).toContain(`Skriv bara \`/arende digest ${name}\``);
  });
});

describe("weekdays", () => {
  it.each([
    ["måndag", 1],
    ["mandag", 1],
    ["mån", 1],
    ["man", 1],
    ["Måndagar", 1],
    ["tisdag", 2],
    ["tis", 2],
    ["TISDAG", 2],
    ["onsdag", 3],
    ["ons", 3],
    ["torsdag", 4],
    ["tor", 4],
    ["tors", 4],
    ["fredag", 5],
    ["fre", 5],
    ["fre.", 5],
    ["lördag", 6],
    ["lordag", 6],
    ["lör", 6],
    ["lor", 6],
    ["söndag", 7],
    ["sondag", 7],
    ["sön", 7],
    ["son", 7],
  ])("reads `%s` as ISO weekday %i", (word, weekday) => {
    expect(settingsOf(`prenumerera ${word}`).weekday).toBe(weekday);
  });

  it("a misspelt weekday is an error that guesses the day and says what to type", () => {
    const message = errorOf("prenumerera fredg", "digests.command.invalid_weekday");
    expect(message).toContain("«fredg» är ingen veckodag");
    expect(message).toContain("Menade du fredag?");
    expect(message).toContain("`måndag` … `söndag`");
    expect(message).toContain("`/arende digest prenumerera tisdag 09:30 motioner`");
  });

  it("a word ending in -dag that is no weekday is a weekday error too", () => {
    const message = errorOf("prenumerera helgdag", "digests.command.invalid_weekday");
    expect(message).toContain("«helgdag»");
  });

  it("two different weekdays are an error; the same day twice is not", () => {
    const message = errorOf("prenumerera mån tis", "digests.command.duplicate_weekday");
    expect(message).toContain("både måndag och tisdag");
    expect(settingsOf("prenumerera tisdag tis").weekday).toBe(2);
  });
});

describe("time of day", () => {
  it.each([
    ["08:00", "08:00"],
    ["8:00", "08:00"],
    ["8.00", "08:00"],
    ["09.30", "09:30"],
    ["00:00", "00:00"],
    ["23:59", "23:59"],
    ["kl.9.30", "09:30"],
    ["kl. 9.30", "09:30"],
    ["klockan 7:15", "07:15"],
  ])("reads `%s` as %s", (text, time) => {
    expect(settingsOf(`prenumerera ${text}`).time).toBe(time);
  });

  it.each([["24:00"], ["23:60"], ["8"], ["8:5"], ["25.00"], ["123:00"], ["8:000"]])(
    "`%s` is not a time, and the error says how to write one",
    (text) => {
      const message = errorOf(`prenumerera ${text}`, "digests.command.invalid_time");
      expect(message).toContain(`«${text}» är ingen tid`);
      expect(message).toContain("TT:MM mellan 00:00 och 23:59");
      expect(message).toContain("`08:00`");
    },
  );

  it("two different times are an error", () => {
    const message = errorOf("prenumerera 08:00 9:00", "digests.command.duplicate_time");
    expect(message).toContain("både 08:00 och 09:00");
  });
});

describe("case kinds", () => {
  it.each([
    ["skrivelse", "skrivelse"],
    ["skrivelser", "skrivelse"],
    ["motion", "motion"],
    ["Motioner", "motion"],
    ["medborgarförslag", "medborgarforslag"],
    ["medborgarforslag", "medborgarforslag"],
    ["interpellation", "interpellation"],
    ["interpellationer", "interpellation"],
    ["remiss", "external_referral"],
    ["remisser", "external_referral"],
  ])("reads `%s` as %s", (word, kind) => {
    expect(settingsOf(`prenumerera ${word}`).caseKinds).toEqual([kind]);
  });

  it("collects several kinds, in a fixed order, once each, with commas and `och` between", () => {
    expect(settingsOf("prenumerera skrivelser och motioner, motion").caseKinds).toEqual([
      "motion",
      "skrivelse",
    ]);
    expect(settingsOf("prenumerera remisser,motioner").caseKinds).toEqual(["motion", "external_referral"]);
  });

  it("a misspelt kind guesses the word", () => {
    const message = errorOf("prenumerera motionr", "digests.command.unknown_word");
    expect(message).toContain("«motionr»");
    expect(message).toContain("Menade du `motioner`?");
  });
});

describe("responsible bodies", () => {
  it.each([
    ["organ:socialnamnden", ["socialnamnden"]],
    ["organ:Socialnämnden", ["Socialnämnden"]],
    ["ORGAN:socialnämnden", ["socialnämnden"]],
    ["organ=socialnämnden", ["socialnämnden"]],
    ['organ:"Bromma stadsdelsnämnd"', ["Bromma stadsdelsnämnd"]],
    ["organ:“Bromma stadsdelsnämnd”", ["Bromma stadsdelsnämnd"]],
    ["organ:”Bromma stadsdelsnämnd”", ["Bromma stadsdelsnämnd"]],
    ["organ:«Bromma stadsdelsnämnd»", ["Bromma stadsdelsnämnd"]],
    ['"organ:Bromma stadsdelsnämnd"', ["Bromma stadsdelsnämnd"]],
    ['organ: "Bromma stadsdelsnämnd"', ["Bromma stadsdelsnämnd"]],
    ["organ: socialnämnden", ["socialnämnden"]],
    ['organ:"Bromma  stadsdelsnämnd "', ["Bromma stadsdelsnämnd"]],
    ["organ:socialnämnden,bromma-stadsdelsnämnd", ["socialnämnden", "bromma-stadsdelsnämnd"]],
    ['organ:"Kultur, fritid"', ["Kultur, fritid"]],
    ['organ:socialnämnden organ:"Bromma stadsdelsnämnd"', ["socialnämnden", "Bromma stadsdelsnämnd"]],
    ["organ:socialnämnden organ:Socialnamnden", ["socialnämnden"]],
    ["organ:kultur-&amp;-fritid", ["kultur-&-fritid"]],
  ])("reads `%s`", (text, bodies) => {
    expect(settingsOf(`prenumerera ${text}`).bodies).toEqual(bodies);
  });

  it("keeps non-breaking spaces from a paste inside a name", () => {
    expect(settingsOf('prenumerera organ:"Bromma\u00a0stadsdelsnämnd"').bodies).toEqual([
      "Bromma stadsdelsnämnd",
    ]);
  });

  it("an unquoted name of several words is an error that says to quote it", () => {
    const message = errorOf("prenumerera organ:Bromma stadsdelsnämnd", "digests.command.unknown_word");
    expect(message).toContain("«stadsdelsnämnd»");
    expect(message).toContain('`organ:"Bromma stadsdelsnämnd"`');
  });

  it("`organ:` with nothing after it is an error with an example", () => {
    for (const text of ["prenumerera organ:", 'prenumerera organ:""', "prenumerera organ: organ:x"]) {
      expect(errorOf(text, "digests.command.empty_body")).toContain("`organ:socialnämnden`");
    }
  });

  it("a quote that is never closed is an error", () => {
    const message = errorOf('prenumerera organ:"Bromma stadsdelsnämnd', "digests.command.unclosed_quote");
    expect(message).toContain("avslutas aldrig");
    expect(message).toContain('`organ:"Bromma stadsdelsnämnd"`');
  });
});

describe("the empty-digest setting", () => {
  it.each([["utan-tomma"], ["Utan-tomma"], ["utantomma"], ["utan tomma"], ["tyst"]])(
    "`%s` turns the empty line off",
    (word) => {
      expect(settingsOf(`prenumerera ${word}`).postWhenEmpty).toBe(false);
    },
  );

  it.each([["med-tomma"], ["med tomma"], [""]])("`%s` keeps it on", (word) => {
    expect(settingsOf(`prenumerera ${word}`).postWhenEmpty).toBe(true);
  });

  it("asking for both is an error", () => {
    const message = errorOf("prenumerera utan-tomma med-tomma", "digests.command.conflicting_empty_setting");
    expect(message).toContain("`utan-tomma`");
    expect(message).toContain("`med-tomma`");
  });
});

describe("everything together", () => {
  it("reads a full subscription in any order, with natural filler words", () => {
    expect(
      settingsOf(
        'prenumerera remisser organ:"Bromma stadsdelsnämnd" varje Tis kl. 9.30 motioner och skrivelser utan-tomma organ:socialnamnden',
      ),
    ).toEqual({
      weekday: 2,
      time: "09:30",
      caseKinds: ["motion", "skrivelse", "external_referral"],
      bodies: ["Bromma stadsdelsnämnd", "socialnamnden"],
      postWhenEmpty: false,
    });
  });

  it("an unknown word lists what may follow `prenumerera`, with an example", () => {
    const message = errorOf("prenumerera tisdag hej", "digests.command.unknown_word");
    expect(message).toContain("Jag förstår inte «hej»");
    for (const part of [
      "`09:30`",
      "`motioner`",
      "`remisser`",
      "`organ:socialnämnden`",
      "`utan-tomma`",
      "`mån`",
    ])
      expect(message).toContain(part);
    expect(message).toContain("`/arende digest prenumerera tisdag 09:30 motioner`");
  });

  it("echoes long or formatted input short and without markup", () => {
    const message = errorOf(`prenumerera *${"x".repeat(80)}*`, "digests.command.unknown_word");
    expect(message).toContain(`«${"x".repeat(39)}…»`);
    expect(message).not.toContain("*x");
  });
});
