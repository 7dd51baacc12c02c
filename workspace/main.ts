import { parseArgs } from "node:util";
import { DEFAULT_START, startWorkspace } from "./start-workspace.js";

/** `npm run workspace [-- --port 3001 --start 2017-04-03T09:00:00+02:00]` */
const { values } = parseArgs({
  options: { port: { type: "string", default: "3001" }, start: { type: "string", default: DEFAULT_START } },
});
const workspace = await startWorkspace({ port: Number(values.port), startAt: values.start });
console.log(`arendebot's local workspace: ${workspace.url} (Ctrl-C stops it; nothing is kept)`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    workspace.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
