import { and, eq } from "drizzle-orm";
import type { Database } from "../../src/db/client.js";
import { bodies, deadlines, referrals } from "../../src/db/schema.js";
import { Seeder } from "./seed-rows.js";

type NewDeadline = typeof deadlines.$inferInsert;

export type SeedDeadline = Omit<NewDeadline, "caseId" | "referralId" | "basis"> & {
  caseId: number;
  /** The body of the case's referral this deadline watches; a whole case's deadline without it. */
  referralBody?: string;
  basis?: string;
};

/** The Seeder, plus the deadlines (bevakningar) that the import or the deadline rules would store. */
export class DeadlineSeeder extends Seeder {
  constructor(private readonly database: Database) {
    super(database);
  }

  async deadline({ caseId, referralBody, basis, ...values }: SeedDeadline): Promise<number> {
    const referralId = referralBody ? await this.referralId(caseId, referralBody) : null;
    const [row] = await this.database
      .insert(deadlines)
      .values({ ...values, caseId, referralId, basis: basis ?? `Bevakning i test (${values.kind})` })
      .returning({ id: deadlines.id });
    if (!row) throw new Error("deadline not inserted");
    return row.id;
  }

  async referralId(caseId: number, bodyName: string): Promise<number> {
    const [row] = await this.database
      .select({ id: referrals.id })
      .from(referrals)
      .innerJoin(bodies, eq(bodies.id, referrals.bodyId))
      .where(and(eq(referrals.caseId, caseId), eq(bodies.name, bodyName)));
    if (!row) throw new Error(`case ${caseId} has no referral to ${bodyName}`);
    return row.id;
  }
}
