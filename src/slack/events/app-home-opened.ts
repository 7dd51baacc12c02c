import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { SlackDeps } from "../deps.js";

/**
 * The Home tab opened: it is published for the user (and kept up to date from then on). The Messages
 * tab sends the same event; it needs nothing.
 */
export function appHomeOpened({ servicesFor }: SlackDeps) {
  return async ({ event, logger }: SlackEventMiddlewareArgs<"app_home_opened"> & AllMiddlewareArgs) => {
    if (event.tab !== "home") return;
    try {
      await servicesFor({ userId: event.user }).showHome();
    } catch (error) {
      logger.error("publishing the Home tab failed", error);
    }
  };
}
