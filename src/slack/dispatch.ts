/**
 * One Bolt listener for many ids. Bolt runs every registered listener's matching middleware on every
 * request, each with a fresh copy of the arguments; with a listener per button and per form that was
 * the largest share of Bolt's cost in the bench's CPU profile (about 5% of a status lookup). So each
 * surface registers one listener for the exact ids it knows, which looks its handler up by id.
 *
 * Returns Bolt's constraint (a RegExp matching exactly those ids, which also tells the unknown-id
 * safety net what is known) and the listener.
 */
export function dispatchById<Args>(
  handlers: Readonly<Record<string, (args: Args) => Promise<void>>>,
  idOf: (args: Args) => string | undefined,
): [RegExp, (args: Args) => Promise<void>] {
  const table = new Map(Object.entries(handlers));
  const ids = [...table.keys()].map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const constraint = new RegExp(`^(?:${ids.join("|")})$`);
  const listener = async (args: Args) => {
    const id = idOf(args);
    const handler = id === undefined ? undefined : table.get(id);
    // The constraint let only these ids through, so a miss is a bug in this table, not user input.
    if (!handler) throw new Error(`no handler for ${JSON.stringify(id)}`);
    await handler(args);
  };
  return [constraint, listener];
}
