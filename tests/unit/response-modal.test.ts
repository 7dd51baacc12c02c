import { describe, expect, it } from "vitest";
import { RESPONSE_ERRORS, RESPONSE_LIMITS } from "../../src/modules/responses/errors.js";
import type { ResponseChoice } from "../../src/modules/responses/prepare-response.js";
import {
  DECLINED_VALUE,
  OPEN_RESPONSE_MODAL_ACTION,
  openResponseButtonValue,
  RESPONSE_ACTIONS,
  RESPONSE_BLOCKS,
  RESPONSE_VIEW,
  recordResponseActions,
  responseModal,
} from "../../src/slack/blocks/response-modal.js";
import { readResponseView, responseFieldErrors } from "../../src/slack/views/response-submitted.js";

const referrals = (count: number): ResponseChoice[] =>
  Array.from({ length: count }, (_, index) => ({
    referralId: index + 10,
    bodyId: index + 1,
    bodyName: `Nämnd ${index + 1}${index === 0 ? " med ett mycket långt namn".repeat(4) : ""}`,
    dueOn: index === 1 ? null : "2017-03-31",
  }));

const metadata = { caseId: 7, channelId: "C0SOCIAL" };
type Input = {
  type: string;
  block_id?: string;
  optional?: boolean;
  element?: Record<string, unknown> & { options?: { text: { text: string }; value: string }[] };
};

const modal = (choices: ResponseChoice[]) =>
  responseModal({
    caseLabel: "Dnr 108-1642/2017",
    title: "Bristerna <i> socialtjänsten",
    referrals: choices,
    today: "2017-04-03",
    metadata,
  });

describe("responseModal", () => {
  it("has the exported block and action ids, the callback id and the case in private_metadata", () => {
    const view = modal(referrals(2));
    expect(view.callback_id).toBe(RESPONSE_VIEW);
    expect(JSON.parse(view.private_metadata ?? "")).toEqual(metadata);
    const inputs = (view.blocks as Input[]).filter((block) => block.type === "input");
    expect(inputs.map((block) => [block.block_id, block.element?.action_id, block.element?.type])).toEqual([
      [RESPONSE_BLOCKS.referral, RESPONSE_ACTIONS.referral, "static_select"],
      [RESPONSE_BLOCKS.answeredOn, RESPONSE_ACTIONS.answeredOn, "datepicker"],
      [RESPONSE_BLOCKS.summary, RESPONSE_ACTIONS.summary, "plain_text_input"],
      [RESPONSE_BLOCKS.link, RESPONSE_ACTIONS.link, "url_text_input"],
      [RESPONSE_BLOCKS.declined, RESPONSE_ACTIONS.declined, "checkboxes"],
    ]);
    expect(inputs.map((block) => block.optional ?? false)).toEqual([false, false, true, true, true]);
    expect(JSON.stringify(view.blocks)).toContain("Bristerna &lt;i&gt; socialtjänsten");
  });

  it("lists each referral with its body and due date, defaults the date to today and bounds the summary", () => {
    const view = modal(referrals(2));
    const inputs = (view.blocks as Input[]).filter((block) => block.type === "input");
    const select = inputs[0]?.element;
    expect(select?.options?.map((option) => option.value)).toEqual(["10", "11"]);
    expect(select?.options?.[0]?.text.text.endsWith("(svar senast 31 mars 2017)")).toBe(true);
    expect(select?.options?.[0]?.text.text.length).toBeLessThanOrEqual(75);
    expect(select?.options?.[1]?.text.text).toBe("Nämnd 2");
    expect(select?.initial_option).toBeUndefined();
    expect(inputs[1]?.element?.initial_date).toBe("2017-04-03");
    expect(inputs[2]?.element).toMatchObject({
      multiline: true,
      max_length: RESPONSE_LIMITS.summaryMaxLength,
    });
    expect(inputs[4]?.element?.options).toEqual([
      { text: { type: "plain_text", text: "Avstår från att svara" }, value: DECLINED_VALUE },
    ]);
    expect(view.title).toEqual({ type: "plain_text", text: "Registrera remissvar" });
  });

  it("preselects the only referral, and keeps within Slack's 100 options", () => {
    const one = (modal(referrals(1)).blocks as Input[]).find((block) => block.type === "input");
    expect(one?.element?.initial_option).toMatchObject({ value: "10" });
    const many = modal(referrals(130));
    const select = (many.blocks as Input[]).find((block) => block.type === "input");
    expect(select?.element?.options).toHaveLength(100);
    expect(JSON.stringify(many.blocks)).toContain("30 remisser till ryms inte");
  });

  it("the card's button names only the case", () => {
    const actions = recordResponseActions(42);
    expect(actions.elements).toEqual([
      expect.objectContaining({
        type: "button",
        action_id: OPEN_RESPONSE_MODAL_ACTION,
        text: { type: "plain_text", text: "Registrera remissvar" },
        value: '{"caseId":42}',
      }),
    ]);
    expect(openResponseButtonValue.safeParse({ caseId: "1 or 1=1" }).success).toBe(false);
  });
});

describe("readResponseView", () => {
  const state = (values: Record<string, Record<string, unknown>>) => ({
    private_metadata: JSON.stringify(metadata),
    state: { values: values as never },
  });

  it("reads every field", () => {
    const read = readResponseView(
      state({
        [RESPONSE_BLOCKS.referral]: {
          [RESPONSE_ACTIONS.referral]: { type: "static_select", selected_option: { value: "10" } },
        },
        [RESPONSE_BLOCKS.answeredOn]: {
          [RESPONSE_ACTIONS.answeredOn]: { type: "datepicker", selected_date: "2017-04-01" },
        },
        [RESPONSE_BLOCKS.summary]: { [RESPONSE_ACTIONS.summary]: { type: "plain_text_input", value: "Ja" } },
        [RESPONSE_BLOCKS.link]: {
          [RESPONSE_ACTIONS.link]: { type: "url_text_input", value: "https://a.se" },
        },
        [RESPONSE_BLOCKS.declined]: {
          [RESPONSE_ACTIONS.declined]: { type: "checkboxes", selected_options: [{ value: DECLINED_VALUE }] },
        },
      }),
    );
    expect(read).toEqual({
      ok: true,
      metadata,
      response: {
        caseId: 7,
        referralId: 10,
        answeredOn: "2017-04-01",
        summary: "Ja",
        link: "https://a.se",
        declined: true,
      },
    });
  });

  it("an empty form is read as nothing chosen; the use case names what is missing", () => {
    const read = readResponseView(state({}));
    expect(read).toMatchObject({
      ok: true,
      response: { referralId: null, answeredOn: null, summary: null, link: null, declined: false },
    });
  });

  it("forged metadata or values are errors on their fields", () => {
    expect(readResponseView({ private_metadata: '{"caseId":"x"}', state: { values: {} } })).toEqual({
      ok: false,
      errors: { [RESPONSE_BLOCKS.referral]: expect.stringContaining("Formuläret gick inte att läsa") },
    });
    const forged = readResponseView(
      state({
        [RESPONSE_BLOCKS.referral]: {
          [RESPONSE_ACTIONS.referral]: { selected_option: { value: "1 or 1=1" } },
        },
      }),
    );
    expect(forged.ok).toBe(false);
    expect(Object.keys(forged.ok ? {} : forged.errors)).toEqual([RESPONSE_BLOCKS.referral]);
  });

  it("field errors are keyed by block id, several on one field joined", () => {
    expect(
      responseFieldErrors([
        { field: "summary", code: RESPONSE_ERRORS.summaryRequired },
        { field: "summary", code: RESPONSE_ERRORS.summaryTooLong, params: { max: 3000, length: 3001 } },
        { field: "link", code: RESPONSE_ERRORS.invalidLink, params: { max: 2000 } },
      ]),
    ).toEqual({
      [RESPONSE_BLOCKS.summary]:
        "Skriv en sammanfattning av svaret, eller kryssa i att organet avstår. Sammanfattningen får vara högst 3000 tecken (nu 3001).",
      [RESPONSE_BLOCKS.link]:
        "Länken måste vara en webbadress som börjar med https:// eller http:// (högst 2000 tecken).",
    });
  });
});
