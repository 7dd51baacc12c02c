import { describe, expect, it } from "vitest";
import type { DecisionContext } from "../../src/modules/responses/decisions.repository.js";
import {
  type ResponseView,
  SUMMARY_WITHHELD_NOTICE,
  viewResponse,
} from "../../src/modules/responses/present-response.js";
import {
  APPROVE_RESPONSE_ACTION,
  approvalButtonValue,
  REJECT_RESPONSE_ACTION,
} from "../../src/slack/blocks/approval-ids.js";
import {
  APPROVAL_ACTIONS_BLOCK,
  approvalRequestMessage,
  responseAwaitsApprovalMessage,
} from "../../src/slack/blocks/approval-request.js";

const context = (overrides: Partial<DecisionContext> = {}): DecisionContext => ({
  responseId: 17,
  kind: "answer",
  documentTitle: "Tjänsteutlåtande",
  summary: "Nämnden <tillstyrker> & föreslår\natt motionen anses besvarad.",
  link: "https://example.org/a|b>c",
  answeredOn: "2017-03-30",
  submittedByName: "handläggare",
  submittedBySlackUserId: "U0HANDL01",
  approvalState: "pending",
  referralId: 5,
  referralState: "open",
  bodyId: 7,
  bodyName: "Socialnämnden",
  caseId: 3,
  dnr: "108-1642/2017",
  firstIdentifier: null,
  title: "Hemlig titel om en enskild",
  publicTitle: "Sekretess",
  restricted: false,
  officerSlackUserId: null,
  responsibleBodyId: 1,
  responsibleBodyChannelId: null,
  ...overrides,
});

const request = (
  overrides: Partial<DecisionContext> = {},
  audience: "full" | "public" = "full",
): ResponseView => viewResponse(context(overrides), audience);

type Button = {
  type: string;
  action_id: string;
  style?: string;
  value: string;
  text: { text: string };
  confirm?: {
    title: { text: string };
    text: { text: string };
    confirm: { text: string };
    deny: { text: string };
  };
};
const buttons = (message: { blocks: unknown[] }) => {
  const actions = (message.blocks as { type: string; block_id?: string; elements?: Button[] }[]).find(
    (block) => block.type === "actions",
  );
  return { blockId: actions?.block_id, elements: actions?.elements ?? [] };
};
const shown = (message: { text: string; blocks: unknown[] }) =>
  `${message.text}\n${JSON.stringify(message.blocks)}`;

describe("approvalRequestMessage", () => {
  it("has Godkänn (primary) and Avslå (danger), each naming only the response and asking to confirm", () => {
    const message = approvalRequestMessage(request());
    const { blockId, elements } = buttons(message);
    expect(blockId).toBe(APPROVAL_ACTIONS_BLOCK);
    expect(elements.map((button) => [button.action_id, button.style, button.text.text])).toEqual([
      [APPROVE_RESPONSE_ACTION, "primary", "Godkänn"],
      [REJECT_RESPONSE_ACTION, "danger", "Avslå"],
    ]);
    for (const button of elements) {
      expect(approvalButtonValue.parse(JSON.parse(button.value))).toEqual({ responseId: 17 });
      expect(JSON.parse(button.value)).toEqual({ responseId: 17 });
      expect(button.confirm?.deny.text).toBe("Avbryt");
      expect(button.confirm?.text.text.length).toBeLessThanOrEqual(300);
    }
    expect(elements[0]?.confirm).toMatchObject({
      title: { text: "Godkänna remissvaret?" },
      confirm: { text: "Godkänn" },
    });
    expect(elements[1]?.confirm).toMatchObject({
      title: { text: "Avslå remissvaret?" },
      confirm: { text: "Avslå" },
    });
    expect(elements[1]?.confirm?.text.text).toContain("Remissen förblir öppen");
  });

  it("shows the summary escaped and quoted, the link, who submitted and the answer date", () => {
    const text = shown(approvalRequestMessage(request()));
    expect(text).toContain("Nämnden &lt;tillstyrker&gt; &amp; föreslår\\n>att motionen anses besvarad.");
    expect(text).not.toContain("<tillstyrker>");
    expect(text).toContain("<https://example.org/a%7Cb%3Ec|Öppna dokumentet>");
    expect(text).toContain("<@U0HANDL01>");
    expect(text).toContain("30 mars 2017");
    expect(text).toContain("Hemlig titel om en enskild");
  });

  it("bounds a long summary within a section's 3000 characters", () => {
    const message = approvalRequestMessage(request({ summary: "<&>".repeat(1000) }));
    for (const block of message.blocks as { text?: { text: string } }[]) {
      expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
    }
  });

  it("the public view of a restricted case: label and public title, no summary, document or link, and why", () => {
    const restricted = { restricted: true };
    const full = shown(approvalRequestMessage(request(restricted, "full")));
    expect(full).toContain("Hemlig titel om en enskild");
    expect(full).toContain("tillstyrker");
    const withheld = approvalRequestMessage(request(restricted, "public"));
    const text = shown(withheld);
    expect(text).not.toContain("Hemlig titel");
    expect(text).not.toContain("tillstyrker");
    expect(text).not.toContain("example.org");
    expect(text).toContain("Dnr 108-1642/2017");
    expect(text).toContain("Sekretess");
    expect(text).toContain(SUMMARY_WITHHELD_NOTICE);
    expect(buttons(withheld).elements).toHaveLength(2);
  });

  it("says when the body declines to answer", () => {
    const text = shown(
      approvalRequestMessage(request({ kind: "declined", summary: "Avstår från att svara.", link: null })),
    );
    expect(text).toContain("Socialnämnden avstår från att svara på remissen");
    expect(text).not.toContain("Öppna dokumentet");
  });
});

describe("responseAwaitsApprovalMessage", () => {
  const base = { caseLabel: "Dnr 108-1642/2017", bodyName: "Socialnämnden", failed: [], noApprover: false };
  it("names the godkännare asked", () => {
    const text = shown(responseAwaitsApprovalMessage({ ...base, approvers: ["U1", "U2"], channelId: null }));
    expect(text).toContain("väntar på godkännande");
    expect(text).toContain("<@U1>, <@U2>");
  });
  it("with no godkännare and no channel, says who can grant the role", () => {
    const text = shown(
      responseAwaitsApprovalMessage({ ...base, approvers: [], channelId: null, noApprover: true }),
    );
    expect(text).toContain("har ingen godkännare och ingen kanal");
    expect(text).toContain("/arende roll ge @namn godkännare Socialnämnden");
  });
});
