import type { App, MessageShortcut } from "@slack/bolt";
import type { SlackDeps } from "../deps.js";
import { SHOW_CASE_SHORTCUT, showMentionedCases } from "./show-mentioned-cases.js";

export function registerShortcuts(app: App, deps: SlackDeps): void {
  app.shortcut<MessageShortcut>(
    { callback_id: SHOW_CASE_SHORTCUT, type: "message_action" },
    showMentionedCases(deps),
  );
}
