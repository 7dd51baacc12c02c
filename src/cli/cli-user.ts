import { userInfo } from "node:os";

/** Who runs the terminal command, for the audit trail; a container without a passwd entry has no name. */
export function cliUser(): string {
  try {
    return userInfo().username;
  } catch {
    return "okänd";
  }
}
