import type { App } from "@slack/bolt";
import type { SlackDeps } from "../deps.js";
import { arendeCommand } from "./arende-command.js";

export function registerCommands(app: App, deps: SlackDeps): void {
  app.command("/arende", arendeCommand(deps));
}
