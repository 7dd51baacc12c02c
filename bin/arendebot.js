#!/usr/bin/env node
// Runs the TypeScript CLI directly; tsx is a runtime dependency so `npx arendebot` works from a clone.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
