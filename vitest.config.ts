import { defineConfig } from "vitest/config";

/**
 * Tests that hold the bot to a time limit (answers within Slack's 3 s, Slack's pacing of one post a
 * second) measure the bot, not the machine: they run alone, after the rest of the suite.
 */
const ON_THE_CLOCK = [
  "tests/e2e/overload.test.ts",
  "tests/e2e/registry-unavailable.test.ts",
  "tests/e2e/digest-delivery.test.ts",
];

export default defineConfig({
  test: {
    globalSetup: ["tests/support/global-setup.ts"],
    // Holds every message the bot sends to a FakeSlack to Slack's limits.
    setupFiles: ["tests/support/slack-limits-guard.ts"],
    // Each file gets its own database; PGlite costs memory, and the machines have two cores.
    pool: "forks",
    testTimeout: 20_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "suite",
          include: ["tests/**/*.test.ts"],
          exclude: ON_THE_CLOCK,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: "on the clock",
          include: ON_THE_CLOCK,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
