import type { DeadlineRules } from "../modules/deadlines/deadline-rules.js";
import type { Digest } from "../modules/digests/digest.js";
import { itemLine, LATE_NOTICE, presentDigest } from "../modules/digests/present-digest.js";

/**
 * The terminal's digest: the same presentation Slack renders, as plain text, every item in full. A
 * Slack mention means nothing in a terminal, so the officer is shown by name (or by Slack user id
 * when only that is known).
 */
export function renderDigestText(
  digest: Digest,
  options: { late?: boolean; rules?: DeadlineRules } = {},
): string {
  const view = presentDigest(digest, options.rules ? { rules: options.rules } : {});
  const notice = options.late ? [LATE_NOTICE] : [];
  if (view.empty) return [view.emptyLine, ...notice].join("\n");
  const lines = [view.headline, "=".repeat(Math.min(view.headline.length, 80)), view.asOf, view.trendLine];
  lines.push(...notice);
  for (const group of view.groups) {
    lines.push("", `${group.name} (${group.items.length})`);
    for (const item of group.items) {
      lines.push(`  ! ${itemLine(item)}`);
      if (item.missing) lines.push(`      ${item.missing}`);
      const officer =
        item.officer?.name ?? (item.officer?.mention ? item.officer.mention.slice(1, -1) : null);
      if (officer) lines.push(`      Handläggare: ${officer}`);
    }
  }
  return lines.join("\n");
}
