import type { App, BlockButtonAction } from "@slack/bolt";
import { SHARE_CASE_ACTION } from "../blocks/case-card.js";
import type { SlackDeps } from "../deps.js";
import { shareCaseCard } from "./share-case-card.js";

export function registerActions(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(SHARE_CASE_ACTION, shareCaseCard(deps));
}
