import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signatureMatches } from "../../src/slack/http-guard.js";
import { type RequestArgs, SlackRouter } from "../../src/slack/router.js";

const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

function sign(timestamp: string, body: Buffer, secret = SECRET): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:`).update(body).digest("hex")}`;
}

describe("Slack's request signature", () => {
  const body = Buffer.from("command=%2Farende&text=status+Dnr+108-1642%2F2017");

  it("accepts the signature Slack computes over the timestamp and the body", () => {
    expect(signatureMatches(SECRET, "1531420618", body, sign("1531420618", body))).toBe(true);
  });

  it("refuses a changed body, another timestamp or another secret", () => {
    const signature = sign("1531420618", body);
    expect(signatureMatches(SECRET, "1531420618", Buffer.from(`${body}x`), signature)).toBe(false);
    expect(signatureMatches(SECRET, "1531420619", body, signature)).toBe(false);
    expect(signatureMatches("another secret", "1531420618", body, signature)).toBe(false);
  });

  it("refuses a signature of the wrong length or form without throwing", () => {
    const signature = sign("1531420618", body);
    for (const forged of ["", "v0=", signature.slice(0, -1), `${signature}0`, signature.toUpperCase()]) {
      expect(signatureMatches(SECRET, "1531420618", body, forged)).toBe(false);
    }
  });

  it("checks the bytes as sent, even where they are not UTF-8", () => {
    // Windows-1252 "å" in a form field: decoding it first would sign U+FFFD instead.
    const latin = Buffer.from([0x74, 0x65, 0x78, 0x74, 0x3d, 0xe5]);
    expect(signatureMatches(SECRET, "1", latin, sign("1", latin))).toBe(true);
    expect(signatureMatches(SECRET, "1", latin, sign("1", Buffer.from(latin.toString("utf8"))))).toBe(false);
  });
});

describe("the router", () => {
  const bot = { botId: "B0BOT", botUserId: "U0BOT" };

  function routed() {
    const calls: string[] = [];
    const router = new SlackRouter();
    router.command("/arende", async ({ command }) => void calls.push(`command ${command.text}`));
    router.button("case_card.share", async () => void calls.push("share"));
    router.button("history.older", async () => void calls.push("older"));
    router.submission("remiss", async () => void calls.push("remiss submitted"));
    router.messageShortcut("visa_arende", async () => void calls.push("shortcut"));
    router.event("app_mention", async ({ event }) => void calls.push(`mention ${event.text}`));
    router.event("message", async () => void calls.push("message"));
    return { calls, router };
  }

  /** A request as Bolt's global middleware receives it, with its ack and logger recorded. */
  function request(fields: Record<string, unknown>, body: Record<string, unknown>) {
    const acks: unknown[] = [];
    const logged: string[] = [];
    const args = {
      body,
      context: { ...bot },
      logger: { info: (line: string) => void logged.push(line) },
      ...(body.type === "event_callback" ? {} : { ack: async (answer?: unknown) => void acks.push(answer) }),
      ...fields,
    } as unknown as RequestArgs;
    return { args, acks, logged };
  }

  const button = (actionId: string) => {
    const action = { type: "button", action_id: actionId };
    return request({ action, payload: action }, { type: "block_actions", actions: [action] });
  };
  const event = (payload: Record<string, unknown>) =>
    request({ event: payload, payload }, { type: "event_callback", event: payload });

  it("hands each command, button, form, shortcut and event to its own listener", async () => {
    const { calls, router } = routed();
    const command = { command: "/arende", text: "status Dnr 108-1642/2017" };
    await router.route(request({ command, payload: command }, command).args);
    await router.route(button("history.older").args);
    await router.route(button("case_card.share").args);
    const view = { callback_id: "remiss" };
    await router.route(request({ view, payload: view }, { type: "view_submission", view }).args);
    const shortcut = { type: "message_action", callback_id: "visa_arende" };
    await router.route(request({ shortcut, payload: shortcut }, shortcut).args);
    await router.route(event({ type: "app_mention", user: "U1", text: "status 108-1642/2017" }).args);
    expect(calls).toEqual([
      "command status Dnr 108-1642/2017",
      "older",
      "share",
      "remiss submitted",
      "shortcut",
      "mention status 108-1642/2017",
    ]);
  });

  it("acknowledges at once, and logs, what it has no listener for: no listener runs", async () => {
    const { calls, router } = routed();
    const unknownButton = button("case_card.share2");
    await router.route(unknownButton.args);
    expect(unknownButton.acks).toEqual([undefined]);
    expect(unknownButton.logged).toEqual(['acknowledged an unknown action "case_card.share2"']);

    const closed = { callback_id: "remiss" };
    const closing = request({ view: closed, payload: closed }, { type: "view_closed", view: closed });
    await router.route(closing.args);
    expect(closing.acks).toHaveLength(1);

    const global = { type: "shortcut", callback_id: "visa_arende" };
    const globalShortcut = request({ shortcut: global, payload: global }, global);
    await router.route(globalShortcut.args);
    expect(globalShortcut.acks).toHaveLength(1);

    const other = { command: "/annat", text: "" };
    const otherCommand = request({ command: other, payload: other }, other);
    await router.route(otherCommand.args);
    expect(otherCommand.acks).toEqual([
      expect.objectContaining({ response_type: "ephemeral", text: expect.stringContaining("/arende hjälp") }),
    ]);
    expect(otherCommand.logged).toEqual(['acknowledged an unknown command "/annat"']);

    const suggestion = { type: "block_suggestion", action_id: "case_card.share", value: "10" };
    const options = request({ options: suggestion, payload: suggestion }, suggestion);
    await router.route(options.args);
    expect(options.acks).toEqual([{ options: [] }]);

    // A select forged with a button's id is not a click on that button.
    const select = { type: "static_select", action_id: "case_card.share" };
    const forged = request({ action: select, payload: select }, { type: "block_actions", actions: [select] });
    await router.route(forged.args);
    expect(forged.acks).toEqual([undefined]);
    expect(calls).toEqual([]);
  });

  it("leaves out the bot's own posts and what its own user did, as Bolt's ignoreSelf does", async () => {
    const { calls, router } = routed();
    await router.route(event({ type: "message", subtype: "bot_message", bot_id: "B0BOT", text: "x" }).args);
    await router.route(event({ type: "app_mention", user: "U0BOT", text: "status 1" }).args);
    await router.route(event({ type: "message", user: "U0BOT", text: "status 1" }).args);
    expect(calls).toEqual([]);
    await router.route(event({ type: "message", subtype: "bot_message", bot_id: "B0OTHER", text: "x" }).args);
    await router.route(event({ type: "app_mention", user: "U1", text: "status 2" }).args);
    expect(calls).toEqual(["message", "mention status 2"]);
  });

  it("refuses a second listener for the same id", () => {
    const { router } = routed();
    expect(() => router.button("history.older", async () => {})).toThrow(/two listeners/);
  });
});
