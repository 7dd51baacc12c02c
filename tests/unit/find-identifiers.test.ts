import { describe, expect, it } from "vitest";
import {
  findIdentifiersInText,
  findIdentifiersInUrl,
} from "../../src/modules/identifiers/find-identifiers.js";

const displays = (found: { display: string }[]) => found.map((identifier) => identifier.display);

describe("findIdentifiersInText: the case numbers a message names", () => {
  it("finds a labelled dnr and a document series number in one sentence, in order", () => {
    const text = "Hur går det med Dnr 108-1642/2017? Och motion 2016:114 från L?";
    expect(displays(findIdentifiersInText(text))).toEqual(["108-1642/2017", "Motion 2016:114"]);
  });

  it("finds several dnr shapes without labels", () => {
    const text = "Se KS 2025/39, T2012-050-05828 och 103-433-03 samt KS/2014/0073.";
    expect(findIdentifiersInText(text).map((identifier) => identifier.key)).toEqual([
      "KS-2025-39",
      "T-2012-50-5828",
      "103-433-3",
      "KS-2014-73",
    ]);
  });

  it("names each case once, however often it is written", () => {
    const text = "Dnr 108-1642/2017 … alltså 108–1642/2017 (samma)";
    expect(displays(findIdentifiersInText(text))).toEqual(["108-1642/2017"]);
  });

  it("finds nothing in a message without case numbers: dates, sums, times and phone numbers are not dnr", () => {
    const text =
      "Mötet 2017-03-31 kl. 08:00, 10 000 kr per år, ring 08-508 290 00, I 2017/18 års budget, 26/10";
    expect(findIdentifiersInText(text)).toEqual([]);
  });

  it("takes a date-shaped number when it is labelled as a dnr", () => {
    expect(displays(findIdentifiersInText("Diarienr: 2016-000003"))).toEqual(["2016-000003"]);
  });

  it("reads the links in a message as Slack sends them", () => {
    const text = "Läs <https://diarium.example.se/case?dnr=KS%202017%2F0123|ärendet> i diariet";
    expect(displays(findIdentifiersInText(text))).toEqual(["KS 2017/0123"]);
  });
});

describe("findIdentifiersInUrl: the case number in an e-diarium's link", () => {
  it("reads a URL-encoded dnr in the path", () => {
    expect(displays(findIdentifiersInUrl("https://opengov.example.se/p360/case/108-1642%2F2017"))).toEqual([
      "108-1642/2017",
    ]);
  });

  it("reads a dnr in a query string, encoded with %20 or +", () => {
    expect(displays(findIdentifiersInUrl("https://ciceron.example.se/visa?dnr=KS%202017%2F0123"))).toEqual([
      "KS 2017/0123",
    ]);
    expect(displays(findIdentifiersInUrl("https://x.example.se/sok?arende=KS+2017%2F0123&lang=sv"))).toEqual([
      "KS 2017/0123",
    ]);
  });

  it("reads a dnr whose slashes are left unencoded in the path", () => {
    expect(
      displays(findIdentifiersInUrl("https://platina.example.se/webbdiarium/arende/108-1642/2017")),
    ).toEqual(["108-1642/2017"]);
  });

  it("finds nothing in a link without a case number, and nothing in what is not a link", () => {
    expect(findIdentifiersInUrl("https://opengov.example.se/p360/start?lang=sv")).toEqual([]);
    expect(findIdentifiersInUrl("inte en länk 108-1642/2017")).toEqual([]);
  });

  it("survives a broken percent escape", () => {
    expect(displays(findIdentifiersInUrl("https://x.example.se/a%ZZ/KS%202025%2F39"))).toEqual([
      "KS 2025/39",
    ]);
  });
});
