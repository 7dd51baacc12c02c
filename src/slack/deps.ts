import type { Services, ServicesFor } from "../services.js";

/**
 * Everything a listener is registered with; once per Slack surface. A listener's first step binds
 * `servicesFor` to the request's sender, once per request.
 */
export type SlackDeps = { servicesFor: ServicesFor };

/** What the handling of one request uses: the services bound to its sender. */
export type RequestDeps = { services: Services };
