import { strFromU8, unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import type { CaseDetails } from "../../src/modules/cases/case-details.js";
import { DEFAULT_DEADLINE_RULES } from "../../src/modules/deadlines/deadline-rules.js";
import {
  type MotionReport,
  type MotionReportRow,
  selectMotionReport,
} from "../../src/modules/reports/motion-report.js";
import { renderReportCsv } from "../../src/modules/reports/render-csv.js";
import { renderReportDocx } from "../../src/modules/reports/render-docx.js";
import { renderReportMarkdown } from "../../src/modules/reports/render-markdown.js";
import { reportCells } from "../../src/modules/reports/report-columns.js";
import { caseDetails } from "../support/case-details.js";

const body = (id: number, name: string) => ({ id, code: name, name });
const KS = body(1, "kommunstyrelsen");

function motion(overrides: Partial<CaseDetails>): CaseDetails {
  return caseDetails({
    kind: "motion",
    dnr: null,
    identifiers: ["Motion 2016:114"],
    title: "Motion om en kompetensutvecklingspeng för socialsekreterare",
    publicTitle: "Motion om en kompetensutvecklingspeng för socialsekreterare",
    raisedBy: [{ name: "Isabel Smedberg Palmqvist", party: "L", title: null }],
    responsibleBody: KS,
    status: "in_progress",
    ...overrides,
  });
}

const referral = (id: number, name: string, state: "open" | "answered" | "declined" | "withdrawn") => ({
  id,
  body: body(10 + id, name),
  sentOn: null,
  dueOn: null,
  dueStatement: null,
  state,
  answeredOn: null,
  responses: [],
});

const select = (cases: CaseDetails[], per: string, reader: "channel" | "everything" = "everything") =>
  selectMotionReport(cases, { per, rules: DEFAULT_DEADLINE_RULES, reader });

describe("which motions the report to the council lists (KL 5 kap. 35 §)", () => {
  it("lists a motion not decided a year after it was raised, with the days past the year", () => {
    const report = select([motion({ id: 1, raisedOn: "2016-03-01" })], "2017-04-03");
    expect(report.overdue).toHaveLength(1);
    // The year ends 2017-03-01 (a Wednesday): 33 days before 3 April.
    expect(report.overdue[0]).toMatchObject({
      number: "Motion 2016:114",
      yearEndsOn: "2017-03-01",
      daysPastYear: 33,
    });
  });

  it("does not list a motion still within its year, nor on its last day", () => {
    expect(select([motion({ raisedOn: "2016-06-01" })], "2017-04-03").overdue).toEqual([]);
    expect(select([motion({ raisedOn: "2016-04-03" })], "2017-04-03").overdue).toEqual([]);
  });

  it("moves a year ending on a weekend to the next weekday (lag 1930:173) before counting", () => {
    // 2016-04-02 + one year is Sunday 2 April 2017; the period ends Monday 3 April.
    expect(select([motion({ raisedOn: "2016-04-02" })], "2017-04-03").overdue).toEqual([]);
    expect(select([motion({ raisedOn: "2016-04-02" })], "2017-04-04").overdue[0]?.daysPastYear).toBe(1);
  });

  it("leaves out decided motions, but lists one decided only after the report's day", () => {
    const decided = motion({ raisedOn: "2015-01-10", status: "closed", closedOn: "2017-02-01" });
    expect(select([decided], "2017-04-03").overdue).toEqual([]);
    expect(select([decided], "2016-06-01").overdue).toHaveLength(1);
  });

  it("lists medborgarförslag too, and never a skrivelse or an interpellation", () => {
    const report = select(
      [
        motion({ id: 1, kind: "medborgarforslag", raisedOn: "2015-01-10" }),
        motion({ id: 2, kind: "skrivelse", raisedOn: "2015-01-10" }),
        motion({ id: 3, kind: "interpellation", raisedOn: "2015-01-10" }),
      ],
      "2017-04-03",
    );
    expect(report.overdue.map((row) => [row.caseId, row.kind])).toEqual([[1, "Medborgarförslag"]]);
  });

  it("puts a motion whose raised date is unknown apart, never guessing whether it is late", () => {
    const report = select([motion({ raisedOn: null })], "2017-04-03");
    expect(report.overdue).toEqual([]);
    expect(report.unknownRaisedOn).toMatchObject([{ number: "Motion 2016:114", daysPastYear: null }]);
  });

  it("counts remisser answered (or declined) and outstanding; a withdrawn one is neither", () => {
    const [row] = select(
      [
        motion({
          raisedOn: "2015-01-10",
          referrals: [
            referral(1, "socialnämnden", "answered"),
            referral(2, "Bromma stadsdelsnämnd", "open"),
            referral(3, "stadsledningskontoret", "open"),
            referral(4, "Akademikerförbundet SSR", "declined"),
            referral(5, "Kungsholmens stadsdelsnämnd", "withdrawn"),
          ],
        }),
      ],
      "2017-04-03",
    ).overdue;
    expect(row).toMatchObject({ referralsAnswered: 2, referralsOutstanding: 2 });
    expect(row?.stage).toMatch(/^Remitterad till Bromma stadsdelsnämnd och stadsledningskontoret/);
  });

  it("sorts the most days past the year first", () => {
    const report = select(
      [
        motion({ id: 1, raisedOn: "2016-01-10" }),
        motion({ id: 2, raisedOn: "2015-01-10", identifiers: ["Motion 2015:3"] }),
      ],
      "2017-04-03",
    );
    expect(report.overdue.map((row) => row.caseId)).toEqual([2, 1]);
  });

  it("shows a restricted motion in a channel by its public title, without author, party or stage details", () => {
    const secret = motion({
      raisedOn: "2015-01-10",
      restricted: true,
      title: "Motion om skyddat boende på Hemliga gatan",
      publicTitle: "Sekretess",
      referrals: [referral(1, "socialnämnden", "open")],
    });
    const [inChannel] = select([secret], "2017-04-03", "channel").overdue;
    expect(inChannel).toMatchObject({
      title: "Sekretess",
      authors: null,
      parties: null,
      stage: "Under beredning.",
    });
    expect(JSON.stringify(inChannel)).not.toMatch(/Hemliga|Smedberg|socialnämnden/);
    const [full] = select([secret], "2017-04-03", "everything").overdue;
    expect(full).toMatchObject({ title: "Motion om skyddat boende på Hemliga gatan", parties: "L" });
    // Every format's cells: where it stands and which bodies were asked are withheld too.
    const cells = reportCells(inChannel as MotionReportRow, { days: "iso" });
    expect(cells.slice(3, 10)).toEqual([
      "Sekretess",
      "Sekretess",
      "2015-01-10",
      "Sekretess",
      "Sekretess",
      "Sekretess",
      "Sekretess",
    ]);
    expect(reportCells(full as MotionReportRow, { days: "iso" })[8]).toBe("0");
  });
});

function sampleReport(): MotionReport {
  return select(
    [
      motion({
        id: 1,
        dnr: "KS 2015/12",
        identifiers: [],
        raisedOn: "2015-01-10",
        title: 'Motion om "gröna tak"; ett förslag',
        raisedBy: [
          { name: "Åsa Öberg", party: "MP", title: null },
          { name: "Lars Ek", party: "V", title: null },
        ],
        referrals: [referral(1, "socialnämnden", "answered"), referral(2, "stadsledningskontoret", "open")],
      }),
      motion({ id: 2, raisedOn: null, title: '=HYPERLINK("x")', publicTitle: '=HYPERLINK("x")' }),
    ],
    "2017-04-03",
    "channel",
  );
}

describe("the report as CSV for Swedish Excel", () => {
  it("is UTF-8 with a BOM, semicolon separated, CRLF, quoting what needs it", () => {
    const bytes = renderReportCsv(sampleReport());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    const lines = text.split("\r\n");
    expect(lines.at(-1)).toBe("");
    expect(text.replace(/\r\n/g, "")).not.toMatch(/\n/);
    expect(lines[0]).toBe(
      "Nummer;Slag;Rubrik;Väckt av;Parti;Väckt;Ansvarigt organ;Läge;Remisser besvarade;Remisser utestående;Dagar över ettårsgränsen;Ettårsgräns",
    );
    expect(lines[1]).toBe(
      'Dnr KS 2015/12;Motion;"Motion om ""gröna tak""; ett förslag";Åsa Öberg, Lars Ek;MP, V;2015-01-10;kommunstyrelsen;' +
        "Remitterad till stadsledningskontoret, inget svarsdatum angivet. 1 av 2 remissinstanser har svarat.;1;1;448;2016-01-11",
    );
    // A title Excel would run as a formula stays text; an unknown date says so.
    expect(lines[2]).toContain(';"\'=HYPERLINK(""x"")";');
    expect(lines[2]).toMatch(/;okänt;kommunstyrelsen;.*;okänt;okänd \(datum för väckande saknas\)$/);
  });
});

describe("the report as a Word document", () => {
  it("is a .docx whose document.xml holds the title, the law and every row", async () => {
    const bytes = await renderReportDocx(sampleReport());
    const files = unzipSync(bytes);
    const xml = strFromU8(files["word/document.xml"] as Uint8Array);
    const text = xml.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
    expect(text).toContain("Motioner och medborgarförslag som inte beslutats inom ett år, per 3 april 2017");
    expect(text).toContain("5 kap. 35 §");
    expect(text).toContain("Dnr KS 2015/12");
    expect(text).toContain("Motion om &quot;gröna tak&quot;; ett förslag");
    expect(text).toContain("Åsa Öberg, Lars Ek");
    expect(text).toContain("10 januari 2015");
    expect(text).toContain("448");
    expect(text).toContain("Ej beslutade, datum för väckande saknas i diariet");
    expect(xml).toContain('w:orient="landscape"');
  });
});

describe("the report as Markdown", () => {
  it("has a table of the late motions and, apart, those of unknown date", () => {
    const markdown = renderReportMarkdown(sampleReport());
    expect(markdown).toMatch(
      /^# Motioner och medborgarförslag som inte beslutats inom ett år, per 3 april 2017\n/,
    );
    expect(markdown).toContain(
      '| Dnr KS 2015/12 | Motion | Motion om "gröna tak"; ett förslag | Åsa Öberg, Lars Ek | MP, V | 10 januari 2015 |',
    );
    expect(markdown).toContain("## Ej beslutade, datum för väckande saknas i diariet");
  });
});
