import type { Services } from "../services.js";
import type { SlackPoster } from "./web-poster.js";

/**
 * Everything a listener may use; registered once per Slack surface. `poster` posts to channels with
 * pacing and retries (the bot's posting client); without it, Bolt's own client is used.
 */
export type SlackDeps = { services: Services; poster?: SlackPoster };
