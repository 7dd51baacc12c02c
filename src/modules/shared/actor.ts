/** Who made a change; every audit event names one. */
export type Actor =
  | { type: "slack_user"; userId: string; name?: string }
  | { type: "system"; job: string }
  | { type: "import"; source: string }
  | { type: "cli"; user: string }
  /** An integration platform calling the HTTP API with one of the tokens `arendebot token skapa` made. */
  | { type: "api_token"; tokenId: number; name: string };

export function actorId(actor: Actor): string {
  switch (actor.type) {
    case "slack_user":
      return actor.userId;
    case "system":
      return actor.job;
    case "import":
      return actor.source;
    case "cli":
      return actor.user;
    case "api_token":
      return String(actor.tokenId);
  }
}

/**
 * Whoever reads every case in full without a role: the terminal's operator, a scheduled job, an
 * import. A Slack user reads by their roles; an API token reads as the public (see audience.ts).
 */
export function readsEverything(actor: Actor): boolean {
  return actor.type === "cli" || actor.type === "system" || actor.type === "import";
}
