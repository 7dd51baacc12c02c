import { readFile } from "node:fs/promises";
import { type Clock, fixedClock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { importRegistry } from "../../src/modules/import/import-registry.js";
import { jsonSource } from "../../src/modules/import/read-import-file.js";
import type { SeedApprovalMessage, SeedCase, Seeder } from "./seed-rows.js";

/** db/seed/demo.json: the two real Stockholm cases of 2017 and their bodies, the registry's own data. */
export const DEMO_FILE = new URL("../../db/seed/demo.json", import.meta.url).pathname;

/** The demo registry as `npm run db:seed` loads it: through the real importer, audited as an import. */
export async function seedDemoCases(db: Database, clock: Clock = fixedClock("2017-04-03T07:00:00Z")) {
  return importRegistry(
    { db, actor: { type: "import", source: "demo.json" }, clock },
    { source: jsonSource(await readFile(DEMO_FILE, "utf8"), "demo.json") },
  );
}

/** The demo's skrivelse, closed and answered: a case any test can ask about. */
export function seedClosedLetter(seed: Seeder) {
  return seed.case({
    dnr: "108-1642/2017",
    kind: "skrivelse",
    title: "Bristerna inom socialtjänsten",
    publicTitle: "Bristerna inom socialtjänsten",
    status: "closed",
    outcome: "Skrivelsen anses besvarad",
  });
}

/**
 * What the remiss and remissvar forms work on: Socialnämnden, Bromma and an external organisation as
 * bodies, an open skrivelse and an open motion, both Socialnämnden's. `motionReferrals` puts the
 * motion on remiss already.
 */
export async function seedRemissSetting(
  seed: Seeder,
  { motionReferrals }: { motionReferrals?: SeedCase["referrals"] } = {},
) {
  const socialnamnden = await seed.body("Socialnämnden", "board", "C0SOCIAL");
  const bromma = await seed.body("Bromma stadsdelsnämnd", "district_board", "C0BROMMA");
  await seed.body("Akademikerförbundet SSR", "external_organisation");
  const letter = await seed.case({
    dnr: "108-1642/2017",
    kind: "skrivelse",
    title: "Bristerna inom socialtjänsten",
    publicTitle: "Bristerna inom socialtjänsten",
    raisedOn: "2016-10-26",
    status: "in_progress",
    responsibleBody: "Socialnämnden",
  });
  const motion = await seed.case({
    dnr: "108-1700/2017",
    kind: "motion",
    title: "Motion om en kompetensutvecklingspeng för socialsekreterare",
    publicTitle: "Motion om en kompetensutvecklingspeng för socialsekreterare",
    raisedOn: "2016-03-01",
    status: "in_progress",
    responsibleBody: "Socialnämnden",
    ...(motionReferrals ? { referrals: motionReferrals } : {}),
  });
  return { socialnamnden, bromma, letter, motion };
}

export const SECRET_TITLE = "Orosanmälan gällande barn på Drottninggatan 5";
export const SECRET_SUMMARY = "Skolan anmäler misstänkt vanvård.";

/**
 * What `/arende status` is asked about in the conversation tests: the demo's skrivelse (closed) and
 * motion (on remiss, overdue), as typed rows, and a restricted case whose title and summary must
 * never reach a channel.
 */
export async function seedStatusCases(seed: Seeder) {
  const letter = await seed.case({
    dnr: "108-1642/2017",
    kind: "skrivelse",
    title: "Bristerna inom socialtjänsten",
    publicTitle: "Bristerna inom socialtjänsten",
    raisedBy: [{ name: "Lotta Edholm", party: "L" }],
    raisedOn: "2016-10-26",
    status: "closed",
    outcome: "Skrivelsen anses besvarad",
    responsibleBody: "kommunstyrelsen",
    identifiers: ["PM 2017:95 RVI+VIII"],
    timeline: [{ kind: "decision", body: "kommunstyrelsen", text: "Skrivelsen anses besvarad." }],
  });
  const motion = await seed.case({
    dnr: null,
    kind: "motion",
    title: "Motion om en kompetensutvecklingspeng för socialsekreterare",
    publicTitle: "Motion om en kompetensutvecklingspeng för socialsekreterare",
    raisedBy: [{ name: "Isabel Smedberg Palmqvist", party: "L" }],
    status: "in_progress",
    identifiers: ["Motion 2016:114"],
    referrals: [
      { body: "socialnämnden", dueOn: "2017-03-31", dueStatement: "ska senast vara inlämnad 31 mars 2017" },
      { body: "Bromma stadsdelsnämnd" },
    ],
  });
  const restricted = await seed.case({
    dnr: "108-2001/2017",
    kind: "other",
    title: SECRET_TITLE,
    publicTitle: "Sekretess",
    restricted: true,
    summary: SECRET_SUMMARY,
    raisedOn: "2017-02-01",
    officerName: "Kim Handläggare",
    officerSlackUserId: "UOFFICER",
    responsibleBody: "socialnämnden",
    status: "in_progress",
    timeline: [{ kind: "decision", body: "socialnämnden", text: "Utredning inleds." }],
  });
  return { letter, motion, restricted };
}

export type PendingRemissvar = {
  caseId: number;
  dnr: string;
  referralId: number;
  deadlineId: number;
  responseId: number;
  /** The approval request's copies, in the order given. */
  messages: { channelId: string; messageTs: string }[];
};

/**
 * A case of `responsibleBody` on remiss to `body`, overdue since Friday 31 March 2017 (watched by its
 * referral_due deadline), with a remissvar dated 22 March by `submittedBy` awaiting approval, and its
 * approval request posted where `copies` say. The bodies must be seeded first.
 */
export async function pendingRemissvar(
  seed: Seeder,
  {
    dnr,
    title,
    publicTitle = title,
    restricted = false,
    body = "Socialnämnden",
    responsibleBody = "Kommunstyrelsen",
    kind = "answer",
    submittedBy,
    copies,
  }: {
    dnr: string;
    title: string;
    publicTitle?: string;
    restricted?: boolean;
    body?: string;
    responsibleBody?: string;
    kind?: "answer" | "declined";
    submittedBy: string;
    copies: Omit<SeedApprovalMessage, "responseId">[];
  },
): Promise<PendingRemissvar> {
  const caseId = await seed.case({
    dnr,
    kind: "skrivelse",
    title,
    publicTitle,
    restricted,
    responsibleBody,
    status: "in_progress",
    referrals: [
      {
        body,
        sentOn: "2017-03-01",
        dueOn: "2017-03-31",
        dueStatement: "ska senast vara inlämnad 31 mars 2017",
        state: "open",
        responses: [
          {
            kind,
            documentTitle: "Tjänsteutlåtande",
            summary: "Motionen kan anses besvarad.",
            answeredOn: "2017-03-22",
            submittedByName: "handlaggare",
            submittedBySlackUserId: submittedBy,
            approvalState: "pending",
          },
        ],
      },
    ],
  });
  const referralId = await seed.referralId(caseId, body);
  const deadlineId = await seed.deadline({
    caseId,
    referralBody: body,
    kind: "referral_due",
    dueOn: "2017-03-31",
    basis: "Remissens svarsdatum",
    state: "open",
  });
  const responseId = await seed.responseId(referralId);
  await seed.approvalMessages(copies.map((copy) => ({ ...copy, responseId })));
  const messages = copies.map(({ channelId, messageTs }) => ({ channelId, messageTs }));
  return { caseId, dnr, referralId, deadlineId, responseId, messages };
}
