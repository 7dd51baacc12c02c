import { describe, expect, it } from "vitest";
import { checkAckBody, checkMessage, checkSlackCall, checkView } from "../../workspace/slack-limits.js";
import { checkAnswerToSlack, FakeSlack, takeLimitViolations } from "../support/fake-slack.js";

const section = (text: string) => ({ type: "section", text: { type: "mrkdwn", text } });
const button = (text: string, extra: Record<string, unknown> = {}) => ({
  type: "button",
  action_id: "a",
  text: { type: "plain_text", text },
  ...extra,
});
const paths = (violations: { path: string }[]) => violations.map((violation) => violation.path);

describe("Slack's limits on what the bot sends", () => {
  it("passes a message at the limits exactly", () => {
    const blocks = [
      { type: "header", text: { type: "plain_text", text: "h".repeat(150) } },
      section("s".repeat(3_000)),
      {
        type: "section",
        fields: Array.from({ length: 10 }, () => ({ type: "mrkdwn", text: "f".repeat(2_000) })),
      },
      { type: "actions", elements: [button("b".repeat(75), { style: "primary", value: "v".repeat(2_000) })] },
      { type: "context", elements: [{ type: "mrkdwn", text: "c" }] },
      { type: "divider" },
      ...Array.from({ length: 44 }, () => ({ type: "divider" })),
    ];
    expect(blocks).toHaveLength(50);
    expect(checkMessage({ text: "t", blocks })).toEqual([]);
  });

  it("names each limit passed by one: blocks, section text, header, button text, fields text", () => {
    const blocks = [
      { type: "header", text: { type: "plain_text", text: "h".repeat(151) } },
      section("s".repeat(3_001)),
      { type: "section", fields: [{ type: "mrkdwn", text: "f".repeat(2_001) }] },
      { type: "actions", elements: [button("b".repeat(76))] },
      ...Array.from({ length: 47 }, () => ({ type: "divider" })),
    ];
    const violations = checkMessage({ text: "t", blocks });
    expect(paths(violations)).toEqual([
      "blocks",
      "blocks[0].text.text",
      "blocks[1].text.text",
      "blocks[2].fields[0].text",
      "blocks[3].elements[0].text.text",
    ]);
    expect(violations[0]?.problem).toBe("51 block, högst 50");
    expect(violations[2]?.problem).toBe("3\u00a0001 tecken, högst 3\u00a0000");
  });

  it("holds views to 100 blocks and a title of 24 characters; a modal with inputs needs submit", () => {
    const input = {
      type: "input",
      block_id: "x",
      label: { type: "plain_text", text: "Fält" },
      element: { type: "plain_text_input", action_id: "x" },
    };
    const modal = {
      type: "modal",
      title: { type: "plain_text", text: "t".repeat(25) },
      blocks: [input, ...Array.from({ length: 100 }, () => ({ type: "divider" }))],
    };
    expect(paths(checkView(modal))).toEqual(["title.text", "submit", "blocks"]);
    expect(checkView({ type: "home", blocks: Array.from({ length: 100 }, () => section("s")) })).toEqual([]);
  });

  it("refuses a block type Slack does not know, an unknown button style and a too long confirm", () => {
    const blocks = [
      { type: "tabel" },
      {
        type: "actions",
        elements: [
          button("Ok", {
            style: "secondary",
            confirm: {
              title: { type: "plain_text", text: "t" },
              text: { type: "mrkdwn", text: "x".repeat(301) },
              confirm: { type: "plain_text", text: "Ja" },
              deny: { type: "plain_text", text: "Nej" },
            },
          }),
        ],
      },
    ];
    expect(paths(checkMessage({ text: "t", blocks }))).toEqual([
      "blocks[0].type",
      "blocks[1].elements[0].confirm.text.text",
      "blocks[1].elements[0].style",
    ]);
  });

  it("checks the bodies of the Web API methods and response_url that carry messages and views", () => {
    const long = { text: "t", blocks: [section("s".repeat(3_001))] };
    expect(checkSlackCall("chat.postMessage", long)).toHaveLength(1);
    expect(checkSlackCall("chat.update", long)).toHaveLength(1);
    expect(checkSlackCall("/response/click-1", long)).toHaveLength(1);
    expect(checkSlackCall("/response/click-1", { delete_original: true })).toEqual([]);
    expect(
      checkSlackCall("views.publish", { user_id: "U1", view: { type: "home", blocks: long.blocks } }),
    ).toHaveLength(1);
    expect(checkSlackCall("auth.test", {})).toEqual([]);
  });

  it("records what the bot sends a FakeSlack past the limits, for the guard that fails the test", async () => {
    const slack = new FakeSlack();
    await slack.start();
    try {
      await fetch(`${slack.apiUrl}chat.postMessage`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ channel: "C1", text: "t", blocks: [section("s".repeat(3_001))] }),
      });
      // Taken here, so that tests/support/slack-limits-guard.ts does not fail this test for it.
      expect(takeLimitViolations()).toEqual([
        {
          method: "chat.postMessage",
          violations: [{ path: "blocks[0].text.text", problem: "3\u00a0001 tecken, högst 3\u00a0000" }],
        },
      ]);
    } finally {
      await slack.stop();
    }
  });

  it("holds the bot's HTTP answers to Slack to the same limits: a command's message, a form's view", () => {
    const tooMany = Array.from({ length: 51 }, () => ({ type: "divider" }));
    expect(checkAckBody({ response_type: "ephemeral", text: "t", blocks: tooMany })).not.toEqual([]);
    const view = { type: "modal", title: { type: "plain_text", text: "t".repeat(25) }, blocks: [] };
    expect(checkAckBody({ response_action: "update", view })).not.toEqual([]);
    expect(checkAckBody({ response_action: "errors", errors: { field: "x".repeat(5_000) } })).toEqual([]);
    expect(checkAckBody({})).toEqual([]);

    checkAnswerToSlack(JSON.stringify({ text: "t", blocks: tooMany }));
    const recorded = takeLimitViolations();
    expect(recorded.map((entry) => entry.method)).toEqual(["HTTP answer"]);
  });
});
