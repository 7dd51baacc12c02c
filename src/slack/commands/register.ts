import type { SlackDeps } from "../deps.js";
import type { SlackRouter } from "../router.js";
import { arendeCommand } from "./arende-command.js";

export function registerCommands(router: SlackRouter, deps: SlackDeps): void {
  router.command("/arende", arendeCommand(deps));
}
