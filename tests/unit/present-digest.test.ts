import { describe, expect, it } from "vitest";
import { renderDigestText } from "../../src/cli/render-digest-text.js";
import {
  assembleDigest,
  compareItems,
  overdueKindOf,
  trendDays,
} from "../../src/modules/digests/build-digest.js";
import type { Digest, DigestItem } from "../../src/modules/digests/digest.js";
import type { OverdueRow } from "../../src/modules/digests/digest.repository.js";
import {
  basisLabel,
  headline,
  itemLine,
  itemStatus,
  missingText,
  officerMention,
  presentDigest,
  presentDigestItem,
  sparkline,
} from "../../src/modules/digests/present-digest.js";

const TODAY = "2017-04-03";

function item(overrides: Partial<DigestItem> = {}): DigestItem {
  return {
    caseId: 1,
    label: "Dnr 108-1642/2017",
    publicTitle: "Bristerna inom socialtjänsten",
    overdueKind: "skrivelse_policy",
    dueOn: "2017-03-22",
    overdueDays: 12,
    missing: [],
    officerName: null,
    officerSlackUserId: null,
    ...overrides,
  };
}

function digest(overrides: Partial<Digest> = {}): Digest {
  return {
    today: TODAY,
    total: 1,
    changeSinceLastWeek: 0,
    trend: [0, 0, 0, 0, 0, 0, 1, 1],
    groups: [{ body: { id: 7, name: "kommunstyrelsen" }, items: [item()] }],
    ...overrides,
  };
}

function row(overrides: Partial<OverdueRow> = {}): OverdueRow {
  return {
    deadlineKind: "policy",
    dueOn: "2017-03-22",
    caseId: 1,
    caseKind: "skrivelse",
    dnr: "108-1642/2017",
    firstIdentifier: null,
    publicTitle: "Bristerna inom socialtjänsten",
    restricted: false,
    officerName: null,
    officerSlackUserId: null,
    responsibleBodyId: 7,
    responsibleBodyName: "kommunstyrelsen",
    missing: [],
    ...overrides,
  };
}

describe("the header", () => {
  it("counts what is overdue and says how it changed since last week", () => {
    expect(headline({ total: 12, changeSinceLastWeek: 3 })).toBe(
      "12 försenade ärenden, 3 fler än förra veckan",
    );
    expect(headline({ total: 12, changeSinceLastWeek: -2 })).toBe(
      "12 försenade ärenden, 2 färre än förra veckan",
    );
    expect(headline({ total: 12, changeSinceLastWeek: 0 })).toBe(
      "12 försenade ärenden, lika många som förra veckan",
    );
    expect(headline({ total: 1, changeSinceLastWeek: 1 })).toBe("1 försenat ärende, 1 fler än förra veckan");
  });

  it("draws the eight weeks as a sparkline from the lowest week to the highest", () => {
    expect(sparkline([0, 0, 0, 0, 0, 0, 0, 0])).toBe("▁▁▁▁▁▁▁▁");
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe("▁▂▃▄▅▆▇█");
    expect(sparkline([7, 6, 5, 4, 3, 2, 1, 0])).toBe("█▇▆▅▄▃▂▁");
    expect(sparkline([5, 5, 5, 5, 5, 5, 5, 5])).toBe("▄▄▄▄▄▄▄▄");
    // A rise from 480 to 500 shows as a rise, not as eight full bars.
    expect(sparkline([480, 480, 485, 490, 490, 495, 500, 500])).toBe("▁▁▃▅▅▆██");
  });

  it("dates the digest and names the trend's ends", () => {
    const view = presentDigest(digest({ trend: [4, 5, 6, 7, 8, 9, 9, 12] }));
    expect(view.asOf).toBe("Läget den 3 april 2017");
    expect(view.trendLine).toBe("Senaste 8 veckorna: ▁▂▃▄▅▅▅█ (från 4 till 12)");
    expect(view.emptyLine).toBe("Inga försenade ärenden den 3 april 2017.");
  });
});

describe("an item", () => {
  it("reads as identifier, public title, days overdue and the basis", () => {
    expect(itemLine(presentDigestItem(item()))).toBe(
      "Dnr 108-1642/2017 Bristerna inom socialtjänsten: försenad 12 dagar (lokal policy, 3 månader)",
    );
    expect(itemStatus(item({ overdueKind: "motion_statutory", overdueDays: 1 }))).toBe(
      "försenad 1 dag (lagstadgat mål, ett år)",
    );
    expect(itemStatus(item({ overdueKind: "referral_due", dueOn: "2017-03-31", overdueDays: 3 }))).toBe(
      "försenad 3 dagar (remissens svarsdatum 31 mars 2017)",
    );
  });

  it("names the basis as law or local policy, with the installation's periods", () => {
    expect(basisLabel("motion_statutory")).toBe("lagstadgat mål, ett år");
    expect(basisLabel("skrivelse_policy")).toBe("lokal policy, 3 månader");
    expect(basisLabel("referral_due")).toBe("remissens svarsdatum");
    expect(basisLabel("skrivelse_policy", { motionMonths: 12, skrivelseMonths: 1 })).toBe(
      "lokal policy, 1 månad",
    );
    expect(basisLabel("motion_statutory", { motionMonths: 18, skrivelseMonths: 6 })).toBe(
      "lagstadgat mål, 18 månader",
    );
  });

  it("says whose answers are missing, counting beyond ten bodies", () => {
    expect(missingText([])).toBeNull();
    expect(missingText(["socialnämnden"])).toBe("Svar saknas från socialnämnden");
    expect(missingText(["Bromma stadsdelsnämnd", "socialnämnden"])).toBe(
      "Svar saknas från Bromma stadsdelsnämnd och socialnämnden",
    );
    const many = Array.from({ length: 12 }, (_, index) => `nämnd ${index + 1}`);
    expect(missingText(many)).toBe(
      "Svar saknas från nämnd 1, nämnd 2, nämnd 3, nämnd 4, nämnd 5, nämnd 6, nämnd 7, nämnd 8, nämnd 9, nämnd 10 och 2 till",
    );
    // Long names: as many as fit in about 600 characters, the rest counted.
    const long = Array.from({ length: 5 }, (_, index) => `${"x".repeat(250)} ${index + 1}`);
    expect(missingText(long)).toMatch(/ 2 och 3 till$/);
  });

  it("mentions the officer in Slack when the Slack user is known, otherwise names them", () => {
    expect(presentDigestItem(item({ officerName: "Anna", officerSlackUserId: "U0ANNA" })).officer).toEqual({
      mention: "<@U0ANNA>",
      name: "Anna",
    });
    expect(presentDigestItem(item({ officerName: "Anna" })).officer).toEqual({ mention: null, name: "Anna" });
    expect(presentDigestItem(item()).officer).toBeNull();
    // A malformed id from the registry never becomes markup.
    expect(officerMention("U1> <!channel")).toBeNull();
    expect(officerMention("W0ENTERPRISE")).toBe("<@W0ENTERPRISE>");
  });

  it("heads a group with its body, capitalised, or says it has none", () => {
    const view = presentDigest(
      digest({
        groups: [
          { body: { id: 7, name: "kommunstyrelsen" }, items: [item()] },
          { body: null, items: [item()] },
        ],
      }),
    );
    expect(view.groups.map((group) => [group.bodyId, group.name])).toEqual([
      [7, "Kommunstyrelsen"],
      [null, "Utan ansvarigt organ"],
    ]);
  });
});

describe("assembleDigest", () => {
  it("maps deadline kinds to what they are late against and leaves others out", () => {
    expect(overdueKindOf({ deadlineKind: "policy", caseKind: "skrivelse" })).toBe("skrivelse_policy");
    expect(overdueKindOf({ deadlineKind: "statutory", caseKind: "motion" })).toBe("motion_statutory");
    expect(overdueKindOf({ deadlineKind: "statutory", caseKind: "medborgarforslag" })).toBe(
      "motion_statutory",
    );
    expect(overdueKindOf({ deadlineKind: "referral_due", caseKind: "interpellation" })).toBe("referral_due");
    expect(overdueKindOf({ deadlineKind: "policy", caseKind: "motion" })).toBeNull();
    expect(overdueKindOf({ deadlineKind: "custom", caseKind: "skrivelse" })).toBeNull();
  });

  it("counts the trend weeks back from today, oldest first", () => {
    expect(trendDays(TODAY)).toEqual([
      "2017-02-13",
      "2017-02-20",
      "2017-02-27",
      "2017-03-06",
      "2017-03-13",
      "2017-03-20",
      "2017-03-27",
      "2017-04-03",
    ]);
  });

  it("groups by body, most overdue first, the group without a body last, and counts the change", () => {
    const result = assembleDigest({
      today: TODAY,
      trend: [1, 2, 3, 4, 5, 6, 7, 10],
      rows: [
        row({ caseId: 1, dnr: "KS 2017/2", dueOn: "2017-03-30" }),
        row({ caseId: 2, dnr: "KS 2017/10", dueOn: "2017-03-01" }),
        row({ caseId: 3, dnr: "KS 2017/3", dueOn: "2017-03-01" }),
        row({
          caseId: 4,
          dnr: "X 1",
          dueOn: "2015-01-01",
          responsibleBodyId: null,
          responsibleBodyName: null,
        }),
        row({
          caseId: 5,
          dnr: "SN 1",
          dueOn: "2017-02-01",
          responsibleBodyId: 9,
          responsibleBodyName: "socialnämnden",
        }),
        row({
          caseId: 6,
          dnr: null,
          firstIdentifier: "Motion 2016:114",
          deadlineKind: "statutory",
          caseKind: "motion",
        }),
        row({ caseId: 7, dnr: "KS 2017/99", dueOn: TODAY }),
        row({ caseId: 8, dnr: "KS 2017/98", deadlineKind: "custom" }),
      ],
    });
    expect(result.total).toBe(6);
    expect(result.changeSinceLastWeek).toBe(3);
    expect(result.trend).toEqual([1, 2, 3, 4, 5, 6, 7, 10]);
    expect(
      result.groups.map((group) => [group.body?.name ?? null, group.items.map((entry) => entry.label)]),
    ).toEqual([
      ["socialnämnden", ["Dnr SN 1"]],
      ["kommunstyrelsen", ["Dnr KS 2017/10", "Dnr KS 2017/3", "Motion 2016:114", "Dnr KS 2017/2"]],
      [null, ["Dnr X 1"]],
    ]);
  });

  it("shows a restricted case with public data only", () => {
    const result = assembleDigest({
      today: TODAY,
      trend: [],
      rows: [
        row({
          restricted: true,
          publicTitle: "Sekretess",
          officerName: "Cecilia Carlsson",
          officerSlackUserId: "U0CECILIA",
          missing: ["Bromma stadsdelsnämnd"],
        }),
      ],
    });
    expect(result.groups[0]?.items).toEqual([
      item({
        publicTitle: "Sekretess",
        dueOn: "2017-03-22",
        overdueDays: 12,
        missing: [],
        officerName: null,
      }),
    ]);
    expect(result.trend).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it("sorts the missing bodies the Swedish way and once each", () => {
    const result = assembleDigest({
      today: TODAY,
      trend: [],
      rows: [
        row({
          missing: ["Östermalms stadsdelsnämnd", "socialnämnden", "Bromma stadsdelsnämnd", "socialnämnden"],
        }),
      ],
    });
    expect(result.groups[0]?.items[0]?.missing).toEqual([
      "Bromma stadsdelsnämnd",
      "socialnämnden",
      "Östermalms stadsdelsnämnd",
    ]);
  });

  it("orders equally late items by case, then the case's own deadline before its remiss", () => {
    const sorted = [
      item({ caseId: 9, overdueKind: "referral_due" }),
      item({ caseId: 9, overdueKind: "skrivelse_policy" }),
      item({ caseId: 3 }),
      item({ caseId: 12, overdueDays: 40 }),
    ].sort(compareItems);
    expect(sorted.map((entry) => `${entry.caseId} ${entry.overdueKind}`)).toEqual([
      "12 skrivelse_policy",
      "3 skrivelse_policy",
      "9 skrivelse_policy",
      "9 referral_due",
    ]);
  });
});

describe("renderDigestText", () => {
  it("prints the same digest as plain text, unescaped, with the officer by name", () => {
    const text = renderDigestText(
      digest({
        total: 2,
        changeSinceLastWeek: 1,
        groups: [
          {
            body: { id: 7, name: "kommunstyrelsen" },
            items: [
              item({
                publicTitle: "Bygg & <trafik>",
                missing: ["Bromma stadsdelsnämnd", "socialnämnden"],
                officerName: "Anna Andersson",
                officerSlackUserId: "U0ANNA",
              }),
              item({
                label: "Motion 2016:114",
                overdueKind: "referral_due",
                dueOn: "2017-03-31",
                overdueDays: 3,
                officerSlackUserId: "U0BERTIL",
              }),
            ],
          },
        ],
      }),
      { late: true },
    );
    expect(text).toBe(
      [
        "2 försenade ärenden, 1 fler än förra veckan",
        "===========================================",
        "Läget den 3 april 2017",
        "Senaste 8 veckorna: ▁▁▁▁▁▁██ (från 0 till 1)",
        "Sent utskick: boten var nere vid schemalagd tid.",
        "",
        "Kommunstyrelsen (2)",
        "  ! Dnr 108-1642/2017 Bygg & <trafik>: försenad 12 dagar (lokal policy, 3 månader)",
        "      Svar saknas från Bromma stadsdelsnämnd och socialnämnden",
        "      Handläggare: Anna Andersson",
        "  ! Motion 2016:114 Bristerna inom socialtjänsten: försenad 3 dagar (remissens svarsdatum 31 mars 2017)",
        "      Handläggare: @U0BERTIL",
      ].join("\n"),
    );
  });

  it("prints one line when nothing is overdue", () => {
    expect(renderDigestText(digest({ total: 0, groups: [] }))).toBe(
      "Inga försenade ärenden den 3 april 2017.",
    );
  });
});
