import { describe, expect, it } from "vitest";
import type { CaseDetails } from "../../src/modules/cases/case-details.js";
import { type Audience, describeEvent } from "../../src/modules/history/describe-event.js";
import type { CaseHistory } from "../../src/modules/history/get-case-history.js";
import type { HistoryContext, HistoryEvent } from "../../src/modules/history/history-event.js";
import { HISTORY_RESTRICTED_NOTICE, presentHistory } from "../../src/modules/history/present-history.js";
import { richAsText } from "../../src/modules/shared/rich-text.js";
import {
  formatCalendarDay,
  formatStockholmDay,
  formatStockholmTime,
} from "../../src/modules/shared/swedish-time.js";
import { caseHistoryMessage } from "../../src/slack/blocks/case-history.js";
import {
  historyButtonValue,
  NEWER_HISTORY_ACTION,
  OLDER_HISTORY_ACTION,
} from "../../src/slack/blocks/history-ids.js";
import type { SlackMessage } from "../../src/slack/blocks/message.js";
import { richMrkdwn } from "../../src/slack/blocks/rich-text.js";
import { caseDetails } from "../support/case-details.js";

const REGISTRATOR = "U0REG0001";
const OFFICER = "U0HANDL01";
const APPROVER = "U0GODK001";

const context: HistoryContext = {
  caseId: 7,
  referrals: new Map([
    [11, { bodyName: "Socialnämnden" }],
    [12, { bodyName: "Bromma stadsdelsnämnd" }],
  ]),
  responses: new Map([
    [21, { referralId: 11 }],
    [22, { referralId: 12 }],
  ]),
  deadlines: new Map([
    [31, { referralId: 11, kind: "referral_due" as const }],
    [32, { referralId: null, kind: "policy" as const }],
    [33, { referralId: null, kind: "statutory" as const }],
  ]),
  timeline: new Map([[41, { kind: "decision" as const, bodyName: "kommunstyrelsen" }]]),
  bodyNames: new Map([
    ["kommunstyrelsen", "kommunstyrelsen"],
    ["socialnamnden", "socialnämnden"],
  ]),
};

type Actor = Pick<HistoryEvent, "actorType" | "actorId" | "actorName">;
const slackUser = (id: string, name: string | null = null): Actor => ({
  actorType: "slack_user",
  actorId: id,
  actorName: name,
});
const importFile = (file = "demo.json"): Actor => ({ actorType: "import", actorId: file, actorName: null });
const terminal = (user = "marten"): Actor => ({ actorType: "cli", actorId: user, actorName: null });
const system = (job = "deadline-sync"): Actor => ({ actorType: "system", actorId: job, actorName: null });

let ids = 0;
function event(
  action: string,
  entity: [type: string, id: number | string],
  changes: unknown,
  actor: Actor = slackUser(APPROVER),
  at = "2017-04-03T12:05:00Z",
): HistoryEvent {
  ids += 1;
  return {
    id: ids,
    occurredAt: new Date(at),
    ...actor,
    action,
    entityType: entity[0],
    entityId: String(entity[1]),
    changes: changes as Record<string, unknown>,
  };
}

/** The line and its details as Slack shows them (mentions) and as the terminal does (names). */
function said(item: HistoryEvent, audience: Audience = "full") {
  const described = describeEvent(item, context, audience);
  return {
    slack: richMrkdwn(described.text),
    text: richAsText(described.text),
    details: described.details.map(richMrkdwn),
    all: [richMrkdwn(described.text), ...described.details.map(richMrkdwn)].join("\n"),
  };
}

// Payloads exactly as the writers store them (send-on-remiss, deliver-remiss-notices, record-response,
// approve/reject, request-approval, the import's entities).
const sent = () =>
  event(
    "referral.sent",
    ["referral", 11],
    {
      case_id: 7,
      body_id: 3,
      state: "open",
      sent_on: "2017-03-01",
      due_on: "2017-03-31",
      due_statement: "Svar senast 31 mars 2017",
      deadline_id: 31,
    },
    slackUser(REGISTRATOR),
  );
const submitted = (overrides: Record<string, unknown> = {}) =>
  event(
    "referral_response.submitted",
    ["referral_response", 21],
    {
      referral_id: 11,
      case_id: 7,
      body_id: 3,
      kind: "answer",
      summary: "Nämnden tillstyrker <förslaget> & mer.",
      link: "https://insyn.stockholm.se/tjansteutlatande.pdf",
      answered_on: "2017-03-22",
      approval_state: "pending",
      ...overrides,
    },
    slackUser(OFFICER, "handl"),
  );
const rejected = () =>
  event("referral_response.rejected", ["referral_response", 21], {
    referral_id: 11,
    approval_state: "rejected",
    from: "pending",
    decision_reason: "Yttrandet saknar beslutsförslag.",
  });

describe("Swedish times and dates, from the locale data", () => {
  it("shows instants in Stockholm time, summer and winter", () => {
    expect(formatStockholmTime(new Date("2017-04-03T12:05:00Z"))).toBe("3 apr. 2017 14:05");
    expect(formatStockholmTime(new Date("2017-01-13T08:00:00Z"))).toBe("13 jan. 2017 09:00");
    // 23:30 UTC on 31 March is already 1 April in Stockholm.
    expect(formatStockholmDay(new Date("2017-03-31T23:30:00Z"))).toBe("1 apr. 2017");
  });

  it("shows calendar dates without moving them, and leaves anything else alone", () => {
    expect(formatCalendarDay("2017-03-31")).toBe("31 mars 2017");
    expect(formatCalendarDay("2016-10-26")).toBe("26 oktober 2016");
    expect(formatCalendarDay("okänt")).toBe("okänt");
  });
});

describe("each kind of event in plain Swedish", () => {
  it("a remiss sent from Slack names the body, the sender and the due date", () => {
    expect(said(sent()).slack).toBe(
      `Remiss skickad till Socialnämnden av <@${REGISTRATOR}>, svar senast 31 mars 2017`,
    );
  });

  it("a remiss with a message of its own, and a due date on a weekend, say so", () => {
    const withMessage = event(
      "referral.sent",
      ["referral", 12],
      {
        due_on: "2017-04-29",
        due_statement: "Svara gärna före påsk.",
        due_on_warning: "svarsdatumet infaller på en lördag",
      },
      slackUser(REGISTRATOR),
    );
    const { slack, details } = said(withMessage);
    expect(slack).toBe(
      `Remiss skickad till Bromma stadsdelsnämnd av <@${REGISTRATOR}>, svar senast 29 april 2017 (svarsdatumet infaller på en lördag)`,
    );
    expect(details).toEqual(["Meddelande: «Svara gärna före påsk.»"]);
  });

  it("the remiss notice in the body's channel, to those who see the case and to the public", () => {
    const notice = event(
      "referral.notice_posted",
      ["referral", 12],
      { case_id: 7, channel_id: "C0BROMMA", message_ts: "1.2" },
      slackUser(REGISTRATOR),
    );
    expect(said(notice).slack).toBe(
      `Remissen till Bromma stadsdelsnämnd meddelad i remissinstansens kanal (av <@${REGISTRATOR}>)`,
    );
    expect(said(notice, "public").all).toBe("Remissen meddelad i remissinstansens kanal (i Slack)");
  });

  it("a remissvar registered in Slack: who, for which body, its date, summary and link", () => {
    const { slack, text, details } = said(submitted());
    expect(slack).toBe(`Remissvar registrerat av <@${OFFICER}> för Socialnämnden, daterat 22 mars 2017`);
    expect(text).toBe(`Remissvar registrerat av handl (${OFFICER}) för Socialnämnden, daterat 22 mars 2017`);
    expect(details).toEqual([
      "«Nämnden tillstyrker &lt;förslaget&gt; &amp; mer.»",
      "Länk: https://insyn.stockholm.se/tjansteutlatande.pdf",
    ]);
  });

  it("a body that declines to answer", () => {
    const { slack, details } = said(
      submitted({ kind: "declined", summary: "Avstår från att svara.", link: null }),
    );
    expect(slack).toBe(
      `Registrerat av <@${OFFICER}> att Socialnämnden avstår från att svara, daterat 22 mars 2017`,
    );
    expect(details).toEqual([]);
  });

  it("the approval request, the approval and its consequences", () => {
    const requested = event(
      "referral_response.approval_requested",
      ["referral_response", 21],
      { messages: [{ channel_id: "D0GODK001", message_ts: "1.2" }] },
      slackUser(OFFICER),
    );
    expect(said(requested).slack).toBe(
      `Remissvaret från Socialnämnden skickat för godkännande (av <@${OFFICER}>)`,
    );
    const approved = event("referral_response.approved", ["referral_response", 21], {
      referral_id: 11,
      approval_state: "approved",
      from: "pending",
    });
    expect(said(approved).slack).toBe(`Godkänt av <@${APPROVER}>: remissvaret från Socialnämnden`);
    const answered = event("referral.answered", ["referral", 11], {
      case_id: 7,
      response_id: 21,
      state: "answered",
      from: "open",
      answered_on: "2017-03-22",
    });
    expect(said(answered).slack).toBe(
      `Remissen till Socialnämnden besvarad 22 mars 2017 (av <@${APPROVER}>)`,
    );
    const declined = event("referral.declined", ["referral", 12], {
      state: "declined",
      answered_on: "2017-03-22",
    });
    expect(said(declined).slack).toBe(
      `Remissen till Bromma stadsdelsnämnd avslutad: instansen avstår från att svara (av <@${APPROVER}>)`,
    );
    const met = event("deadline.met", ["deadline", 31], {
      referral_id: 11,
      state: "met",
      met_on: "2017-03-22",
      from: "open",
    });
    expect(said(met).slack).toBe(
      `Tidsfristen för remissen till Socialnämnden uppfylld 22 mars 2017 (av <@${APPROVER}>)`,
    );
  });

  it("a rejection names the approver and the reason", () => {
    expect(said(rejected()).slack).toBe(
      `Avslaget av <@${APPROVER}>: remissvaret från Socialnämnden – skäl: Yttrandet saknar beslutsförslag.`,
    );
  });

  it("an import: the case, its remiss, its response, its timeline and its computed deadline", () => {
    expect(said(event("case.imported", ["case", 7], { title: "Bristerna" }, importFile())).slack).toBe(
      "Ärendet importerat från demo.json",
    );
    const referral = event(
      "referral.imported",
      ["referral", 11],
      {
        case_id: 7,
        body: "socialnamnden",
        sent_on: null,
        due_on: "2017-03-31",
        due_statement: "ska senast vara inlämnad 31 mars 2017",
        state: "answered",
        answered_on: "2017-03-22",
      },
      importFile(),
    );
    expect(said(referral).slack).toBe(
      "Remiss till socialnämnden registrerad, svar senast 31 mars 2017, besvarad 22 mars 2017 (vid import från demo.json)",
    );
    const response = event(
      "referral_response.imported",
      ["referral_response", 21],
      {
        referral_id: 11,
        kind: "answer",
        document_title: "Tjänsteutlåtande",
        summary: "Motionen kan anses besvarad.",
        answered_on: "2017-03-22",
        approval_state: "approved",
      },
      importFile(),
    );
    expect(said(response).slack).toBe(
      "Remissvar från Socialnämnden registrerat (Tjänsteutlåtande), daterat 22 mars 2017, godkänt (vid import från demo.json)",
    );
    expect(said(response).details).toEqual(["«Motionen kan anses besvarad.»"]);
    const entry = event(
      "timeline_entry.imported",
      ["timeline_entry", 41],
      {
        case_id: 7,
        position: 5,
        kind: "decision",
        body: "kommunstyrelsen",
        occurred_on: "2017-05-17",
        reference: null,
        people: [{ name: "Lotta Edholm", party: "L" }],
        text: "Skrivelsen anses besvarad.",
      },
      importFile(),
    );
    expect(said(entry).slack).toBe(
      "Nytt i förloppet: Beslut · kommunstyrelsen · 17 maj 2017 (vid import från demo.json)",
    );
    expect(said(entry).details).toEqual(["Lotta Edholm (L): Skrivelsen anses besvarad."]);
    const computed = event(
      "deadline.computed",
      ["deadline", 33],
      {
        case_id: 7,
        kind: "statutory",
        dueOn: "2017-10-26",
        basis: "Lagstadgat mål: beslut inom ett år.",
        state: "open",
        metOn: null,
      },
      importFile(),
    );
    expect(said(computed).slack).toBe(
      "Ärendets lagstadgade tidsfrist beräknad: senast 26 oktober 2017 (vid import från demo.json)",
    );
    expect(said(computed).details).toEqual(["Lagstadgat mål: beslut inom ett år."]);
    const watch = event(
      "deadline.imported",
      ["deadline", 31],
      {
        case_id: 7,
        referral_id: 11,
        kind: "referral_due",
        due_on: "2017-03-31",
        state: "met",
        met_on: "2017-03-22",
      },
      importFile(),
    );
    expect(said(watch).slack).toBe(
      "Tidsfristen för remissen till Socialnämnden registrerad: senast 31 mars 2017, uppfylld 22 mars 2017 (vid import från demo.json)",
    );
  });

  it("an import that changed one field says from what to what", () => {
    const renamed = event(
      "case.updated",
      ["case", 7],
      { title: { from: "Bristerna", to: "Bristerna inom socialtjänsten" } },
      importFile("rattelse.csv"),
    );
    expect(said(renamed).slack).toBe(
      "Titel ändrad från «Bristerna» till «Bristerna inom socialtjänsten» (vid import från rattelse.csv)",
    );
  });

  it("a title that the public title follows is one change to those who see both, the public title to others", () => {
    const renamed = event(
      "case.updated",
      ["case", 7],
      {
        title: { from: "Bristerna", to: "Bristerna inom socialtjänsten" },
        public_title: { from: "Bristerna", to: "Bristerna inom socialtjänsten" },
      },
      importFile(),
    );
    expect(said(renamed).slack).toBe(
      "Titel ändrad från «Bristerna» till «Bristerna inom socialtjänsten» (vid import från demo.json)",
    );
    expect(said(renamed, "public").all).toBe(
      [
        "Ärendet ändrat (vid import)",
        "Offentlig titel ändrad från «Bristerna» till «Bristerna inom socialtjänsten»",
        "Även uppgifter som inte är offentliga ändrades",
      ].join("\n"),
    );
  });

  it("an import that changed several fields lists each, values in Swedish", () => {
    const changed = event(
      "case.updated",
      ["case", 7],
      {
        status: { from: "in_progress", to: "closed" },
        closed_on: { from: null, to: "2017-05-17" },
        responsible_body: { from: "kommunstyrelsen", to: "socialnamnden" },
        officer_slack_user_id: { from: null, to: "U0HANDL01" },
        outcome: { from: "Under beredning", to: null },
        restricted: { from: false, to: true },
        summary: { from: "Kort.", to: "Längre sammanfattning." },
        identifiers: { added: ["PM 2017:95 RVI+VIII"] },
      },
      importFile(),
    );
    const { slack, details } = said(changed);
    expect(slack).toBe("Ärendet ändrat (vid import från demo.json)");
    expect(details).toEqual([
      "Status ändrad från Under beredning till Avslutat",
      "Datumet då ärendet avslutades angivet: 17 maj 2017",
      "Ansvarigt organ ändrat från kommunstyrelsen till socialnämnden",
      "Handläggare i Slack angiven: <@U0HANDL01>",
      "Utfall borttaget (var «Under beredning»)",
      "Ärendet markerat som sekretessärende",
      "Sammanfattning ändrad: «Längre sammanfattning.»",
      "Beteckning tillagd: PM 2017:95 RVI+VIII",
    ]);
  });

  it("changes to a remiss, a response, a deadline (both spellings) and the timeline", () => {
    const moved = event(
      "referral.updated",
      ["referral", 11],
      { due_on: { from: "2017-03-31", to: "2017-04-07" } },
      importFile("remisser.csv"),
    );
    expect(said(moved).slack).toBe(
      "Remissen till Socialnämnden: svarsdatumet ändrat från 31 mars 2017 till 7 april 2017 (vid import från remisser.csv)",
    );
    const edited = event(
      "referral_response.updated",
      ["referral_response", 21],
      { approval_state: { from: "pending", to: "approved" } },
      importFile(),
    );
    expect(said(edited).slack).toBe(
      "Remissvaret från Socialnämnden: godkännandet ändrat från väntar på godkännande till godkänt (vid import från demo.json)",
    );
    const synced = event(
      "deadline.updated",
      ["deadline", 32],
      { state: { from: "open", to: "met" }, metOn: { from: null, to: "2017-05-31" } },
      system(),
    );
    expect(said(synced).slack).toBe("Ärendets tidsfrist enligt lokal policy ändrad (automatiskt)");
    expect(said(synced).details).toEqual([
      "Läget ändrat från öppen till uppfylld",
      "Datumet då den uppfylldes angivet: 31 maj 2017",
    ]);
    const retold = event(
      "timeline_entry.updated",
      ["timeline_entry", 41],
      { occurred_on: { from: null, to: "2017-05-17" } },
      importFile(),
    );
    expect(said(retold).slack).toBe(
      "Posten beslut (kommunstyrelsen) i förloppet: datumet angivet: 17 maj 2017 (vid import från demo.json)",
    );
  });

  it("names the terminal's user and the system as actors", () => {
    expect(said(event("case.imported", ["case", 7], {}, terminal())).slack).toBe(
      "Ärendet registrerat av marten i terminalen",
    );
    expect(
      said(event("referral.answered", ["referral", 11], { answered_on: "2017-03-22" }, system())).slack,
    ).toBe("Remissen till Socialnämnden besvarad 22 mars 2017 (automatiskt)");
  });

  it("a Slack user without a valid id is shown by name, never as a broken mention", () => {
    const odd = event(
      "referral_response.approved",
      ["referral_response", 21],
      {},
      slackUser("not an id", "Anna <A>"),
    );
    expect(said(odd).slack).toBe("Godkänt av Anna &lt;A&gt;: remissvaret från Socialnämnden");
  });

  it("an unknown or future action gets a generic, readable line", () => {
    const reopened = event("referral.reopened", ["referral", 11], {
      state: { from: "answered", to: "open" },
    });
    expect(said(reopened).slack).toBe(
      `Remissen till Socialnämnden: händelsen «reopened» (av <@${APPROVER}>)`,
    );
    expect(said(reopened).details).toEqual(["Fältet «state» ändrat från answered till open"]);
    expect(said(event("case.archived", ["case", 7], null)).slack).toBe(
      `Ärendet: händelsen «archived» (av <@${APPROVER}>)`,
    );
    expect(said(event("toString", ["case", 7], {})).slack).toBe(
      `Ärendet: händelsen «toString» (av <@${APPROVER}>)`,
    );
  });

  it("payloads of an unexpected shape never crash a line", () => {
    const weird: unknown[] = [null, [], "text", 42, { due_on: 42, summary: { nested: true }, title: "x" }];
    const actions = [
      "referral.sent",
      "referral.imported",
      "referral_response.submitted",
      "referral_response.imported",
      "referral_response.rejected",
      "case.updated",
      "deadline.updated",
      "deadline.computed",
      "timeline_entry.imported",
      "something.else",
    ];
    for (const action of actions) {
      for (const changes of weird) {
        for (const audience of ["full", "public"] as const) {
          const { slack } = said(event(action, ["referral", 999], changes), audience);
          expect(slack.length).toBeGreaterThan(0);
        }
      }
    }
  });
});

describe("what the public sees of a restricted case's history", () => {
  const SECRET = [
    "Socialnämnden",
    "förslaget",
    "insyn.stockholm.se",
    "beslutsförslag",
    "Hemlig titel",
    APPROVER,
    OFFICER,
    REGISTRATOR,
    "demo.json",
  ];
  const events = [
    sent(),
    submitted(),
    rejected(),
    event("referral_response.approved", ["referral_response", 21], {}),
    event("referral.answered", ["referral", 11], { answered_on: "2017-03-22" }),
    event("deadline.met", ["deadline", 31], { referral_id: 11, met_on: "2017-03-22" }),
    event("case.imported", ["case", 7], { title: "Hemlig titel" }, importFile()),
    event(
      "case.updated",
      ["case", 7],
      { title: { from: "Hemlig titel", to: "Hemlig titel 2" }, closed_on: { from: null, to: "2017-05-17" } },
      importFile(),
    ),
    event("referral.reopened", ["referral", 11], { state: { from: "answered", to: "Hemlig titel" } }),
  ];

  it("keeps when and what kind of step, and the dates", () => {
    const lines = events.map((item) => said(item, "public"));
    expect(lines.map((line) => line.slack)).toEqual([
      "Remiss skickad, svar senast 31 mars 2017 (i Slack)",
      "Remissvar registrerat, daterat 22 mars 2017 (i Slack)",
      "Remissvar avslaget (i Slack)",
      "Remissvar godkänt (i Slack)",
      "Remissen besvarad 22 mars 2017 (i Slack)",
      "Tidsfristen för remissen uppfylld 22 mars 2017 (i Slack)",
      "Ärendet importerat",
      "Ärendet ändrat (vid import)",
      "Ändring registrerad (i Slack)",
    ]);
    expect(lines[7]?.details).toEqual([
      "Datumet då ärendet avslutades angivet: 17 maj 2017",
      "Även uppgifter som inte är offentliga ändrades",
    ]);
  });

  it("leaves out titles, summaries, reasons, links, bodies and people", () => {
    const all = events.map((item) => said(item, "public").all).join("\n");
    for (const secret of SECRET) expect(all).not.toContain(secret);
    expect(all).not.toContain("<@");
  });
});

const details = (overrides: Partial<CaseDetails> = {}): CaseDetails =>
  caseDetails({ id: 7, registry: { code: "stockholm-ks", name: "Stockholms stad" }, ...overrides });

function history(overrides: Partial<CaseHistory> = {}): CaseHistory {
  const events = overrides.events ?? [rejected(), submitted(), sent()];
  return {
    details: details(),
    mayViewFull: true,
    events,
    context,
    page: 1,
    pageSize: 20,
    total: events.length,
    pages: 1,
    ...overrides,
  };
}

describe("a page of history", () => {
  it("says which events are shown, newest first, with their Stockholm time", () => {
    const shown = presentHistory(history({ page: 2, pages: 3, total: 45 }), { audience: "full" });
    expect(shown.heading).toBe("Historik · Dnr 108-1642/2017");
    expect(shown.title).toBe("Bristerna inom socialtjänsten");
    expect(shown.position).toBe("Händelse 21–23 av 45, nyast först · sida 2 av 3");
    expect(shown.entries.map((entry) => entry.when)).toEqual([
      "3 apr. 2017 14:05",
      "3 apr. 2017 14:05",
      "3 apr. 2017 14:05",
    ]);
    expect(shown.notice).toBeNull();
  });

  it("an empty history says so", () => {
    const shown = presentHistory(history({ events: [], total: 0 }), { audience: "full" });
    expect(shown.position).toBe("Inga ändringar är registrerade för ärendet.");
    expect(caseHistoryMessage(shown).blocks.some((block) => block.type === "actions")).toBe(false);
  });

  it("a restricted case shows its public title and says why, to those who may not see more", () => {
    const secret = details({ restricted: true, title: "Hemlig titel", publicTitle: "Sekretess" });
    const shown = presentHistory(history({ details: secret }), { audience: "public" });
    expect(shown.title).toBe("Sekretess");
    expect(shown.notice).toBe(HISTORY_RESTRICTED_NOTICE);
    const message = caseHistoryMessage(shown);
    expect(JSON.stringify(message)).not.toContain("Hemlig titel");
    expect(JSON.stringify(message)).not.toContain("Socialnämnden");
    const full = presentHistory(history({ details: secret }), { audience: "full" });
    expect(full.title).toBe("Hemlig titel");
    expect(full.notice).toBe("Sekretess: visa inte historiken i en kanal.");
  });

  it("a case that is not restricted is shown in full whatever the audience", () => {
    expect(presentHistory(history(), { audience: "public" }).audience).toBe("full");
  });
});

function expectWithinSlackLimits(message: SlackMessage): void {
  expect(message.blocks.length).toBeLessThanOrEqual(50);
  expect(message.text.trim()).not.toBe("");
  for (const block of message.blocks) {
    if (block.type === "header") expect(block.text.text.length).toBeLessThanOrEqual(150);
    if (block.type === "section") expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
    if (block.type === "context") {
      for (const element of block.elements) {
        if (element.type === "mrkdwn") expect(element.text.length).toBeLessThanOrEqual(3000);
      }
    }
  }
}

const buttons = (message: SlackMessage) =>
  message.blocks.flatMap((block) =>
    block.type === "actions"
      ? block.elements.flatMap((element) =>
          element.type === "button"
            ? [{ id: element.action_id, text: element.text.text, value: element.value }]
            : [],
        )
      : [],
  );

describe("the history in Slack", () => {
  it("shows each event with its time and mentions, escaping what people wrote", () => {
    const message = caseHistoryMessage(presentHistory(history(), { audience: "full" }));
    const sections = message.blocks.flatMap((block) =>
      block.type === "section" ? [block.text?.text ?? ""] : [],
    );
    const text = sections.join("\n");
    expect(text).toContain(
      `*3 apr. 2017 14:05* · Avslaget av <@${APPROVER}>: remissvaret från Socialnämnden – skäl: Yttrandet saknar beslutsförslag.`,
    );
    expect(text).toContain(`>«Nämnden tillstyrker &lt;förslaget&gt; &amp; mer.»`);
    expect(text.indexOf("Avslaget")).toBeLessThan(text.indexOf("Remissvar registrerat"));
    expect(text.indexOf("Remissvar registrerat")).toBeLessThan(text.indexOf("Remiss skickad"));
    expect(message.text).toBe("Historik för Dnr 108-1642/2017: Händelse 1–3 av 3, nyast först");
  });

  it("pages with Nyare and Äldre händelser, each naming only the case and the page", () => {
    const at = (page: number) =>
      buttons(
        caseHistoryMessage(presentHistory(history({ page, pages: 3, total: 45 }), { audience: "full" })),
      );
    expect(at(1).map((button) => [button.id, button.text])).toEqual([
      [OLDER_HISTORY_ACTION, "Äldre händelser"],
    ]);
    expect(at(2).map((button) => [button.id, button.text])).toEqual([
      [NEWER_HISTORY_ACTION, "Nyare"],
      [OLDER_HISTORY_ACTION, "Äldre händelser"],
    ]);
    expect(at(3).map((button) => [button.id, button.text])).toEqual([[NEWER_HISTORY_ACTION, "Nyare"]]);
    expect(at(2).map((button) => historyButtonValue.parse(JSON.parse(button.value ?? "")))).toEqual([
      { caseId: 7, page: 1 },
      { caseId: 7, page: 3 },
    ]);
    expect(buttons(caseHistoryMessage(presentHistory(history(), { audience: "full" })))).toEqual([]);
  });

  it("stays within Slack's limits for a full page of the longest events", () => {
    const long = "lång text med <tecken> & mer ".repeat(200);
    const everything = Object.fromEntries(
      [
        "dnr",
        "kind",
        "title",
        "public_title",
        "summary",
        "raised_by",
        "raised_on",
        "received_on",
        "closed_on",
        "officer_name",
        "status",
        "outcome",
        ...Array.from({ length: 30 }, (_, index) => `future_field_${index}`),
      ].map((field) => [field, { from: long, to: `${long}!` }]),
    );
    const events = Array.from({ length: 20 }, () =>
      event("case.updated", ["case", 7], everything, slackUser(APPROVER)),
    );
    const secret = details({ title: long, publicTitle: long, restricted: true });
    for (const audience of ["full", "public"] as const) {
      const message = caseHistoryMessage(
        presentHistory(history({ events, details: secret, page: 2, pages: 3, total: 60 }), { audience }),
      );
      expectWithinSlackLimits(message);
      expect(buttons(message)).toHaveLength(2);
    }
  });
});
