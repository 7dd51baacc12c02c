import { PGlite } from "@electric-sql/pglite";

/**
 * PostgreSQL's settings inside PGlite, given as start parameters so the data directory's own
 * postgresql.conf is left as it is.
 *
 * shared_buffers: PostgreSQL's default of 128 MB is allocated and touched inside PGlite's WebAssembly
 * memory at start-up, so it is resident from the first second whatever the registry's size. Pages
 * PGlite does not keep are read back from the files through the operating system's cache, cheaply: in
 * the bench (20,000 cases, PGlite in its worker) the bot's RSS after start-up and after the run was
 * 436/493 MB at 128 MB, 325/354 MB at 32 MB and 300/331 MB at 16 MB, at the same CPU per status
 * lookup (4.8–5.0 ms on a busy machine). At 8 MB: 276–294 after start-up, against 302–310 at 16 MB the
 * same day, and the bench's 2,000 first lookups of cases not yet cached at the same pace (375–404 a
 * second against 386–419).
 */
const SHARED_BUFFERS = "8MB";

export function pgliteStartParams(): string[] {
  return [...PGlite.defaultStartParams, "-c", `shared_buffers=${SHARED_BUFFERS}`];
}
