import { readFile } from "node:fs/promises";

/**
 * `npx tsx bench/cpu-profile.ts <file.cpuprofile> [rows]`: where a CPU profile written by
 * BENCH_CPU_PROF (node --cpu-prof) spent its time, by self time: per function, and per package or
 * source file, so a cost in a dependency is seen as one figure.
 */
type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
};
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

const [file, rowsArgument] = process.argv.slice(2);
if (!file) {
  console.error("usage: tsx bench/cpu-profile.ts <file.cpuprofile> [rows]");
  process.exit(2);
}
const rows = Number(rowsArgument ?? 25);
const profile = JSON.parse(await readFile(file, "utf8")) as Profile;

// Self time per node: each sample's time delta belongs to the node it sampled.
const selfUs = new Map<number, number>();
profile.samples.forEach((id, index) => {
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
});
const byFunction = new Map<string, number>();
const byPlace = new Map<string, number>();
let totalUs = 0;
let idleUs = 0;
for (const node of profile.nodes) {
  const us = selfUs.get(node.id) ?? 0;
  const { functionName, url, lineNumber } = node.callFrame;
  totalUs += us;
  if (functionName === "(idle)") idleUs += us;
  const place = placeOf(url) || functionName;
  const name = `${functionName || "(anonymous)"} ${place}${url ? `:${lineNumber + 1}` : ""}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  byPlace.set(place, (byPlace.get(place) ?? 0) + us);
}

/** A package (node_modules/<name>), node's own modules, or the path under the project. */
function placeOf(url: string): string {
  if (url === "") return "";
  if (url.startsWith("node:")) return url;
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packageMatch) return packageMatch[1] as string;
  const project = /\/(src|dist|bench|tests)\/(.*)$/.exec(url);
  return project ? `${project[1]}/${project[2]}` : url;
}

const busyUs = totalUs - idleUs;
const print = (title: string, entries: Map<string, number>) => {
  console.log(`\n${title} (self time, % of busy time)`);
  for (const [name, us] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, rows)) {
    if (name.startsWith("(idle)")) continue;
    console.log(
      `${((100 * us) / busyUs).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}`,
    );
  }
};
console.log(`${file}: ${(busyUs / 1000).toFixed(0)} ms busy, ${(idleUs / 1000).toFixed(0)} ms idle`);
print("by package or file", byPlace);
print("by function", byFunction);
