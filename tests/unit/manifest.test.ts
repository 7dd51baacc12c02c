import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ServicesFor } from "../../src/services.js";
import { registerActions } from "../../src/slack/actions/register.js";
import { registerCommands } from "../../src/slack/commands/register.js";
import { registerEvents } from "../../src/slack/events/register.js";
import { SlackRouter } from "../../src/slack/router.js";
import { registerShortcuts } from "../../src/slack/shortcuts/register.js";
import { registerViews } from "../../src/slack/views/register.js";

const manifest = JSON.parse(readFileSync(new URL("../../manifest.json", import.meta.url), "utf8"));

/** What the listeners are registered for, without starting Slack. */
function registrations() {
  const router = new SlackRouter();
  const deps = { servicesFor: (() => ({})) as unknown as ServicesFor };
  registerCommands(router, deps);
  registerEvents(router, deps);
  registerActions(router, deps);
  registerViews(router, deps);
  registerShortcuts(router, deps);
  const { commands, events, buttons, messageShortcuts } = router.registered();
  return {
    commands,
    events,
    actions: buttons,
    shortcuts: messageShortcuts.map((callback_id) => ({ callback_id, type: "message_action" })),
  };
}

describe("the Slack app manifest", () => {
  const seen = registrations();

  it("declares exactly the slash commands the bot answers, with a usage hint", () => {
    const commands = manifest.features.slash_commands;
    expect(commands.map((command: { command: string }) => command.command)).toEqual(seen.commands);
    for (const command of commands) expect(command.usage_hint).toMatch(/status/);
  });

  it("shows `bevaka` in /arende's usage hint; following needs no scope beyond chat:write (DMs go to user ids)", () => {
    const arende = manifest.features.slash_commands.find(
      (command: { command: string }) => command.command === "/arende",
    );
    expect(arende.usage_hint).toContain("bevaka Dnr 108-1642/2017");
    expect(manifest.oauth_config.scopes.bot).toContain("chat:write");
    expect(manifest.oauth_config.scopes.bot).not.toContain("im:write");
    expect(seen.actions.length).toBeGreaterThan(0);
  });

  it("has Slack escape /arende's text, so a user picked with @ arrives as <@U…|name> for /arende roll", () => {
    const arende = manifest.features.slash_commands.find(
      (command: { command: string }) => command.command === "/arende",
    );
    expect(arende.should_escape).toBe(true);
  });

  it("subscribes to exactly the events the bot listens to", () => {
    // Message events are answered in direct messages only (the handler ignores other channel types).
    const expected = seen.events.map((type) => (type === "message" ? "message.im" : type)).sort();
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual(expected);
  });

  it("turns the Home tab on, which the bot publishes when app_home_opened arrives", () => {
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(seen.events).toContain("app_home_opened");
  });

  it("asks for no scope the bot does not use, and for each one it does", () => {
    const uploads = readFileSync(new URL("../../src/slack/web-poster.ts", import.meta.url), "utf8").includes(
      "files.uploadV2",
    );
    const expected = [
      "chat:write",
      ...(seen.commands.length > 0 ? ["commands"] : []),
      ...(seen.events.includes("app_mention") ? ["app_mentions:read"] : []),
      ...(seen.events.includes("message") ? ["im:history"] : []),
      // link_shared needs links:read; answering it with chat.unfurl needs links:write.
      ...(seen.events.includes("link_shared") ? ["links:read", "links:write"] : []),
      // The motion report is uploaded to the channel.
      ...(uploads ? ["files:write"] : []),
    ];
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(expected.sort());
  });

  it("declares exactly the message shortcuts the bot answers", () => {
    const declared = (manifest.features.shortcuts ?? []).map(
      (shortcut: { callback_id: string; type: string }) => ({
        callback_id: shortcut.callback_id,
        type: shortcut.type === "message" ? "message_action" : "shortcut",
      }),
    );
    expect(declared).toEqual(seen.shortcuts);
    expect(seen.shortcuts).toEqual([{ callback_id: "visa_arende", type: "message_action" }]);
  });

  it("names unfurl domains when it listens for shared links, and only then", () => {
    const domains: string[] = manifest.features.unfurl_domains ?? [];
    if (seen.events.includes("link_shared")) {
      expect(domains.length).toBeGreaterThan(0);
      // Slack takes at most five, as host names without a scheme.
      expect(domains.length).toBeLessThanOrEqual(5);
      for (const domain of domains) expect(domain).toMatch(/^[a-z0-9.-]+\.[a-z]{2,}$/);
    } else {
      expect(domains).toEqual([]);
    }
  });

  it("turns interactivity on, since the card has buttons, and points every URL at /slack/events", () => {
    expect(seen.actions.length).toBeGreaterThan(0);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    const urls = [
      manifest.settings.interactivity.request_url,
      manifest.settings.event_subscriptions.request_url,
      ...manifest.features.slash_commands.map((command: { url: string }) => command.url),
    ];
    for (const url of urls) expect(new URL(url).pathname).toBe("/slack/events");
  });
});
