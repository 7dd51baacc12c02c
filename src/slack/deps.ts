import type { Services, ServicesFor } from "../services.js";
import type { SlackPoster } from "./web-poster.js";

/**
 * Everything a listener is registered with; once per Slack surface. A listener's first step binds
 * `servicesFor` to the request's sender, once per request. `poster` posts to channels with pacing and
 * retries (the bot's posting client); without it, Bolt's own client is used.
 */
export type SlackDeps = { servicesFor: ServicesFor; poster?: SlackPoster };

/** What the handling of one request uses: the services bound to its sender. */
export type RequestDeps = { services: Services };
