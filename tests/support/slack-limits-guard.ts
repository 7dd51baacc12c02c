import { afterAll, afterEach } from "vitest";
import { takeLimitViolations } from "./fake-slack.js";

/**
 * Every message and view the bot sends to a FakeSlack in any test is held to Slack's limits
 * (workspace/slack-limits.ts): one past them fails the test that made the bot send it.
 */
function failOnViolations(): void {
  const found = takeLimitViolations();
  if (found.length === 0) return;
  const lines = found.flatMap(({ method, violations }) =>
    violations.map((violation) => `${method}: ${violation.path}: ${violation.problem}`),
  );
  throw new Error(`the bot sent Slack something past its limits:\n${lines.join("\n")}`);
}

afterEach(failOnViolations);
afterAll(failOnViolations);
