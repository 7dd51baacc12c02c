import { readFileSync } from "node:fs";
import type { App } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import type { ServicesFor } from "../../src/services.js";
import { registerActions } from "../../src/slack/actions/register.js";
import { registerCommands } from "../../src/slack/commands/register.js";
import { registerEvents } from "../../src/slack/events/register.js";

const manifest = JSON.parse(readFileSync(new URL("../../manifest.json", import.meta.url), "utf8"));

/** Records what the listeners subscribe to, without starting Slack. */
function registrations() {
  const seen = { commands: [] as string[], events: [] as string[], messages: 0, actions: [] as string[] };
  const app = {
    command: (name: string) => seen.commands.push(name),
    event: (name: string) => seen.events.push(name),
    message: () => {
      seen.messages += 1;
    },
    action: (id: string) => seen.actions.push(id),
  } as unknown as App;
  const deps = { servicesFor: (() => ({})) as unknown as ServicesFor };
  registerCommands(app, deps);
  registerEvents(app, deps);
  registerActions(app, deps);
  return seen;
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
    // app.message listens to direct messages only (it ignores other channel types).
    const expected = [...seen.events, ...(seen.messages > 0 ? ["message.im"] : [])].sort();
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual(expected);
  });

  it("turns the Home tab on, which the bot publishes when app_home_opened arrives", () => {
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(seen.events).toContain("app_home_opened");
  });

  it("asks for no scope the bot does not use", () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(
      ["app_mentions:read", "chat:write", "commands", "im:history"].sort(),
    );
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
