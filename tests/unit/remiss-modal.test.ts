import { describe, expect, it } from "vitest";
import { REFERRAL_ERRORS } from "../../src/modules/referrals/errors.js";
import type { RemissChoice } from "../../src/modules/referrals/prepare-remiss.js";
import {
  confirmDueDateModal,
  REMISS_ACTIONS,
  REMISS_BLOCKS,
  REMISS_VIEW,
  remissModal,
} from "../../src/slack/blocks/remiss-modal.js";
import { fieldErrors, readRemissView } from "../../src/slack/views/remiss-submitted.js";

const bodies = (count: number, open: number[] = []): RemissChoice[] =>
  Array.from({ length: count }, (_, index) => ({
    id: index + 1,
    name: `Nämnd ${String(index + 1).padStart(3, "0")} ${"med ett mycket långt namn ".repeat(index === 0 ? 5 : 0)}`.trim(),
    hasOpenRemiss: open.includes(index + 1),
  }));

const metadata = { caseId: 7, channelId: "C0REGISTRY" };
type Input = { type: string; block_id?: string; element?: Record<string, unknown>; optional?: boolean };

function modal(choices: RemissChoice[]) {
  return remissModal({
    caseLabel: "Dnr 108-1642/2017",
    title: "Bristerna <i> socialtjänsten",
    bodies: choices,
    metadata,
  });
}

describe("remissModal", () => {
  it("has the exported block and action ids, the callback id and the case in private_metadata", () => {
    const view = modal(bodies(3));
    expect(view.callback_id).toBe(REMISS_VIEW);
    expect(JSON.parse(view.private_metadata ?? "")).toEqual(metadata);
    const inputs = (view.blocks as Input[]).filter((block) => block.type === "input");
    expect(inputs.map((block) => [block.block_id, block.element?.action_id, block.element?.type])).toEqual([
      [REMISS_BLOCKS.bodies, REMISS_ACTIONS.bodies, "multi_static_select"],
      [REMISS_BLOCKS.dueOn, REMISS_ACTIONS.dueOn, "datepicker"],
      [REMISS_BLOCKS.message, REMISS_ACTIONS.message, "plain_text_input"],
    ]);
    expect(inputs[2]?.optional).toBe(true);
    expect(inputs[2]?.element).toMatchObject({ multiline: true, max_length: 1000 });
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(JSON.stringify(view.blocks)).toContain("Bristerna &lt;i&gt; socialtjänsten");
  });

  it("keeps to Slack's limits: at most 100 options of at most 75 characters, bodies with an open remiss left out", () => {
    const view = modal(bodies(130, [2, 3]));
    const select = (view.blocks as Input[]).find((block) => block.block_id === REMISS_BLOCKS.bodies);
    const options = select?.element?.options as { text: { text: string }; value: string }[];
    expect(options).toHaveLength(100);
    expect(options.every((option) => option.text.text.length <= 75)).toBe(true);
    expect(options.map((option) => option.value)).not.toContain("2");
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const text = JSON.stringify(view.blocks);
    expect(text).toContain("Har redan en öppen remiss i ärendet: Nämnd 002 och Nämnd 003");
    expect(text).toContain("28 organ till ryms inte i listan");
  });

  it("asks to confirm a non-working-day date with the choices kept and the date remembered", () => {
    const view = modal(bodies(3));
    const again = confirmDueDateModal(
      { blocks: view.blocks as never, title: view.title },
      {
        metadata,
        warning: "svarsdatumet infaller på en lördag",
        values: { bodyIds: [2], dueOn: "2017-04-29", message: "Hej" },
      },
    );
    expect(JSON.parse(again.private_metadata ?? "")).toEqual({ ...metadata, confirmedDueOn: "2017-04-29" });
    expect(again.submit?.text).toBe("Skicka ändå");
    const blocks = again.blocks as Input[];
    const ids = blocks.map((block) => block.block_id);
    expect(ids.indexOf(REMISS_BLOCKS.dueWarning)).toBe(ids.indexOf(REMISS_BLOCKS.dueOn) + 1);
    expect(blocks.find((block) => block.block_id === REMISS_BLOCKS.bodies)?.element?.initial_options).toEqual(
      [{ text: { type: "plain_text", text: "Nämnd 002" }, value: "2" }],
    );
    expect(blocks.find((block) => block.block_id === REMISS_BLOCKS.dueOn)?.element?.initial_date).toBe(
      "2017-04-29",
    );
    expect(blocks.find((block) => block.block_id === REMISS_BLOCKS.message)?.element?.initial_value).toBe(
      "Hej",
    );
    // Warned twice, the warning appears once.
    const twice = confirmDueDateModal(
      { blocks: again.blocks as never, title: again.title },
      {
        metadata,
        warning: "svarsdatumet infaller på en söndag",
        values: { bodyIds: [], dueOn: "2017-04-30", message: null },
      },
    );
    expect(twice.blocks.filter((block) => block.block_id === REMISS_BLOCKS.dueWarning)).toHaveLength(1);
  });
});

const state = (
  values: Record<string, Record<string, unknown>>,
  privateMetadata = JSON.stringify(metadata),
) => ({
  private_metadata: privateMetadata,
  state: { values: values as never },
});

describe("readRemissView", () => {
  it("reads bodies, date and message from the view state", () => {
    const read = readRemissView(
      state({
        [REMISS_BLOCKS.bodies]: {
          [REMISS_ACTIONS.bodies]: {
            type: "multi_static_select",
            selected_options: [{ value: "3" }, { value: "12" }],
          },
        },
        [REMISS_BLOCKS.dueOn]: {
          [REMISS_ACTIONS.dueOn]: { type: "datepicker", selected_date: "2017-04-28" },
        },
        [REMISS_BLOCKS.message]: { [REMISS_ACTIONS.message]: { type: "plain_text_input", value: null } },
      }),
    );
    expect(read).toEqual({
      ok: true,
      metadata,
      remiss: { caseId: 7, bodyIds: [3, 12], dueOn: "2017-04-28", message: null, confirmedDueOn: null },
    });
  });

  it("treats missing inputs as empty, so the use case names what is missing", () => {
    expect(readRemissView(state({}))).toMatchObject({
      ok: true,
      remiss: { bodyIds: [], dueOn: null, message: null },
    });
  });

  it("answers forged values and metadata with an error on the field", () => {
    const forged = readRemissView(
      state({
        [REMISS_BLOCKS.bodies]: { [REMISS_ACTIONS.bodies]: { selected_options: [{ value: "1 or 1=1" }] } },
        [REMISS_BLOCKS.dueOn]: { [REMISS_ACTIONS.dueOn]: { selected_date: 20170428 } },
      }),
    );
    expect(forged.ok).toBe(false);
    expect(Object.keys(forged.ok ? {} : forged.errors).sort()).toEqual(
      [REMISS_BLOCKS.bodies, REMISS_BLOCKS.dueOn].sort(),
    );
    for (const bad of [
      "",
      "not json",
      '{"caseId":-1,"channelId":"C1"}',
      '{"caseId":1,"channelId":"<script>"}',
    ]) {
      const read = readRemissView(state({}, bad));
      expect(read).toEqual({
        ok: false,
        errors: { [REMISS_BLOCKS.bodies]: expect.stringContaining("börja om") },
      });
    }
  });

  it("keys use-case field errors by block id, joining several on one field", () => {
    expect(
      fieldErrors([
        { field: "bodies", code: REFERRAL_ERRORS.noBodies },
        { field: "bodies", code: REFERRAL_ERRORS.alreadyOpen, params: { bodies: ["Socialnämnden"] } },
        {
          field: "dueOn",
          code: REFERRAL_ERRORS.dueInPast,
          params: { date: "2017-04-02", today: "2017-04-03" },
        },
      ]),
    ).toEqual({
      [REMISS_BLOCKS.bodies]:
        "Välj minst en remissinstans. Socialnämnden har redan en öppen remiss i ärendet. Ta bort den ur urvalet.",
      [REMISS_BLOCKS.dueOn]:
        "2 april 2017 har redan varit. Välj i dag (3 april 2017) eller ett senare datum.",
    });
  });
});
