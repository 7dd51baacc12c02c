import type { Services } from "../services.js";

/** Everything a listener may use; registered once per Slack surface. */
export type SlackDeps = { services: Services };
