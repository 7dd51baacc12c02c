import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { SlackDeps } from "../deps.js";

/**
 * The Home tab opened: it is published for the user (and kept up to date from then on). The Messages
 * tab sends the same event; it needs nothing. Slack sends no view the first time a user opens Home.
 */
export function appHomeOpened({ servicesFor }: SlackDeps) {
  return async ({ event, logger }: SlackEventMiddlewareArgs<"app_home_opened"> & AllMiddlewareArgs) => {
    if (event.tab !== "home") return;
    try {
      await servicesFor({ userId: event.user }).showHome({ shown: event.view !== undefined });
    } catch (error) {
      logger.error("publishing the Home tab failed", error);
    }
  };
}
