import type { SlackDeps } from "../deps.js";
import type { SlackRouter } from "../router.js";
import { SHOW_CASE_SHORTCUT, showMentionedCases } from "./show-mentioned-cases.js";

export function registerShortcuts(router: SlackRouter, deps: SlackDeps): void {
  router.messageShortcut(SHOW_CASE_SHORTCUT, showMentionedCases(deps));
}
