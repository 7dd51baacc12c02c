/**
 * A reason the bot cannot start that the operator can fix, found where it happens (Slack refusing the
 * token, say): `reason` names the cause and the variable, `fix` says what to do. Printed as two lines
 * by explainStartupFailure, without a stack trace.
 */
export class StartupError extends Error {
  constructor(
    readonly reason: string,
    readonly fix: string,
  ) {
    super(`${reason} ${fix}`);
    this.name = "StartupError";
  }
}
