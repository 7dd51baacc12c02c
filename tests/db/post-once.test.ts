import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Clock } from "../../src/clock.js";
import { auditEvents, slackPosts } from "../../src/db/schema.js";
import {
  type BuiltPost,
  MAX_POST_ATTEMPTS,
  POST_LEASE_MS,
  type PostingContext,
  type PostOnceRequest,
  postOnce,
} from "../../src/modules/posting/post-once.js";
import type { OutgoingMessage, Poster } from "../../src/modules/posting/poster.js";
import { claimPost, recordPartPosted } from "../../src/modules/posting/posts.repository.js";
import { textMessage } from "../../src/slack/blocks/message.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.destroy());

/** A clock the test moves by hand. */
function movableClock(iso: string): Clock & { advance(ms: number): void } {
  let now = new Date(iso).getTime();
  return { now: () => new Date(now), advance: (ms) => (now += ms) };
}

type Sent = OutgoingMessage & { ts: string; by: string };

/** Records every message "Slack" accepted; `failOn` makes a post throw instead. */
class RecordingPoster {
  readonly sent: Sent[] = [];
  private counter = 0;
  failOn: ((message: OutgoingMessage) => Error | undefined) | undefined;
  gate: ((message: OutgoingMessage) => Promise<void> | undefined) | undefined;

  as(by: string): Poster {
    return {
      post: async (message) => {
        await new Promise((resolve) => setTimeout(resolve, 2));
        await this.gate?.(message);
        const failure = this.failOn?.(message);
        if (failure) throw failure;
        this.counter += 1;
        const ts = `1800000000.${String(this.counter).padStart(6, "0")}`;
        this.sent.push({ ...message, ts, by });
        return { ts };
      },
      update: async () => {
        throw new Error("a scheduled post is never updated");
      },
      publishHome: async () => {
        throw new Error("a scheduled post never publishes a Home tab");
      },
    };
  }
}

const parts = (count: number, label = "del"): BuiltPost => ({
  messages: Array.from({ length: count }, (_, index) => textMessage(`${label} ${index + 1}`)),
  itemCount: count * 10,
});

let keyCounter = 0;
/** A request with the context it is posted in: the test's database, its clock, the digest job. */
type Posting = PostOnceRequest & PostingContext;

function request(overrides: Partial<Posting> & Pick<Posting, "clock" | "poster">): Posting {
  keyCounter += 1;
  return {
    db: database.db,
    instanceId: "instance-a",
    actor: { type: "system", job: "digests" },
    key: `digest:${keyCounter}:2026-11-23`,
    kind: "digest",
    subjectId: keyCounter,
    period: "2026-11-23",
    channelId: "CDIGEST",
    late: false,
    build: async () => parts(3),
    log: () => {},
    ...overrides,
  };
}

async function row(key: string) {
  const [found] = await database.db.select().from(slackPosts).where(eq(slackPosts.key, key));
  if (!found) throw new Error(`no post ${key}`);
  return found;
}

async function auditActions(key: string) {
  const rows = await database.db.select().from(auditEvents).where(eq(auditEvents.entityId, key));
  return rows.map((event) => ({ action: event.action, actor: `${event.actorType}:${event.actorId}` }));
}

const post = (posting: Posting) => postOnce(posting, posting);

describe("posting a scheduled message exactly once", () => {
  it("posts once when many instances run the same key at the same time", async () => {
    const clock = movableClock("2026-11-23T07:00:00Z");
    const poster = new RecordingPoster();
    const base = request({ clock, poster: poster.as("x") });
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        post({ ...base, instanceId: `instance-${index}`, poster: poster.as(`instance-${index}`) }),
      ),
    );
    expect(outcomes.filter((outcome) => outcome === "posted")).toHaveLength(1);
    expect(
      outcomes.every((outcome) => ["posted", "claimed_elsewhere", "already_posted"].includes(outcome)),
    ).toBe(true);
    expect(poster.sent.map((message) => message.text)).toEqual(["del 1", "del 2", "del 3"]);
    expect(new Set(poster.sent.map((message) => message.by)).size).toBe(1);

    const [first, ...rest] = poster.sent;
    expect(first?.threadTs).toBeUndefined();
    for (const message of rest) expect(message.threadTs).toBe(first?.ts);

    const stored = await row(base.key);
    expect(stored).toMatchObject({ state: "posted", partsPosted: 3, messageTs: first?.ts, itemCount: 30 });
    expect(await auditActions(base.key)).toEqual([{ action: "digest.posted", actor: "system:digests" }]);

    expect(await post({ ...base, instanceId: "instance-late" })).toBe("already_posted");
    expect(poster.sent).toHaveLength(3);
  });

  it("takes over a claim whose holder died and resumes after the last recorded part", async () => {
    const clock = movableClock("2026-11-23T07:00:00Z");
    const poster = new RecordingPoster();
    const base = request({ clock, poster: poster.as("instance-b"), instanceId: "instance-b" });
    // Instance A claimed, posted part 1 and died.
    const at = clock.now();
    const claim = await claimPost(database.db, {
      key: base.key,
      kind: "digest",
      subjectId: base.subjectId,
      period: base.period,
      channelId: base.channelId,
      late: false,
      claimedBy: "instance-a",
      at,
      leaseUntil: new Date(at.getTime() + POST_LEASE_MS),
      maxAttempts: MAX_POST_ATTEMPTS,
    });
    expect(claim.claimed).toBe(true);
    const holder = { id: claim.row.id, claimedBy: "instance-a" };
    const leaseUntil = new Date(at.getTime() + POST_LEASE_MS);
    expect(
      await recordPartPosted(database.db, holder, { part: 1, ts: "1700000000.000111", leaseUntil }),
    ).toBe(true);

    // While A's lease runs, nobody else may post.
    clock.advance(60_000);
    expect(await post(base)).toBe("claimed_elsewhere");
    expect(poster.sent).toHaveLength(0);

    clock.advance(POST_LEASE_MS);
    expect(await post(base)).toBe("posted");
    expect(poster.sent.map((message) => [message.text, message.threadTs])).toEqual([
      ["del 2", "1700000000.000111"],
      ["del 3", "1700000000.000111"],
    ]);
    expect(await row(base.key)).toMatchObject({
      state: "posted",
      claimedBy: "instance-b",
      partsPosted: 3,
      messageTs: "1700000000.000111",
      attempts: 2,
    });
  });

  it("stops an instance that lost its claim before it posts past the new holder", async () => {
    const clock = movableClock("2026-11-23T07:00:00Z");
    const poster = new RecordingPoster();
    const base = request({ clock, poster: poster.as("x") });
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let arrived: () => void = () => {};
    const aInSlack = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    let hold = true;
    poster.gate = (message) => {
      if (!hold || message.text !== "del 2") return undefined;
      arrived();
      return held;
    };

    // A posts part 1, then hangs in Slack on part 2 for longer than its lease.
    const a = post({ ...base, instanceId: "instance-a", poster: poster.as("instance-a") });
    await aInSlack;
    clock.advance(POST_LEASE_MS + 1_000);
    hold = false;
    expect(await post({ ...base, instanceId: "instance-b", poster: poster.as("instance-b") })).toBe("posted");
    release();
    expect(await a).toBe("claimed_elsewhere");

    expect(poster.sent.map((message) => `${message.by}:${message.text}`)).toEqual([
      "instance-a:del 1",
      "instance-b:del 2",
      "instance-b:del 3",
      // A's part 2 was already on its way when it lost the claim: the one duplicate the design allows.
      "instance-a:del 2",
    ]);
    expect(await row(base.key)).toMatchObject({ state: "posted", claimedBy: "instance-b", partsPosted: 3 });
  });

  it("records a failure, waits for the backoff, then retries without repeating posted parts", async () => {
    const clock = movableClock("2026-11-23T07:00:00Z");
    const poster = new RecordingPoster();
    const base = request({ clock, poster: poster.as("a") });
    poster.failOn = (message) =>
      message.text === "del 2" ? Object.assign(new Error("HTTP 500"), { code: "http_500" }) : undefined;

    expect(await post(base)).toBe("failed");
    expect(await row(base.key)).toMatchObject({
      state: "failed",
      attempts: 1,
      partsPosted: 1,
      lastError: "http_500: HTTP 500",
    });

    poster.failOn = undefined;
    clock.advance(30_000);
    expect(await post(base)).toBe("failed");
    expect(poster.sent).toHaveLength(1);

    clock.advance(31_000);
    expect(await post({ ...base, instanceId: "instance-b" })).toBe("posted");
    const [first, ...rest] = poster.sent;
    expect(poster.sent.map((message) => message.text)).toEqual(["del 1", "del 2", "del 3"]);
    for (const message of rest) expect(message.threadTs).toBe(first?.ts);
    expect(await row(base.key)).toMatchObject({
      state: "posted",
      attempts: 2,
      partsPosted: 3,
      messageTs: first?.ts,
    });
    expect(await auditActions(base.key)).toEqual([
      { action: "digest.failed", actor: "system:digests" },
      { action: "digest.posted", actor: "system:digests" },
    ]);
  });

  it("waits an hour before retrying an error only a person can fix, and gives up in the end", async () => {
    const clock = movableClock("2026-11-23T07:00:00Z");
    const poster = new RecordingPoster();
    const base = request({ clock, poster: poster.as("a") });
    poster.failOn = () =>
      Object.assign(new Error("not_in_channel"), { code: "not_in_channel", retryable: false });

    expect(await post(base)).toBe("failed");
    const failed = await row(base.key);
    expect(failed.leaseUntil.getTime() - clock.now().getTime()).toBe(60 * 60_000);

    for (let attempt = 2; attempt <= MAX_POST_ATTEMPTS; attempt += 1) {
      clock.advance(60 * 60_000);
      expect(await post(base)).toBe("failed");
    }
    expect((await row(base.key)).attempts).toBe(MAX_POST_ATTEMPTS);
    poster.failOn = undefined;
    clock.advance(24 * 60 * 60_000);
    expect(await post(base)).toBe("failed");
    expect(poster.sent).toHaveLength(0);
  });

  it("marks an empty post done without a message, so it is not rebuilt every minute", async () => {
    const clock = movableClock("2026-11-23T07:00:00Z");
    const poster = new RecordingPoster();
    let builds = 0;
    const base = request({
      clock,
      poster: poster.as("a"),
      build: async () => {
        builds += 1;
        return { messages: [], itemCount: 0 };
      },
    });
    expect(await post(base)).toBe("nothing_to_post");
    expect(await post(base)).toBe("already_posted");
    expect(builds).toBe(1);
    expect(poster.sent).toHaveLength(0);
    expect(await row(base.key)).toMatchObject({
      state: "posted",
      partsPosted: 0,
      messageTs: null,
      itemCount: 0,
    });
    expect(await auditActions(base.key)).toEqual([{ action: "digest.skipped", actor: "system:digests" }]);
  });

  it("gives the builder the claim's late marker", async () => {
    const clock = movableClock("2026-11-23T08:30:00Z");
    const poster = new RecordingPoster();
    let seen: boolean | undefined;
    const base = request({
      clock,
      poster: poster.as("a"),
      late: true,
      build: async ({ late }) => {
        seen = late;
        return parts(1);
      },
    });
    expect(await post(base)).toBe("posted");
    expect(seen).toBe(true);
    expect(await row(base.key)).toMatchObject({ late: true });
  });
});
