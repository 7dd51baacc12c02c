import { may } from "../access/permissions.js";
import { recordAudit } from "../audit/audit.repository.js";
import { findBodies } from "../bodies/find-bodies.js";
import type { RequestContext, SlackActor } from "../shared/context.js";
import {
  bodyLookupError,
  type DigestSettings,
  describeSubscription,
  digestError,
} from "./digest-settings.js";
import { DIGEST_ERRORS, type DigestError } from "./errors.js";
import type { DigestSettingsInput } from "./parse-digest-command.js";
import {
  insertSubscriptionIfAbsent,
  lockSubscriptionByChannel,
  type SubscriptionRow,
  type SubscriptionValues,
  updateSubscription,
} from "./subscriptions.repository.js";

export type SlackUser = { userId: string; name?: string };

export type SubscribeResult =
  | {
      ok: true;
      /** `subscribed`: the channel had no active subscription before; `changed`: its settings changed. */
      outcome: "subscribed" | "changed" | "unchanged";
      settings: DigestSettings;
      /** What the audit event records; empty when unchanged. */
      changes: Record<string, unknown>;
    }
  | { ok: false; error: DigestError };

type Settable = Omit<SubscriptionValues, "createdBySlackUserId">;
const FIELDS = [
  ["weekday", "weekday"],
  ["time", "time"],
  ["caseKinds", "case_kinds"],
  ["bodyIds", "body_ids"],
  ["postWhenEmpty", "post_when_empty"],
] as const satisfies readonly (readonly [keyof Settable, string])[];

/**
 * `/arende digest prenumerera …`: one subscription per channel. Subscribing again replaces its
 * settings (what is left out takes the default) and reactivates an ended one. Only those allowed to
 * configure digests may; a refusal or an unknown body writes nothing.
 */
export async function subscribeChannel(
  ctx: RequestContext<SlackActor>,
  { channelId, settings }: { channelId: string; settings: DigestSettingsInput },
): Promise<SubscribeResult> {
  const { db, clock, actor } = ctx;
  const roles = await ctx.roles();
  if (!may(roles, "configure_digests")) return digestError({ code: DIGEST_ERRORS.notAllowed });

  const lookup = await findBodies({ db, terms: settings.bodies ?? [] });
  if (!lookup.ok) return bodyLookupError(lookup);

  const values: Settable = {
    weekday: settings.weekday,
    time: settings.time,
    caseKinds: settings.caseKinds && settings.caseKinds.length > 0 ? [...settings.caseKinds] : null,
    bodyIds: settings.bodies ? lookup.bodies.map((body) => body.id) : null,
    postWhenEmpty: settings.postWhenEmpty,
  };
  const at = clock.now();

  return db.transaction(async (tx) => {
    let previous = await lockSubscriptionByChannel(tx, channelId);
    if (!previous) {
      const created = await insertSubscriptionIfAbsent(
        tx,
        channelId,
        { ...values, createdBySlackUserId: actor.userId },
        at,
      );
      if (created) {
        const changes = { channel_id: channelId, ...snapshot(created) };
        await recordAudit(tx, {
          actor,
          at,
          entries: [
            {
              action: "digest_subscription.created",
              entityType: "digest_subscription",
              entityId: created.id,
              changes,
            },
          ],
        });
        return {
          ok: true,
          outcome: "subscribed",
          settings: await describeSubscription(tx, created),
          changes,
        };
      }
      // Another request created it a moment ago; change that one.
      previous = await lockSubscriptionByChannel(tx, channelId);
      if (!previous) throw new Error(`subscription of ${channelId} neither inserted nor found`);
    }

    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const [field, column] of FIELDS) {
      if (!sameValue(previous[field], values[field]))
        changes[column] = { from: previous[field], to: values[field] };
    }
    if (!previous.active) changes.active = { from: false, to: true };
    if (Object.keys(changes).length === 0) {
      return {
        ok: true,
        outcome: "unchanged",
        settings: await describeSubscription(tx, previous),
        changes: {},
      };
    }
    const updated = await updateSubscription(
      tx,
      previous.id,
      // An ended subscription started again belongs to whoever started it.
      { ...values, active: true, ...(previous.active ? {} : { createdBySlackUserId: actor.userId }) },
      at,
    );
    await recordAudit(tx, {
      actor,
      at,
      entries: [
        {
          action: "digest_subscription.updated",
          entityType: "digest_subscription",
          entityId: updated.id,
          changes,
        },
      ],
    });
    return {
      ok: true,
      outcome: previous.active ? "changed" : "subscribed",
      settings: await describeSubscription(tx, updated),
      changes,
    };
  });
}

export function snapshot(row: SubscriptionRow): Record<string, unknown> {
  return Object.fromEntries(FIELDS.map(([field, column]) => [column, row[field]]));
}

/** Lists compare as sets: `motioner skrivelser` and `skrivelser motioner` are the same filter. */
function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    const sorted = (list: unknown[]) => JSON.stringify([...list].map(String).sort());
    return sorted(a) === sorted(b);
  }
  return a === b;
}
