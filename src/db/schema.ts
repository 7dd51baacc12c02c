import { relations, sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from "drizzle-orm/pg-core";

/**
 * Dates of cases are calendar dates in Europe/Stockholm, so they are stored as `date` and handled as
 * "YYYY-MM-DD" strings: a JavaScript Date would drag a time zone into a day that has none.
 * Every date a source document does not give is null; nothing is ever guessed.
 */
const day = (name: string) => date(name, { mode: "string" });
const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const id = () => integer("id").primaryKey().generatedAlwaysAsIdentity();

export const bodyKind = pgEnum("body_kind", [
  "council",
  "board",
  "district_board",
  "administration",
  "preparatory_body",
  "external_organisation",
]);

export const caseKind = pgEnum("case_kind", [
  "skrivelse",
  "motion",
  "medborgarforslag",
  "interpellation",
  "external_referral",
  "other",
]);

/** The case status values of FGS Ärendehantering 2.0 (CITS ERMS), so cases export without mapping. */
export const caseStatus = pgEnum("case_status", [
  "initiated",
  "in_progress",
  "on_hold",
  "open",
  "prepared",
  "received",
  "expedited",
  "closed",
  "ad_acta",
  "obliterated",
]);

export const referralState = pgEnum("referral_state", ["open", "answered", "declined", "withdrawn"]);
export const responseKind = pgEnum("response_kind", ["answer", "declined"]);
export const approvalState = pgEnum("approval_state", ["pending", "approved", "rejected"]);
export const timelineKind = pgEnum("timeline_kind", [
  "preparation",
  "proposal",
  "decision",
  "dissent",
  "statement",
]);
export const deadlineKind = pgEnum("deadline_kind", ["referral_due", "statutory", "policy", "custom"]);
export const deadlineState = pgEnum("deadline_state", ["open", "met", "cancelled"]);
export const actorType = pgEnum("actor_type", ["slack_user", "system", "import", "cli", "api_token"]);

export type Person = { name: string; party?: string | null; title?: string | null };

export const registries = pgTable("registries", {
  id: id(),
  code: text("code").notNull().unique(),
  name: text("name").notNull(),
});

export const bodies = pgTable(
  "bodies",
  {
    id: id(),
    code: text("code").notNull().unique(),
    name: text("name").notNull(),
    kind: bodyKind("kind").notNull(),
    slackChannelId: text("slack_channel_id"),
  },
  (t) => [index("bodies_slack_channel_idx").on(t.slackChannelId)],
);

export const cases = pgTable(
  "cases",
  {
    id: id(),
    registryId: integer("registry_id")
      .notNull()
      .references(() => registries.id),
    /** The registry's own display form, e.g. "108-1642/2017"; null when the sources do not give it. */
    dnr: text("dnr"),
    /** Normalised form for lookup and uniqueness (see parse-identifier.ts). */
    dnrKey: text("dnr_key"),
    kind: caseKind("kind").notNull(),
    title: text("title").notNull(),
    /** What may be shown in a channel or a public register when the case is restricted. */
    publicTitle: text("public_title").notNull(),
    restricted: boolean("restricted").notNull().default(false),
    summary: text("summary"),
    raisedBy: jsonb("raised_by").$type<Person[]>().notNull().default([]),
    raisedOn: day("raised_on"),
    receivedOn: day("received_on"),
    closedOn: day("closed_on"),
    addressedToBodyId: integer("addressed_to_body_id").references(() => bodies.id),
    responsibleBodyId: integer("responsible_body_id").references(() => bodies.id),
    officerName: text("officer_name"),
    officerSlackUserId: text("officer_slack_user_id"),
    status: caseStatus("status").notNull().default("open"),
    /** How the case was closed, e.g. "Skrivelsen anses besvarad". */
    outcome: text("outcome"),
    /** Where the registry files the case in its classification scheme (ERMS classification), as it says. */
    classification: text("classification"),
    /** The day the registry says the case is to be decided by (ERMS decision_deadline), kept as stated. */
    decisionDueOn: day("decision_due_on"),
    createdAt: instant("created_at").notNull().defaultNow(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("cases_registry_dnr_key_idx").on(t.registryId, t.dnrKey),
    // Search (modules/search): words stemmed as Swedish, so "socialsekreterare" finds
    // "socialsekreterarna". Expression indexes rather than stored columns, so that loading a case
    // never carries its vectors; the queries repeat these expressions exactly.
    index("cases_search_public_idx").using("gin", sql`to_tsvector('swedish'::regconfig, ${t.publicTitle})`),
    index("cases_search_full_idx").using(
      "gin",
      sql`to_tsvector('swedish'::regconfig, ${t.title} || ' ' || coalesce(${t.summary}, '') || ' ' || coalesce(${t.outcome}, ''))`,
    ),
    // Typo tolerance: a misspelt word still finds a title by its trigrams.
    index("cases_public_title_trgm_idx").using("gin", sql`${t.publicTitle} gin_trgm_ops`),
    index("cases_title_trgm_idx").using("gin", sql`${t.title} gin_trgm_ops`),
    // Status lookups search every registry by dnr key; the unique index above leads with the registry.
    index("cases_dnr_key_idx").on(t.dnrKey),
    index("cases_dnr_key_trgm_idx").using("gin", sql`${t.dnrKey} gin_trgm_ops`),
    index("cases_status_kind_idx").on(t.status, t.kind),
    index("cases_responsible_body_idx").on(t.responsibleBodyId),
  ],
);

/** Other numbers the same case is known by: "Motion 2016:114", "PM 2017:95 RVI+VIII". */
export const caseIdentifiers = pgTable(
  "case_identifiers",
  {
    id: id(),
    caseId: integer("case_id")
      .notNull()
      .references(() => cases.id, { onDelete: "cascade" }),
    display: text("display").notNull(),
    key: text("key").notNull(),
  },
  (t) => [
    uniqueIndex("case_identifiers_case_key_idx").on(t.caseId, t.key),
    index("case_identifiers_key_idx").on(t.key),
    index("case_identifiers_key_trgm_idx").using("gin", sql`${t.key} gin_trgm_ops`),
  ],
);

export const referrals = pgTable(
  "referrals",
  {
    id: id(),
    caseId: integer("case_id")
      .notNull()
      .references(() => cases.id, { onDelete: "cascade" }),
    bodyId: integer("body_id")
      .notNull()
      .references(() => bodies.id),
    sentOn: day("sent_on"),
    /** The due date exactly as the remiss states it; never moved by holiday rules. */
    dueOn: day("due_on"),
    /** The remiss's own words for the due date, e.g. "ska senast vara inlämnad 31 mars 2017". */
    dueStatement: text("due_statement"),
    state: referralState("state").notNull().default("open"),
    answeredOn: day("answered_on"),
    createdAt: instant("created_at").notNull().defaultNow(),
  },
  (t) => [
    index("referrals_case_idx").on(t.caseId),
    index("referrals_body_state_idx").on(t.bodyId, t.state),
    index("referrals_state_due_idx").on(t.state, t.dueOn),
    // One open remiss per body and case; answered ones may be followed by a new remiss.
    uniqueIndex("referrals_one_open_per_body_idx").on(t.caseId, t.bodyId).where(sql`${t.state} = 'open'`),
  ],
);

export const referralResponses = pgTable(
  "referral_responses",
  {
    id: id(),
    referralId: integer("referral_id")
      .notNull()
      .references(() => referrals.id, { onDelete: "cascade" }),
    kind: responseKind("kind").notNull().default("answer"),
    /** Title of the answering document, e.g. "Tjänsteutlåtande". */
    documentTitle: text("document_title"),
    summary: text("summary").notNull(),
    link: text("link"),
    answeredOn: day("answered_on"),
    submittedByName: text("submitted_by_name"),
    submittedBySlackUserId: text("submitted_by_slack_user_id"),
    submittedAt: instant("submitted_at").notNull().defaultNow(),
    approvalState: approvalState("approval_state").notNull().default("pending"),
    decidedByName: text("decided_by_name"),
    decidedBySlackUserId: text("decided_by_slack_user_id"),
    decidedAt: instant("decided_at"),
    decisionReason: text("decision_reason"),
  },
  (t) => [
    index("referral_responses_referral_idx").on(t.referralId),
    index("referral_responses_approval_idx").on(t.approvalState),
  ],
);

/** Proposals, decisions, dissents (reservationer) and special statements, in the order they happened. */
export const timelineEntries = pgTable(
  "timeline_entries",
  {
    id: id(),
    caseId: integer("case_id")
      .notNull()
      .references(() => cases.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    kind: timelineKind("kind").notNull(),
    bodyId: integer("body_id").references(() => bodies.id),
    occurredOn: day("occurred_on"),
    /** The document it stands in, e.g. "PM 2017:95 RVI+VIII". */
    reference: text("reference"),
    people: jsonb("people").$type<Person[]>().notNull().default([]),
    text: text("text").notNull(),
  },
  (t) => [uniqueIndex("timeline_entries_case_position_idx").on(t.caseId, t.position)],
);

export const deadlines = pgTable(
  "deadlines",
  {
    id: id(),
    caseId: integer("case_id")
      .notNull()
      .references(() => cases.id, { onDelete: "cascade" }),
    referralId: integer("referral_id").references(() => referrals.id, { onDelete: "cascade" }),
    kind: deadlineKind("kind").notNull(),
    dueOn: day("due_on").notNull(),
    /** Why this date: the law, the local policy or the remiss that sets it. */
    basis: text("basis").notNull(),
    state: deadlineState("state").notNull().default("open"),
    metOn: day("met_on"),
  },
  (t) => [
    index("deadlines_case_idx").on(t.caseId),
    uniqueIndex("deadlines_referral_kind_idx").on(t.referralId, t.kind),
    // A case has at most one computed deadline of each kind (the statutory target or the local policy).
    uniqueIndex("deadlines_case_kind_idx").on(t.caseId, t.kind).where(sql`${t.referralId} IS NULL`),
    index("deadlines_state_due_idx").on(t.state, t.dueOn),
  ],
);

/** Append-only: a trigger in the migrations refuses UPDATE and DELETE. */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    occurredAt: instant("occurred_at").notNull(),
    actorType: actorType("actor_type").notNull(),
    actorId: text("actor_id").notNull(),
    actorName: text("actor_name"),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id").notNull(),
    changes: jsonb("changes").$type<Record<string, unknown>>().notNull(),
    /**
     * The writing transaction's id (64-bit, never wraps). Ids of `id` are handed out before their
     * transaction commits, so a later id can become visible first; the change feed orders by
     * (txid, id) and hands out only transactions older than every one still running, so a reader's
     * cursor never passes a change that has yet to commit.
     */
    txid: bigint("txid", { mode: "number" }).notNull().default(sql`(pg_current_xact_id()::text)::bigint`),
  },
  (t) => [
    index("audit_events_entity_idx").on(t.entityType, t.entityId),
    index("audit_events_occurred_idx").on(t.occurredAt),
    index("audit_events_txid_id_idx").on(t.txid, t.id),
  ],
);

export const apiTokenRight = pgEnum("api_token_right", ["read", "write"]);

/**
 * Bearer tokens of integration platforms. Only a hash of the token is kept: the token itself is shown
 * once, when it is made. A revoked token stays, so the audit trail's actor keeps its name.
 */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: id(),
    name: text("name").notNull(),
    right: apiTokenRight("right").notNull(),
    /** SHA-256 of the whole token, hex; the token has 256 random bits, so no salt is needed. */
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: instant("created_at").notNull(),
    createdBy: text("created_by").notNull(),
    revokedAt: instant("revoked_at"),
    revokedBy: text("revoked_by"),
  },
  // A name is what the operator revokes by, so it names one live token; a revoked one frees it.
  (t) => [uniqueIndex("api_tokens_live_name_idx").on(t.name).where(sql`${t.revokedAt} IS NULL`)],
);

/**
 * Slack delivers an event again on retry, and a mention can arrive both as app_mention and as a
 * message. A row here is the claim to answer it; the primary key makes the claim hold across replicas.
 */
export const slackReceipts = pgTable(
  "slack_receipts",
  {
    key: text("key").primaryKey(),
    receivedAt: instant("received_at").notNull(),
  },
  (t) => [index("slack_receipts_received_idx").on(t.receivedAt)],
);

/** A channel's weekly digest of what is overdue; one per channel. */
export const digestSubscriptions = pgTable("digest_subscriptions", {
  id: id(),
  channelId: text("channel_id").notNull().unique(),
  /** ISO weekday in Stockholm: 1 Monday … 7 Sunday. */
  weekday: integer("weekday").notNull(),
  /** "HH:MM", Stockholm wall-clock time, so the digest keeps its hour across daylight-saving changes. */
  time: text("time").notNull(),
  /** Null means every kind. */
  caseKinds: caseKind("case_kinds").array(),
  /** Responsible bodies to include; null means all. */
  bodyIds: integer("body_ids").array(),
  postWhenEmpty: boolean("post_when_empty").notNull().default(true),
  active: boolean("active").notNull().default(true),
  createdBySlackUserId: text("created_by_slack_user_id").notNull(),
  createdAt: instant("created_at").notNull().defaultNow(),
  updatedAt: instant("updated_at").notNull().defaultNow(),
});

/**
 * A channel's scheduled report to the council on motions past their year (kommunallagen 5 kap. 35 §):
 * the n-th weekday of given months, e.g. the first Monday of April and October. One per channel.
 */
export const reportSchedules = pgTable("report_schedules", {
  id: id(),
  channelId: text("channel_id").notNull().unique(),
  /** 1 … 4 for the first … fourth weekday of the month; -1 for the last. */
  ordinal: integer("ordinal").notNull(),
  /** ISO weekday in Stockholm: 1 Monday … 7 Sunday. */
  weekday: integer("weekday").notNull(),
  /** Months 1 … 12. */
  months: integer("months").array().notNull(),
  /** "HH:MM", Stockholm wall-clock time. */
  time: text("time").notNull(),
  active: boolean("active").notNull().default(true),
  createdBySlackUserId: text("created_by_slack_user_id").notNull(),
  createdAt: instant("created_at").notNull().defaultNow(),
  updatedAt: instant("updated_at").notNull().defaultNow(),
});

export const postState = pgEnum("post_state", ["claimed", "posted", "failed"]);
/**
 * Digests and reminders are scheduled; a remiss notice (one per referral) and an approval request
 * (one per godkännare, or the body's channel) are posted once after the mutation they announce.
 */
export const postKind = pgEnum("post_kind", [
  "digest",
  "reminder",
  "remiss_notice",
  "approval_request",
  "sync_summary",
  "motion_report",
]);

/**
 * Posts claimed before they are sent: the unique key (e.g. "digest:12:2026-11-23") makes
 * two replicas post once, and a lease lets another replica finish a claim whose holder died.
 */
export const slackPosts = pgTable(
  "slack_posts",
  {
    id: id(),
    key: text("key").notNull().unique(),
    kind: postKind("kind").notNull(),
    /** The subscription of a digest, the referral of a reminder or remiss notice, the response of an approval request. */
    subjectId: integer("subject_id").notNull(),
    /**
     * The digest's scheduled day, a reminder's threshold, or whom a copy is for (a godkännare's user id,
     * a channel), as written in the key.
     */
    period: text("period").notNull(),
    channelId: text("channel_id").notNull(),
    state: postState("state").notNull().default("claimed"),
    claimedBy: text("claimed_by").notNull(),
    leaseUntil: instant("lease_until").notNull(),
    late: boolean("late").notNull().default(false),
    attempts: integer("attempts").notNull().default(0),
    /** Messages of a split digest already in Slack, so a resumed post continues where it stopped. */
    partsPosted: integer("parts_posted").notNull().default(0),
    messageTs: text("message_ts"),
    itemCount: integer("item_count"),
    lastError: text("last_error"),
    createdAt: instant("created_at").notNull(),
    postedAt: instant("posted_at"),
  },
  (t) => [
    index("slack_posts_kind_subject_idx").on(t.kind, t.subjectId),
    index("slack_posts_state_idx").on(t.state),
  ],
);

export const syncState = pgEnum("sync_state", ["running", "done"]);

/**
 * One row per version of the diarium's export (the SHA-256 of its bytes): the unique version makes
 * replicas import each export once, and the lease lets another replica take over a sync whose holder
 * died half-way (the import is idempotent, so starting it over duplicates nothing).
 */
export const syncRuns = pgTable(
  "sync_runs",
  {
    id: id(),
    version: text("version").notNull().unique(),
    /** The export's file name, or the last part of its URL. */
    sourceName: text("source_name").notNull(),
    state: syncState("state").notNull().default("running"),
    claimedBy: text("claimed_by").notNull(),
    leaseUntil: instant("lease_until").notNull(),
    attempts: integer("attempts").notNull().default(1),
    startedAt: instant("started_at").notNull(),
    finishedAt: instant("finished_at"),
    /** What the import did (SyncReport), or why the export could not be read. */
    report: jsonb("report"),
  },
  (t) => [index("sync_runs_started_idx").on(t.startedAt)],
);

export const memberRole = pgEnum("member_role", ["registrator", "handlaggare", "godkannare", "admin"]);

/**
 * Who may do what, for which body. A registrator, case officer (handläggare) or approver
 * (godkännare) acts for one body; an admin holds the role for the whole installation (body_id null).
 */
export const memberships = pgTable(
  "memberships",
  {
    id: id(),
    slackUserId: text("slack_user_id").notNull(),
    bodyId: integer("body_id").references(() => bodies.id),
    role: memberRole("role").notNull(),
    grantedBy: text("granted_by").notNull(),
    grantedAt: instant("granted_at").notNull(),
  },
  (t) => [
    unique("memberships_user_body_role_key").on(t.slackUserId, t.bodyId, t.role).nullsNotDistinct(),
    index("memberships_body_role_idx").on(t.bodyId, t.role),
  ],
);

/** Where an approval request was posted, so a decision can update every copy in place. */
export const approvalMessages = pgTable(
  "approval_messages",
  {
    id: id(),
    responseId: integer("response_id")
      .notNull()
      .references(() => referralResponses.id, { onDelete: "cascade" }),
    channelId: text("channel_id").notNull(),
    messageTs: text("message_ts").notNull(),
    /**
     * The godkännare a direct message went to; null for a copy in a channel. A decision updates each
     * copy for its reader, and a DM's channel id (D…) does not say whose it is.
     */
    recipientSlackUserId: text("recipient_slack_user_id"),
  },
  (t) => [
    uniqueIndex("approval_messages_channel_ts_idx").on(t.channelId, t.messageTs),
    index("approval_messages_response_idx").on(t.responseId),
  ],
);

/**
 * Who has opened the bot's Home tab, and a hash of the view last published there: a Home is published
 * again only when what it shows has changed, and by one replica (a conditional update claims it).
 */
export const homeTabs = pgTable("home_tabs", {
  slackUserId: text("slack_user_id").primaryKey(),
  openedAt: instant("opened_at").notNull(),
  publishedHash: text("published_hash"),
  publishedAt: instant("published_at"),
});

export const casesRelations = relations(cases, ({ one, many }) => ({
  registry: one(registries, { fields: [cases.registryId], references: [registries.id] }),
  addressedTo: one(bodies, {
    fields: [cases.addressedToBodyId],
    references: [bodies.id],
    relationName: "addressedTo",
  }),
  responsibleBody: one(bodies, {
    fields: [cases.responsibleBodyId],
    references: [bodies.id],
    relationName: "responsibleBody",
  }),
  identifiers: many(caseIdentifiers),
  referrals: many(referrals),
  timeline: many(timelineEntries),
  deadlines: many(deadlines),
}));

export const bodiesRelations = relations(bodies, ({ many }) => ({
  addressedCases: many(cases, { relationName: "addressedTo" }),
  responsibleCases: many(cases, { relationName: "responsibleBody" }),
  referrals: many(referrals),
  timelineEntries: many(timelineEntries),
}));

export const caseIdentifiersRelations = relations(caseIdentifiers, ({ one }) => ({
  case: one(cases, { fields: [caseIdentifiers.caseId], references: [cases.id] }),
}));

export const referralsRelations = relations(referrals, ({ one, many }) => ({
  case: one(cases, { fields: [referrals.caseId], references: [cases.id] }),
  body: one(bodies, { fields: [referrals.bodyId], references: [bodies.id] }),
  responses: many(referralResponses),
  deadlines: many(deadlines),
}));

export const referralResponsesRelations = relations(referralResponses, ({ one }) => ({
  referral: one(referrals, { fields: [referralResponses.referralId], references: [referrals.id] }),
}));

export const timelineEntriesRelations = relations(timelineEntries, ({ one }) => ({
  case: one(cases, { fields: [timelineEntries.caseId], references: [cases.id] }),
  body: one(bodies, { fields: [timelineEntries.bodyId], references: [bodies.id] }),
}));

export const deadlinesRelations = relations(deadlines, ({ one }) => ({
  case: one(cases, { fields: [deadlines.caseId], references: [cases.id] }),
  referral: one(referrals, { fields: [deadlines.referralId], references: [referrals.id] }),
}));
