/** Who made a change; every audit event names one. */
export type Actor =
  | { type: "slack_user"; userId: string; name?: string }
  | { type: "system"; job: string }
  | { type: "import"; source: string }
  | { type: "cli"; user: string };

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
  }
}
