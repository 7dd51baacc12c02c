import { and, asc, eq } from "drizzle-orm";
import type { Database } from "../../src/db/client.js";
import {
  approvalMessages,
  bodies,
  caseIdentifiers,
  cases,
  deadlines,
  digestSubscriptions,
  memberships,
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

export type SeedDeadline = Omit<typeof deadlines.$inferInsert, "caseId" | "referralId" | "basis"> & {
  caseId: number;
  /** The body of the case's referral this deadline watches; a whole case's deadline without it. */
  referralBody?: string;
  basis?: string;
};

export type SeedRole = {
  user: string;
  role: (typeof memberships.$inferInsert)["role"];
  /** The body's name as seeded (or its id); none for admin. */
  body?: string | number;
  grantedBy?: string;
  grantedAt?: Date;
};

export type SeedApprovalMessage = Omit<typeof approvalMessages.$inferInsert, "id">;

export type SeedSubscription = Omit<
  typeof digestSubscriptions.$inferInsert,
  "id" | "weekday" | "time" | "createdBySlackUserId" | "createdAt" | "updatedAt"
> & {
  weekday?: number;
  time?: string;
  createdBySlackUserId?: string;
  /** When it was made (and last changed): a digest counts only periods after it. */
  madeAt: Date;
};

/** Who granted the roles the tests start with, and when, unless a test says otherwise. */
export const SEED_ADMIN = "U0ADMIN01";
const SEED_GRANTED_AT = new Date("2017-01-01T00:00:00Z");

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

  /** A deadline (bevakning) as the import or the deadline rules would store it. */
  async deadline({ caseId, referralBody, basis, ...values }: SeedDeadline): Promise<number> {
    const referralId = referralBody ? await this.referralId(caseId, referralBody) : null;
    const [row] = await this.db
      .insert(deadlines)
      .values({ ...values, caseId, referralId, basis: basis ?? `Bevakning i test (${values.kind})` })
      .returning({ id: deadlines.id });
    if (!row) throw new Error("deadline not inserted");
    return row.id;
  }

  /** People's roles, each for a body (by its seeded name or id) or, for admin, for the installation. */
  async roles(grants: readonly SeedRole[]): Promise<void> {
    const rows = [];
    for (const { user, role, body, grantedBy = SEED_ADMIN, grantedAt = SEED_GRANTED_AT } of grants) {
      const bodyId = typeof body === "string" ? await this.knownBody(body) : (body ?? null);
      rows.push({ slackUserId: user, bodyId, role, grantedBy, grantedAt });
    }
    if (rows.length > 0) await this.db.insert(memberships).values(rows);
  }

  /** Where an approval request was posted (a channel, or a godkännare's DM with its recipient). */
  async approvalMessages(copies: readonly SeedApprovalMessage[]): Promise<void> {
    if (copies.length > 0) await this.db.insert(approvalMessages).values([...copies]);
  }

  /** A channel's digest subscription, Monday 08:00 for everything unless the test says otherwise. */
  async digestSubscription({
    madeAt,
    weekday = 1,
    time = "08:00",
    createdBySlackUserId = SEED_ADMIN,
    ...settings
  }: SeedSubscription): Promise<number> {
    const [row] = await this.db
      .insert(digestSubscriptions)
      .values({ ...settings, weekday, time, createdBySlackUserId, createdAt: madeAt, updatedAt: madeAt })
      .returning({ id: digestSubscriptions.id });
    if (!row) throw new Error("subscription not inserted");
    return row.id;
  }

  async referralId(caseId: number, bodyName: string): Promise<number> {
    const [row] = await this.db
      .select({ id: referrals.id })
      .from(referrals)
      .innerJoin(bodies, eq(bodies.id, referrals.bodyId))
      .where(and(eq(referrals.caseId, caseId), eq(bodies.name, bodyName)));
    if (!row) throw new Error(`case ${caseId} has no referral to ${bodyName}`);
    return row.id;
  }

  /** The (first) remissvar recorded on a referral. */
  async responseId(referralId: number): Promise<number> {
    const [row] = await this.db
      .select({ id: referralResponses.id })
      .from(referralResponses)
      .where(eq(referralResponses.referralId, referralId))
      .orderBy(asc(referralResponses.id));
    if (!row) throw new Error(`referral ${referralId} has no response`);
    return row.id;
  }

  /** A body seeded here, or one already in the database (an import's), by its name. */
  private async knownBody(name: string): Promise<number> {
    const known = this.bodyIds.get(name);
    if (known) return known;
    const [row] = await this.db.select({ id: bodies.id }).from(bodies).where(eq(bodies.name, name));
    if (!row) throw new Error(`no body named ${name}: seed it first`);
    this.bodyIds.set(name, row.id);
    return row.id;
  }
}
