import type { Database } from "../../src/db/client.js";
import {
  bodies,
  caseIdentifiers,
  cases,
  referralResponses,
  referrals,
  registries,
  timelineEntries,
} from "../../src/db/schema.js";
import { dnrKey, seriesKey } from "../../src/modules/identifiers/parse-identifier.js";

type NewCase = typeof cases.$inferInsert;
type NewReferral = Omit<typeof referrals.$inferInsert, "caseId" | "bodyId"> & { body: string };
type NewTimelineEntry = Omit<typeof timelineEntries.$inferInsert, "caseId" | "position" | "bodyId"> & {
  body?: string;
};

export type SeedCase = Omit<NewCase, "registryId" | "dnrKey" | "responsibleBodyId" | "addressedToBodyId"> & {
  registry?: string;
  responsibleBody?: string;
  identifiers?: string[];
  referrals?: (NewReferral & { responses?: Omit<typeof referralResponses.$inferInsert, "referralId">[] })[];
  timeline?: NewTimelineEntry[];
};

/** Typed rows for tests: the tests say what they need, and the schema checks it at compile time. */
export class Seeder {
  private bodyIds = new Map<string, number>();
  private registryIds = new Map<string, number>();

  constructor(private readonly db: Database) {}

  async registry(code = "stockholm-ks", name = "Stockholms stad, kommunstyrelsen"): Promise<number> {
    const known = this.registryIds.get(code);
    if (known) return known;
    const [row] = await this.db.insert(registries).values({ code, name }).returning({ id: registries.id });
    if (!row) throw new Error("registry not inserted");
    this.registryIds.set(code, row.id);
    return row.id;
  }

  async body(
    name: string,
    kind: typeof bodies.$inferInsert.kind = "board",
    slackChannelId?: string,
  ): Promise<number> {
    const known = this.bodyIds.get(name);
    if (known) return known;
    const code = name.toLowerCase().replace(/[^a-zåäö0-9]+/g, "-");
    const [row] = await this.db
      .insert(bodies)
      .values({ code, name, kind, slackChannelId: slackChannelId ?? null })
      .returning({ id: bodies.id });
    if (!row) throw new Error("body not inserted");
    this.bodyIds.set(name, row.id);
    return row.id;
  }

  async case(seed: SeedCase): Promise<number> {
    const registryId = await this.registry(seed.registry);
    const responsibleBodyId = seed.responsibleBody ? await this.body(seed.responsibleBody) : null;
    const [row] = await this.db
      .insert(cases)
      .values({
        ...seed,
        registryId,
        responsibleBodyId,
        dnrKey: seed.dnr ? dnrKey(seed.dnr) : null,
      })
      .returning({ id: cases.id });
    if (!row) throw new Error("case not inserted");
    for (const display of seed.identifiers ?? []) {
      const key = seriesKey(display);
      if (!key) throw new Error(`not a series number: ${display}`);
      await this.db.insert(caseIdentifiers).values({ caseId: row.id, display, key });
    }
    for (const { body, responses, ...referral } of seed.referrals ?? []) {
      const [inserted] = await this.db
        .insert(referrals)
        .values({ ...referral, caseId: row.id, bodyId: await this.body(body) })
        .returning({ id: referrals.id });
      if (!inserted) throw new Error("referral not inserted");
      for (const response of responses ?? []) {
        await this.db.insert(referralResponses).values({ ...response, referralId: inserted.id });
      }
    }
    let position = 0;
    for (const { body, ...entry } of seed.timeline ?? []) {
      position += 1;
      await this.db
        .insert(timelineEntries)
        .values({ ...entry, caseId: row.id, position, bodyId: body ? await this.body(body) : null });
    }
    return row.id;
  }
}
