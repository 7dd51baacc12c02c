import { describe, expect, it } from "vitest";
import { say } from "../../src/messages/sv.js";
import {
  ACCEPTED_FORMS,
  dnrKey,
  type Identifier,
  parseIdentifier,
  seriesKey,
} from "../../src/modules/identifiers/parse-identifier.js";

function parsed(input: string): Identifier {
  const result = parseIdentifier(input);
  if (!result.ok) {
    throw new Error(`expected "${input}" to parse, got ${result.error.code}: ${say(result.error)}`);
  }
  return result.identifier;
}

describe("parseIdentifier: dnr shapes from domain.md", () => {
  it.each([
    // input, display, key, year, serial
    ["108-1642/2017", "108-1642/2017", "108-1642-2017", 2017, 1642],
    ["T2012-050-05828", "T2012-050-05828", "T-2012-50-5828", 2012, 5828],
    ["1.5.3-219-2012", "1.5.3-219-2012", "1-5-3-219-2012", 2012, 219],
    ["2011-875-1.2.4", "2011-875-1.2.4", "2011-875-1-2-4", 2011, 875],
    ["103-433-03", "103-433-03", "103-433-3", 2003, 433],
    ["KS 2025/39", "KS 2025/39", "KS-2025-39", 2025, 39],
    ["KS/2014/0073", "KS/2014/0073", "KS-2014-73", 2014, 73],
    ["Dnr 2014/304", "2014/304", "2014-304", 2014, 304],
    ["KS-2014/742.912", "KS-2014/742.912", "KS-2014-742-912", 2014, 742],
    ["2016-000003", "2016-000003", "2016-3", 2016, 3],
    ["2914-2011", "2914-2011", "2914-2011", 2011, 2914],
  ])("%s", (input, display, key, year, serial) => {
    expect(parsed(input)).toEqual({ type: "dnr", display, key, year, serial });
  });

  it("reads a two-digit year from 70 to 99 as the 1900s", () => {
    expect(parsed("103-433-98")).toMatchObject({ year: 1998, serial: 433 });
    expect(parsed("103-433-70")).toMatchObject({ year: 1970 });
    expect(parsed("103-433-69")).toMatchObject({ year: 2069 });
  });

  it("leaves year and serial null when the shape does not make them clear", () => {
    expect(parsed("433-12")).toEqual({
      type: "dnr",
      display: "433-12",
      key: "433-12",
      year: null,
      serial: null,
    });
  });

  it("accepts a letter prefix glued to a single number", () => {
    expect(parsed("T2012")).toEqual({
      type: "dnr",
      display: "T2012",
      key: "T-2012",
      year: 2012,
      serial: null,
    });
  });
});

describe("parseIdentifier: input tolerance", () => {
  const canonical = { type: "dnr", display: "108-1642/2017", key: "108-1642-2017", year: 2017, serial: 1642 };

  it.each([
    ["Dnr 108-1642/2017"],
    ["Dnr: 108-1642/2017"],
    ["Dnr.108-1642/2017"],
    ["DNR 108-1642/2017"],
    ["dnr:108-1642/2017"],
    ["Diarienr 108-1642/2017"],
    ["Diarienr: 108-1642/2017"],
    ["diarienummer 108-1642/2017"],
    ["108\u20131642/2017"], // en dash
    ["108\u20141642/2017"], // em dash
    ["108\u22121642/2017"], // minus sign
    ["108\u20101642/2017"], // hyphen
    ["108\uFF0D1642/2017"], // fullwidth hyphen-minus
    ["Dnr\u00A0108-1642/2017"], // no-break space
    ["Dnr\u202F108-1642/2017"], // narrow no-break space
    ["  \t108-1642/2017 \n"],
    ["*108-1642/2017*"],
    ["_Dnr 108-1642/2017_"],
    ["`108-1642/2017`"],
    ["*`Dnr: 108\u20131642/2017`*"],
    ["108 - 1642 / 2017"],
    ["«108-1642/2017»"],
    ["108-1642/2017."],
    ["108-16\u200B42/2017"], // zero-width space pasted from a web page
  ])("%j", (input) => {
    expect(parsed(input)).toEqual(canonical);
  });

  it("uppercases letter prefixes typed in lower or mixed case", () => {
    expect(parsed("ks 2025/39")).toEqual({
      type: "dnr",
      display: "KS 2025/39",
      key: "KS-2025-39",
      year: 2025,
      serial: 39,
    });
    expect(parsed("Ks\u00A02025/39")).toMatchObject({ display: "KS 2025/39", key: "KS-2025-39" });
    expect(parsed("t2012\u2013050\u201305828")).toMatchObject({
      display: "T2012-050-05828",
      key: "T-2012-50-5828",
    });
  });

  it("keeps a letter prefix after the Dnr label", () => {
    expect(parsed("Dnr KS 2025/39")).toMatchObject({ display: "KS 2025/39", key: "KS-2025-39" });
  });
});

describe("dnr keys compare serial numbers numerically and ignore separators", () => {
  it("gives padded and unpadded serials the same key", () => {
    expect(parsed("2016-000003").key).toBe(parsed("2016-3").key);
    expect(parsed("KS/2014/0073").key).toBe(parsed("KS/2014/73").key);
    expect(parsed("T2012-050-05828").key).toBe(parsed("T2012-50-5828").key);
  });

  it("gives different separators the same key", () => {
    const key = parsed("KS 2025/39").key;
    expect(parsed("KS/2025/39").key).toBe(key);
    expect(parsed("KS-2025/39").key).toBe(key);
    expect(parsed("ks-2025-039").key).toBe(key);
  });

  it("keeps different cases apart", () => {
    expect(parsed("2016-3").key).not.toBe(parsed("2016-30").key);
    expect(parsed("KS 2025/39").key).not.toBe(parsed("2025/39").key);
    expect(parsed("108-1642/2017").key).not.toBe(parsed("109-1642/2017").key);
  });

  it("keeps a zero serial as 0", () => {
    expect(parsed("2016-000")).toMatchObject({ key: "2016-0", serial: 0 });
  });

  it("dnrKey matches parseIdentifier and rejects what is not a dnr", () => {
    expect(dnrKey("Dnr 108\u20131642/2017")).toBe("108-1642-2017");
    expect(dnrKey("KS/2014/0073")).toBe(parsed("KS 2014/73").key);
    expect(dnrKey("Motion 2016:114")).toBeNull();
    expect(dnrKey("hello")).toBeNull();
    expect(dnrKey("")).toBeNull();
  });
});

describe("parseIdentifier: document series numbers", () => {
  it.each([
    // input, display, key, series, year, number, suffix
    ["Motion 2016:114", "Motion 2016:114", "motion 2016:114", "motion", 2016, 114, null],
    ["motion 2016:114", "Motion 2016:114", "motion 2016:114", "motion", 2016, 114, null],
    ["MOTION 2016:114", "Motion 2016:114", "motion 2016:114", "motion", 2016, 114, null],
    ["PM 2017:95", "PM 2017:95", "pm 2017:95", "pm", 2017, 95, null],
    ["PM 2017:95 RVI+VIII", "PM 2017:95 RVI+VIII", "pm 2017:95", "pm", 2017, 95, "RVI+VIII"],
    ["Utlåtande 2017:19 RI", "Utlåtande 2017:19 RI", "utlåtande 2017:19", "utlåtande", 2017, 19, "RI"],
    ["Skrivelse 2017:3", "Skrivelse 2017:3", "skrivelse 2017:3", "skrivelse", 2017, 3, null],
    [
      "Interpellation 2017:12",
      "Interpellation 2017:12",
      "interpellation 2017:12",
      "interpellation",
      2017,
      12,
      null,
    ],
    [
      "Medborgarförslag 2016:5",
      "Medborgarförslag 2016:5",
      "medborgarförslag 2016:5",
      "medborgarförslag",
      2016,
      5,
      null,
    ],
    [
      "Tjänsteutlåtande 2017:4",
      "Tjänsteutlåtande 2017:4",
      "tjänsteutlåtande 2017:4",
      "tjänsteutlåtande",
      2017,
      4,
      null,
    ],
    [
      "MEDBORGARFÖRSLAG 2016:5",
      "Medborgarförslag 2016:5",
      "medborgarförslag 2016:5",
      "medborgarförslag",
      2016,
      5,
      null,
    ],
    ["Rapport 2018:7", "Rapport 2018:7", "rapport 2018:7", "rapport", 2018, 7, null],
  ])("%s", (input, display, key, series, year, number, suffix) => {
    expect(parsed(input)).toEqual({ type: "series", display, key, series, year, number, suffix });
  });

  it("finds PM 2017:95 RVI+VIII from PM 2017:95", () => {
    expect(parsed("PM 2017:95").key).toBe(parsed("PM 2017:95 RVI+VIII").key);
    expect(seriesKey("PM 2017:95 RVI+VIII")).toBe("pm 2017:95");
    expect(seriesKey("pm 2017:95")).toBe("pm 2017:95");
  });

  it("compares series numbers numerically", () => {
    expect(parsed("Motion 2016:0114")).toMatchObject({
      display: "Motion 2016:0114",
      key: "motion 2016:114",
      number: 114,
    });
  });

  it("tolerates Slack formatting, odd spaces and an uppercase-typed suffix", () => {
    expect(parsed("*pm\u00A02017:95 rvi+viii*")).toEqual({
      type: "series",
      display: "PM 2017:95 RVI+VIII",
      key: "pm 2017:95",
      series: "pm",
      year: 2017,
      number: 95,
      suffix: "RVI+VIII",
    });
  });

  it("seriesKey rejects a dnr", () => {
    expect(seriesKey("108-1642/2017")).toBeNull();
    expect(seriesKey("hello")).toBeNull();
  });
});

/** The error as officials read it: its code and its Swedish words from the catalogue. */
function worded(result: ReturnType<typeof parseIdentifier>) {
  return result.ok ? result : { ok: false, error: { code: result.error.code, message: say(result.error) } };
}

describe("parseIdentifier: errors", () => {
  it.each([[""], ["   "], ["\u00A0\n"], ["**"], ["Dnr"], ["Dnr:"], ["`  `"]])("%j is empty", (input) => {
    expect(worded(parseIdentifier(input))).toEqual({
      ok: false,
      error: {
        code: "identifiers.empty",
        message:
          "Ange ett diarienummer eller ett dokumentnummer, till exempel Dnr 108-1642/2017 eller Motion 2016:114.",
      },
    });
  });

  it.each([
    ["hello"],
    ["vad händer"],
    ["123"],
    ["2017"],
    ["Dnr 2017"],
    ["1.5.3"],
    ["hello 2017"],
    ["vad händer 2017/3"],
    ["108--1642/2017"],
    ["-108-1642"],
    ["2017/3 ks"],
    ["Motion 2016:"],
    ["Motion 16:114"],
    ["Motion 2016:114 <!channel>"],
    ["108-1642/2017?x"],
  ])("%j is unrecognised", (input) => {
    const result = parseIdentifier(input);
    expect(result.ok).toBe(false);
    expect(result.ok ? null : result.error.code).toBe("identifiers.unrecognised");
  });

  it("quotes what was typed and names the accepted forms", () => {
    expect(worded(parseIdentifier("  *hello*  "))).toEqual({
      ok: false,
      error: {
        code: "identifiers.unrecognised",
        message:
          "«hello» ser inte ut som ett diarienummer eller dokumentnummer. Skriv till exempel Dnr 108-1642/2017, KS 2025/39, Motion 2016:114 eller PM 2017:95.",
      },
    });
  });

  it("shortens long input in the message", () => {
    const result = parseIdentifier(`${"a".repeat(100)} 1`);
    expect(result.ok).toBe(false);
    const message = result.ok ? "" : say(result.error);
    expect(message.startsWith(`«${"a".repeat(39)}…»`)).toBe(true);
    expect(message.length).toBeLessThan(200);
  });
});

describe("ACCEPTED_FORMS", () => {
  it("lists examples that all parse", () => {
    expect(ACCEPTED_FORMS).toEqual(["Dnr 108-1642/2017", "KS 2025/39", "Motion 2016:114", "PM 2017:95"]);
    for (const form of ACCEPTED_FORMS) {
      expect(parseIdentifier(form).ok).toBe(true);
    }
  });
});
