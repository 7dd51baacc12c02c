#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm run build`, which `npm ci` runs through `prepare`).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const compiled = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(fileURLToPath(compiled))) {
  console.error(
    "arendebot is not built: dist/cli/main.js is missing.\nRun `npm run build` (or `npm ci`, which builds) in the arendebot folder and try again.",
  );
  process.exit(2);
}
await import(compiled.href);
