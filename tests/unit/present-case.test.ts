import { describe, expect, it } from "vitest";
import type { Person } from "../../src/db/schema.js";
import type {
  BodyRef,
  CaseDetails,
  ReferralDetails,
  ResponseDetails,
  TimelineDetails,
} from "../../src/modules/cases/case-details.js";
import {
  describeStage,
  formatPeople,
  formatSwedishDate,
  overdueDays,
  presentCase,
  RESTRICTED_NOTICE,
} from "../../src/modules/cases/present-case.js";
import { caseDetails } from "../support/case-details.js";

let nextId = 1;
const body = (name: string): BodyRef => ({ id: nextId++, code: name.toLowerCase(), name });

const kommunstyrelsen = body("kommunstyrelsen");
const socialnamnden = body("socialnämnden");
const bromma = body("Bromma stadsdelsnämnd");
const hagersten = body("Hägersten-Liljeholmens stadsdelsnämnd");
const slk = body("stadsledningskontoret");
const borgarradsberedningen = body("borgarrådsberedningen");

function referral(to: BodyRef, overrides: Partial<ReferralDetails> = {}): ReferralDetails {
  return {
    id: nextId++,
    body: to,
    sentOn: null,
    dueOn: null,
    dueStatement: null,
    state: "open",
    answeredOn: null,
    responses: [],
    ...overrides,
  };
}

function response(overrides: Partial<ResponseDetails> = {}): ResponseDetails {
  return {
    id: nextId++,
    kind: "answer",
    documentTitle: "Tjänsteutlåtande",
    summary: "Stadsledningskontoret föreslår att skrivelsen anses besvarad.",
    link: null,
    answeredOn: "2017-01-13",
    approvalState: "approved",
    decidedBySlackUserId: null,
    decidedByName: null,
    decidedAt: null,
    ...overrides,
  };
}

function entry(kind: TimelineDetails["kind"], overrides: Partial<TimelineDetails> = {}): TimelineDetails {
  return { kind, body: null, occurredOn: null, reference: null, people: [], text: "", ...overrides };
}

/** The motion of the seed document: referred to socialnämnden, due 31 March 2017. */
function motionReferredTo(...referrals: ReferralDetails[]): CaseDetails {
  return caseDetails({
    dnr: null,
    kind: "motion",
    title: "Motion om en kompetensutvecklingspeng för socialsekreterare",
    publicTitle: "Motion om en kompetensutvecklingspeng för socialsekreterare",
    identifiers: ["Motion 2016:114"],
    raisedBy: [{ name: "Isabel Smedberg Palmqvist", party: "L" }],
    status: "in_progress",
    referrals,
  });
}

const everything = (value: unknown) => JSON.stringify(value);

describe("stage, in Swedish", () => {
  it("a closed skrivelse deemed answered: 'Besvarad i kommunstyrelsen.'", () => {
    const details = caseDetails({
      status: "closed",
      outcome: "Skrivelsen anses besvarad",
      timeline: [
        entry("proposal", { body: borgarradsberedningen, text: "Skrivelsen anses besvarad." }),
        entry("decision", { body: kommunstyrelsen, text: "Skrivelsen anses besvarad." }),
      ],
    });
    expect(describeStage(details, "2017-06-01")).toBe("Besvarad i kommunstyrelsen.");
    expect(presentCase(details, { today: "2017-06-01", audience: "full" }).stage).toBe(
      "Besvarad i kommunstyrelsen.",
    );
  });

  it("a closed case names the day it was closed only when the registry gives it", () => {
    const decided = [entry("decision", { body: kommunstyrelsen, text: "Beslut enligt förslaget." })];
    const withDay = caseDetails({
      status: "closed",
      outcome: "Skrivelsen anses besvarad",
      closedOn: "2017-05-17",
      timeline: decided,
    });
    expect(describeStage(withDay, "2017-06-01")).toBe("Besvarad i kommunstyrelsen den 17 maj 2017.");

    const otherOutcome = caseDetails({ status: "ad_acta", outcome: "Avskrivs", timeline: decided });
    expect(describeStage(otherOutcome, "2017-06-01")).toBe("Avskrivet i kommunstyrelsen: Avskrivs.");
  });

  it("one open referral with a due date: 'Remitterad till socialnämnden, svar senast 31 mars 2017.'", () => {
    const details = motionReferredTo(referral(socialnamnden, { dueOn: "2017-03-31" }));
    expect(describeStage(details, "2017-03-01")).toBe(
      "Remitterad till socialnämnden, svar senast 31 mars 2017.",
    );
  });

  it("several open referrals are listed, with the earliest known due date", () => {
    const details = motionReferredTo(
      referral(socialnamnden, { dueOn: "2017-03-31" }),
      referral(bromma),
      referral(hagersten, { dueOn: "2017-04-15" }),
    );
    expect(describeStage(details, "2017-03-01")).toBe(
      "Remitterad till socialnämnden, Bromma stadsdelsnämnd och Hägersten-Liljeholmens stadsdelsnämnd, svar senast 31 mars 2017.",
    );
  });

  it("says how many referees have answered while others are still open", () => {
    const details = motionReferredTo(
      referral(slk, { state: "answered", answeredOn: "2017-01-13", responses: [response()] }),
      referral(socialnamnden, { dueOn: "2017-03-31" }),
    );
    expect(describeStage(details, "2017-03-01")).toBe(
      "Remitterad till socialnämnden, svar senast 31 mars 2017. 1 av 2 remissinstanser har svarat.",
    );
  });

  it("unknown due dates are said to be unknown, never given a date", () => {
    expect(describeStage(motionReferredTo(referral(bromma)), "2017-03-01")).toBe(
      "Remitterad till Bromma stadsdelsnämnd, inget svarsdatum angivet.",
    );
    expect(describeStage(motionReferredTo(referral(bromma), referral(hagersten)), "2017-03-01")).toBe(
      "Remitterad till Bromma stadsdelsnämnd och Hägersten-Liljeholmens stadsdelsnämnd, inga svarsdatum angivna.",
    );
    const card = presentCase(motionReferredTo(referral(bromma)), { today: "2030-01-01", audience: "full" });
    expect(card.referrals).toEqual([
      { line: "Bromma stadsdelsnämnd: inget svarsdatum angivet, väntar på svar", overdueDays: null },
    ]);
  });

  it("a late referral makes the stage say so", () => {
    const details = motionReferredTo(referral(socialnamnden, { dueOn: "2017-03-31" }), referral(bromma));
    expect(describeStage(details, "2017-04-03")).toBe(
      "Remitterad till socialnämnden och Bromma stadsdelsnämnd, svar senast 31 mars 2017. Försenat: 1 svar saknas efter sista svarsdag.",
    );
  });

  it("proposal stage: who proposed and when", () => {
    const details = caseDetails({
      status: "in_progress",
      referrals: [referral(slk, { state: "answered", answeredOn: "2017-01-13" })],
      timeline: [
        entry("preparation", { body: slk, occurredOn: "2017-01-13", text: "Tjänsteutlåtande." }),
        entry("proposal", {
          body: borgarradsberedningen,
          occurredOn: "2017-05-04",
          reference: "PM 2017:95 RVI+VIII",
          text: "Skrivelsen anses besvarad.",
        }),
      ],
    });
    expect(describeStage(details, "2017-05-10")).toBe(
      "Under beredning: förslag till beslut från borgarrådsberedningen (4 maj 2017).",
    );
    const undated = caseDetails({ status: "prepared", timeline: [entry("proposal", { text: "Bifall." })] });
    expect(describeStage(undated, "2017-05-10")).toBe("Färdigberett: förslag till beslut.");
  });

  it("all referrals in, no proposal yet; and a fresh case with its responsible body", () => {
    const answered = caseDetails({
      status: "in_progress",
      referrals: [referral(slk, { state: "answered" })],
    });
    expect(describeStage(answered, "2017-03-01")).toBe("Under beredning: alla remissvar har kommit in.");
    const fresh = caseDetails({ status: "initiated", responsibleBody: kommunstyrelsen });
    expect(describeStage(fresh, "2017-03-01")).toBe("Registrerat hos kommunstyrelsen.");
  });
});

describe("overdue days, from an injected today", () => {
  const due = referral(socialnamnden, { dueOn: "2017-03-31" });

  it("due 31 March, today 3 April: late by 3 days", () => {
    expect(overdueDays(due, "2017-04-03")).toBe(3);
    const card = presentCase(motionReferredTo(due), { today: "2017-04-03", audience: "full" });
    expect(card.referrals).toEqual([
      { line: "Socialnämnden: svar senast 31 mars 2017, försenad 3 dagar", overdueDays: 3 },
    ]);
  });

  it("is not late on the due day itself, nor before it", () => {
    expect(overdueDays(due, "2017-03-31")).toBeNull();
    expect(overdueDays(due, "2017-03-01")).toBeNull();
    const card = presentCase(motionReferredTo(due), { today: "2017-03-31", audience: "full" });
    expect(card.referrals).toEqual([
      { line: "Socialnämnden: svar senast 31 mars 2017, väntar på svar", overdueDays: null },
    ]);
    expect(card.stage).not.toContain("Försenat");
  });

  it("one day late is 'försenad 1 dag' (singular)", () => {
    const card = presentCase(motionReferredTo(due), { today: "2017-04-01", audience: "full" });
    expect(card.referrals[0]?.line).toContain("försenad 1 dag");
    expect(card.referrals[0]?.line).not.toContain("dagar");
  });

  it("counts calendar days across the change to summer time", () => {
    // Sweden moved its clocks forward on 26 March 2017.
    expect(overdueDays(referral(bromma, { dueOn: "2017-03-24" }), "2017-03-27")).toBe(3);
    expect(overdueDays(referral(bromma, { dueOn: "2016-12-31" }), "2017-03-31")).toBe(90);
  });

  it("the same case, read on another day, gives another answer", () => {
    const details = motionReferredTo(due);
    expect(presentCase(details, { today: "2017-04-10", audience: "full" }).referrals[0]?.overdueDays).toBe(
      10,
    );
    expect(
      presentCase(details, { today: "2017-03-30", audience: "full" }).referrals[0]?.overdueDays,
    ).toBeNull();
  });

  it("an answered referral is never late, however late it was answered", () => {
    const answered = referral(socialnamnden, {
      dueOn: "2017-03-31",
      state: "answered",
      answeredOn: "2017-04-20",
      responses: [response({ answeredOn: "2017-04-20" })],
    });
    expect(overdueDays(answered, "2017-06-01")).toBeNull();
    const card = presentCase(motionReferredTo(answered), { today: "2017-06-01", audience: "full" });
    expect(card.referrals).toEqual([
      {
        line: "Socialnämnden: svar senast 31 mars 2017, besvarad med tjänsteutlåtande 20 april 2017",
        overdueDays: null,
      },
    ]);
  });

  it("declined and withdrawn referrals are not late either", () => {
    for (const state of ["declined", "withdrawn"] as const) {
      expect(overdueDays(referral(bromma, { dueOn: "2017-03-31", state }), "2017-06-01")).toBeNull();
    }
    const card = presentCase(
      motionReferredTo(
        referral(bromma, { dueOn: "2017-03-31", state: "declined" }),
        referral(hagersten, { dueOn: "2017-03-31", state: "withdrawn" }),
      ),
      { today: "2017-06-01", audience: "full" },
    );
    expect(card.referrals.map((line) => line.line)).toEqual([
      "Bromma stadsdelsnämnd: svar senast 31 mars 2017, avstår från att svara",
      "Hägersten-Liljeholmens stadsdelsnämnd: svar senast 31 mars 2017, återkallad",
    ]);
  });

  it("an open referral with a response awaiting approval says so", () => {
    const card = presentCase(
      motionReferredTo(
        referral(socialnamnden, { dueOn: "2017-03-31", responses: [response({ approvalState: "pending" })] }),
      ),
      { today: "2017-03-20", audience: "full" },
    );
    expect(card.referrals[0]?.line).toBe(
      "Socialnämnden: svar senast 31 mars 2017, väntar på svar (svar väntar på godkännande)",
    );
  });
});

describe("people and dates", () => {
  const m = (name: string): Person => ({ name, party: "M" });

  it("formats people with their party, joined the Swedish way", () => {
    expect(formatPeople([{ name: "Lotta Edholm", party: "L" }])).toBe("Lotta Edholm (L)");
    expect(formatPeople([m("Anna König Jerlmyr"), m("Cecilia Brinck")])).toBe(
      "Anna König Jerlmyr (M) och Cecilia Brinck (M)",
    );
    expect(
      formatPeople([m("Anna König Jerlmyr"), m("Joakim Larsson"), m("Cecilia Brinck"), m("Dennis Wedin")]),
    ).toBe("Anna König Jerlmyr (M), Joakim Larsson (M), Cecilia Brinck (M) och Dennis Wedin (M)");
    expect(formatPeople([{ name: "Åsa Lindhagen" }, { name: "Clara Lindblom", party: null }])).toBe(
      "Åsa Lindhagen och Clara Lindblom",
    );
    expect(formatPeople([])).toBe("");
  });

  it("writes dates the Swedish way", () => {
    expect(formatSwedishDate("2017-03-31")).toBe("31 mars 2017");
    expect(formatSwedishDate("2016-10-26")).toBe("26 oktober 2016");
    expect(formatSwedishDate("2017-01-01")).toBe("1 januari 2017");
    expect(formatSwedishDate("2017-12-09")).toBe("9 december 2017");
  });

  it("shows who raised the case and when, and the people of each timeline entry", () => {
    const card = presentCase(
      caseDetails({
        raisedBy: [{ name: "Lotta Edholm", party: "L" }],
        raisedOn: "2016-10-26",
        timeline: [
          entry("dissent", {
            body: kommunstyrelsen,
            people: [{ name: "Lotta Edholm", party: "L" }],
            text: "Avslag på förslaget.",
          }),
          entry("statement", {
            body: borgarradsberedningen,
            occurredOn: "2017-05-04",
            reference: "PM 2017:95 RVI+VIII",
            people: [m("Anna König Jerlmyr"), m("Cecilia Brinck")],
            text: "Vi vill se en bättre arbetsmiljö.",
          }),
        ],
      }),
      { today: "2017-06-01", audience: "full" },
    );
    expect(card.facts).toContainEqual({ label: "Väckt av", value: "Lotta Edholm (L), 26 oktober 2016" });
    expect(card.timeline).toEqual([
      { heading: "Reservation · kommunstyrelsen", text: "Lotta Edholm (L): Avslag på förslaget." },
      {
        heading: "Särskilt uttalande · borgarrådsberedningen · 4 maj 2017 · PM 2017:95 RVI+VIII",
        text: "Anna König Jerlmyr (M) och Cecilia Brinck (M): Vi vill se en bättre arbetsmiljö.",
      },
    ]);
  });

  it("unknown dates are shown as unknown and never invented", () => {
    const details = motionReferredTo(
      referral(socialnamnden, { dueStatement: "inom kort" }),
      referral(bromma),
    );
    details.timeline = [
      entry("decision", { body: kommunstyrelsen, text: "Motionen remitteras." }),
      entry("dissent", { people: [{ name: "Lotta Edholm", party: "L" }], text: "Avslag." }),
    ];
    const card = presentCase(details, { today: "2017-04-03", audience: "full" });

    expect(card.facts).toContainEqual({
      label: "Väckt av",
      value: "Isabel Smedberg Palmqvist (L), datum okänt",
    });
    expect(card.facts.map((fact) => fact.label)).not.toContain("Inkom");
    expect(card.facts.map((fact) => fact.label)).not.toContain("Avslutat");
    expect(card.timeline.map((item) => item.heading)).toEqual(["Beslut · kommunstyrelsen", "Reservation"]);
    expect(card.referrals.every((line) => line.overdueDays === null)).toBe(true);
    // No date anywhere: neither a month name nor an ISO date, whatever "today" is.
    const months =
      /januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december|\d{4}-\d{2}-\d{2}/;
    expect(everything(card)).not.toMatch(months);
  });

  it("a case raised by nobody known, but on a known day, says the raiser is unknown", () => {
    const card = presentCase(caseDetails({ raisedOn: "2016-10-26" }), {
      today: "2017-01-01",
      audience: "full",
    });
    expect(card.facts).toContainEqual({ label: "Väckt av", value: "okänd, 26 oktober 2016" });
  });
});

describe("the full card", () => {
  it("names the case by dnr and its other numbers, with type, status and registry", () => {
    const card = presentCase(
      caseDetails({
        identifiers: ["PM 2017:95 RVI+VIII"],
        responsibleBody: kommunstyrelsen,
        addressedTo: kommunstyrelsen,
        officerName: "Kim Handläggare",
        receivedOn: "2016-10-27",
        summary: "Frågor om socialtjänsten.",
      }),
      { today: "2017-01-01", audience: "full" },
    );
    expect(card.heading).toBe("Dnr 108-1642/2017 · Bristerna inom socialtjänsten");
    expect(card.fallbackText).toBe(
      "Dnr 108-1642/2017 Bristerna inom socialtjänsten: Öppet hos kommunstyrelsen.",
    );
    expect(card.facts).toEqual([
      { label: "Ärendetyp", value: "Skrivelse" },
      { label: "Beteckningar", value: "Dnr 108-1642/2017, PM 2017:95 RVI+VIII" },
      { label: "Ställd till", value: "kommunstyrelsen" },
      { label: "Ansvarig", value: "kommunstyrelsen" },
      { label: "Handläggare", value: "Kim Handläggare" },
      { label: "Status", value: "Öppet" },
      { label: "Inkom", value: "27 oktober 2016" },
    ]);
    expect(card.summary).toBe("Frågor om socialtjänsten.");
    expect(card.notice).toBeNull();
    expect(card.registryName).toBe("Stockholms stad, kommunstyrelsen");
  });

  it("a case without a dnr is named by its series number", () => {
    const card = presentCase(motionReferredTo(), { today: "2017-01-01", audience: "full" });
    expect(card.heading).toBe(
      "Motion 2016:114 · Motion om en kompetensutvecklingspeng för socialsekreterare",
    );
    expect(card.facts).toContainEqual({ label: "Ärendetyp", value: "Motion" });
    expect(card.facts).toContainEqual({ label: "Beteckningar", value: "Motion 2016:114" });
  });
});

describe("a restricted case", () => {
  const secretTitle = "Orosanmälan gällande barn på Drottninggatan 5";
  const secretSummary = "Anmälan från skolan om misstänkt vanvård.";
  const secretRaiser = "Gunilla Anmälare";
  const secretReferee = body("Norrmalms stadsdelsnämnd");
  const secretDecision = "Utredning inleds enligt 11 kap. 1 § SoL.";
  const secretResponse = "Förvaltningen har träffat familjen.";
  const restricted = caseDetails({
    id: 77,
    dnr: "3.1.2-555/2018",
    kind: "other",
    title: secretTitle,
    publicTitle: "Sekretess",
    restricted: true,
    summary: secretSummary,
    raisedBy: [{ name: secretRaiser }],
    raisedOn: "2018-02-01",
    receivedOn: "2018-02-02",
    officerName: "Kim Handläggare",
    officerSlackUserId: "UOFFICER",
    responsibleBody: body("socialförvaltningen"),
    status: "in_progress",
    referrals: [
      referral(secretReferee, {
        dueOn: "2018-03-01",
        state: "answered",
        responses: [response({ summary: secretResponse, documentTitle: "Yttrande om familjen" })],
      }),
    ],
    timeline: [
      entry("decision", {
        body: body("individ- och familjeomsorgsutskottet"),
        occurredOn: "2018-02-15",
        people: [{ name: "Per Ordförande", party: "S" }],
        text: secretDecision,
      }),
    ],
  });

  it("in a public audience shows only the dnr, the public title and the dates", () => {
    const card = presentCase(restricted, { today: "2018-04-01", audience: "public" });
    expect(card.audience).toBe("public");
    expect(card.heading).toBe("Dnr 3.1.2-555/2018 · Sekretess");
    expect(card.fallbackText).toBe("Dnr 3.1.2-555/2018 Sekretess");
    expect(card.facts).toEqual([
      { label: "Diarienummer", value: "3.1.2-555/2018" },
      { label: "Väckt", value: "1 februari 2018" },
      { label: "Inkom", value: "2 februari 2018" },
    ]);
    expect(card.stage).toBe("");
    expect(card.summary).toBeNull();
    expect(card.referrals).toEqual([]);
    expect(card.timeline).toEqual([]);
    expect(card.notice).toBe(RESTRICTED_NOTICE);

    const shown = everything(card);
    for (const secret of [
      secretTitle,
      secretSummary,
      secretRaiser,
      secretReferee.name,
      secretDecision,
      secretResponse,
      "Yttrande om familjen",
      "Per Ordförande",
      "Kim Handläggare",
      "UOFFICER",
      "socialförvaltningen",
      "individ- och familjeomsorgsutskottet",
    ]) {
      expect(shown).not.toContain(secret);
    }
  });

  it("in a full audience shows everything, with a warning not to share it", () => {
    const card = presentCase(restricted, { today: "2018-04-01", audience: "full" });
    expect(card.heading).toBe(`Dnr 3.1.2-555/2018 · ${secretTitle}`);
    expect(card.summary).toBe(secretSummary);
    expect(card.notice).toContain("Sekretess");
    expect(everything(card)).toContain(secretDecision);
  });

  it("a public case looks the same whichever audience is asked for", () => {
    const open = caseDetails({ summary: "Öppen sammanfattning." });
    expect(presentCase(open, { today: "2017-01-01", audience: "public" })).toEqual(
      presentCase(open, { today: "2017-01-01", audience: "full" }),
    );
  });
});

describe("the case's deadline on the card", () => {
  const statutory = {
    kind: "statutory" as const,
    dueOn: "2017-10-26",
    basis: "Lagstadgat mål: beslut inom ett år från att motionen väcktes (kommunallagen 5 kap. 35 §).",
    state: "open" as const,
    metOn: null,
  };

  it("shows the statutory target, labelled as law, and how late it is", () => {
    const card = presentCase(caseDetails({ kind: "motion", status: "in_progress", deadlines: [statutory] }), {
      today: "2017-11-01",
      audience: "full",
    });
    expect(card.deadlines).toEqual([
      {
        line: "Lagstadgat mål: beslut inom ett år från att motionen väcktes (kommunallagen 5 kap. 35 §). Senast 26 oktober 2017: försenad 6 dagar.",
        overdueDays: 6,
      },
    ]);
  });

  it("counts the days left before the target", () => {
    const card = presentCase(caseDetails({ kind: "motion", status: "in_progress", deadlines: [statutory] }), {
      today: "2017-10-25",
      audience: "full",
    });
    expect(card.deadlines[0]?.line).toMatch(/Senast 26 oktober 2017: 1 dag kvar\.$/);
  });

  it("says a policy deadline met late was met late", () => {
    const policy = {
      kind: "policy" as const,
      dueOn: "2017-01-26",
      basis: "Lokal policy, inte lag: skrivelser besvaras inom 3 månader.",
      state: "met" as const,
      metOn: "2017-05-31",
    };
    const card = presentCase(caseDetails({ status: "closed", deadlines: [policy] }), {
      today: "2026-11-22",
      audience: "full",
    });
    expect(card.deadlines).toEqual([
      {
        line: "Lokal policy, inte lag: skrivelser besvaras inom 3 månader. Senast 26 januari 2017: avslutat 31 maj 2017, 125 dagar efter sista dagen.",
        overdueDays: null,
      },
    ]);
  });

  it("says why there is no deadline when the start date is unknown", () => {
    const card = presentCase(caseDetails({ kind: "motion", raisedOn: null, status: "in_progress" }), {
      today: "2017-04-03",
      audience: "full",
    });
    expect(card.deadlines).toEqual([
      { line: "Datum då motionen väcktes är okänt; ingen tidsfrist kan beräknas.", overdueDays: null },
    ]);
  });

  it("flags a remiss due date stated on a non-working day, keeping the date as stated", () => {
    const card = presentCase(
      caseDetails({ referrals: [referral(socialnamnden, { dueOn: "2017-06-23" })], status: "in_progress" }),
      { today: "2017-06-01", audience: "full" },
    );
    expect(card.referrals[0]?.line).toBe(
      "Socialnämnden: svar senast 23 juni 2017 (svarsdatumet infaller på midsommarafton), väntar på svar",
    );
  });

  it("never shows deadlines of a restricted case in public", () => {
    const card = presentCase(
      caseDetails({ restricted: true, publicTitle: "Sekretess", deadlines: [statutory] }),
      {
        today: "2017-11-01",
        audience: "public",
      },
    );
    expect(card.deadlines).toEqual([]);
  });
});
