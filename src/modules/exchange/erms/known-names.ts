import { listBodies, listRegistries } from "../../import/import.repository.js";
import type { RequestContext } from "../../shared/context.js";
import type { KnownNames } from "./read-erms.js";

/** The registries and bodies already stored, which an ERMS file names by name rather than by code. */
export async function knownNames(ctx: Pick<RequestContext, "db">): Promise<KnownNames> {
  const [registries, bodies] = await Promise.all([listRegistries(ctx.db), listBodies(ctx.db)]);
  return {
    registries: registries.map(({ code, name }) => ({ code, name })),
    bodies: bodies.map(({ code, name }) => ({ code, name })),
  };
}
