/**
 * A reason the bot cannot start that the operator can fix: its message is one or two lines that name
 * the cause and the variable to change, printed as is, without a stack trace.
 */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StartupError";
  }
}
