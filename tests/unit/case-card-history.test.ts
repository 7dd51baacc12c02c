import { describe, expect, it } from "vitest";
import { renderCaseText } from "../../src/cli/render-case-text.js";
import type { CaseDetails, ReferralDetails, ResponseDetails } from "../../src/modules/cases/case-details.js";
import { presentCase } from "../../src/modules/cases/present-case.js";
import { caseCardMessage } from "../../src/slack/blocks/case-card.js";
import { historyButtonValue, OPEN_HISTORY_ACTION } from "../../src/slack/blocks/history-ids.js";
import type { SlackMessage } from "../../src/slack/blocks/message.js";
import { helpMessage } from "../../src/slack/blocks/replies.js";
import { caseDetails } from "../support/case-details.js";

const TODAY = "2017-04-03";
const APPROVER = "U0GODK001";

function response(overrides: Partial<ResponseDetails> = {}): ResponseDetails {
  return {
    id: 1,
    kind: "answer",
    documentTitle: "Tjänsteutlåtande",
    summary: "Nämnden tillstyrker.",
    link: null,
    answeredOn: "2017-03-22",
    approvalState: "approved",
    decidedBySlackUserId: APPROVER,
    decidedByName: "godk",
    decidedAt: new Date("2017-04-03T12:05:00Z"),
    ...overrides,
  };
}

function referral(responses: ResponseDetails[], overrides: Partial<ReferralDetails> = {}): ReferralDetails {
  return {
    id: 11,
    body: { id: 3, code: "socialnamnden", name: "Socialnämnden" },
    sentOn: "2017-03-01",
    dueOn: "2017-03-31",
    dueStatement: null,
    state: "answered",
    answeredOn: "2017-03-22",
    responses,
    ...overrides,
  };
}

const caseWith = (referrals: ReferralDetails[], overrides: Partial<CaseDetails> = {}): CaseDetails =>
  caseDetails({ id: 4711, raisedOn: "2016-10-26", status: "in_progress", referrals, ...overrides });

const sectionText = (message: SlackMessage) =>
  message.blocks.flatMap((block) => (block.type === "section" ? [block.text?.text ?? ""] : [])).join("\n");

const historyButtons = (message: SlackMessage) =>
  message.blocks.flatMap((block) =>
    block.type === "actions"
      ? block.elements.filter(
          (element) => element.type === "button" && element.action_id === OPEN_HISTORY_ACTION,
        )
      : [],
  );

describe("the case card: who decided each remissvar, and when", () => {
  it("shows the approver as a mention and the Stockholm day, under the referral", () => {
    const card = presentCase(caseWith([referral([response()])]), { today: TODAY, audience: "full" });
    const text = sectionText(caseCardMessage(card));
    expect(text).toContain(
      `• Socialnämnden: svar senast 31 mars 2017, besvarad med tjänsteutlåtande 22 mars 2017\n      ↳ Godkänt av <@${APPROVER}> 3 apr. 2017`,
    );
    expect(renderCaseText(card)).toContain(`      Godkänt av godk (${APPROVER}) 3 apr. 2017`);
  });

  it("a rejected answer and the approved one after it are both shown, each with its answer's date", () => {
    const rejected = response({
      id: 1,
      approvalState: "rejected",
      answeredOn: "2017-03-20",
      decidedAt: new Date("2017-03-21T09:00:00Z"),
    });
    const approved = response({ id: 2, decidedBySlackUserId: "U0GODK002", decidedByName: null });
    const card = presentCase(caseWith([referral([rejected, approved])]), { today: TODAY, audience: "full" });
    const text = sectionText(caseCardMessage(card));
    expect(text).toContain(`↳ Avslaget av <@${APPROVER}> 21 mars 2017 (svaret daterat 20 mars 2017)`);
    expect(text).toContain("↳ Godkänt av <@U0GODK002> 3 apr. 2017 (svaret daterat 22 mars 2017)");
  });

  it("an imported decision without a Slack user names the person; one without who or when adds nothing", () => {
    const byName = response({
      decidedBySlackUserId: null,
      decidedByName: "Anna <Andersson>",
      decidedAt: null,
    });
    const nothing = response({ decidedBySlackUserId: null, decidedByName: null, decidedAt: null });
    const card = presentCase(caseWith([referral([byName]), referral([nothing], { id: 12 })]), {
      today: TODAY,
      audience: "full",
    });
    expect(sectionText(caseCardMessage(card))).toContain("↳ Godkänt av Anna &lt;Andersson&gt;\n");
    expect(card.referrals[1]?.decisions).toBeUndefined();
  });

  it("a pending answer shows no decision", () => {
    const card = presentCase(
      caseWith([
        referral([response({ approvalState: "pending", decidedAt: null, decidedBySlackUserId: null })], {
          state: "open",
        }),
      ]),
      { today: TODAY, audience: "full" },
    );
    expect(card.referrals[0]?.decisions).toBeUndefined();
    expect(card.referrals[0]?.line).toContain("svar väntar på godkännande");
  });

  it("a restricted case's public card shows no decisions and no one", () => {
    const card = presentCase(caseWith([referral([response()])], { restricted: true }), {
      today: TODAY,
      audience: "public",
    });
    expect(JSON.stringify(caseCardMessage(card, { history: true }))).not.toContain(APPROVER);
  });
});

describe("the case card's Historik button", () => {
  const card = presentCase(caseWith([]), { today: TODAY, audience: "full" });

  it("is there when asked for, next to Dela i kanalen, and names only the case", () => {
    const message = caseCardMessage(card, { shareable: true, history: true });
    const [button] = historyButtons(message);
    expect(button).toMatchObject({ type: "button", text: { text: "Historik" } });
    const value = button?.type === "button" ? button.value : undefined;
    expect(historyButtonValue.parse(JSON.parse(value ?? "null"))).toEqual({ caseId: 4711, page: 1 });
    const actions = message.blocks.filter((block) => block.type === "actions");
    expect(actions).toHaveLength(1);
  });

  it("is not there otherwise (the card sent on remiss keeps its one button)", () => {
    expect(historyButtons(caseCardMessage(card))).toHaveLength(0);
    expect(historyButtons(caseCardMessage(card, { shareable: true }))).toHaveLength(0);
  });
});

describe("/arende hjälp", () => {
  it("lists historik, within one section's limit", () => {
    const [block] = helpMessage().blocks;
    const text = block?.type === "section" ? (block.text?.text ?? "") : "";
    expect(text).toContain("/arende historik Dnr 108-1642/2017");
    expect(text.length).toBeLessThanOrEqual(3000);
  });
});
