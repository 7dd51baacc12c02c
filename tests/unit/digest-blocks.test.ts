import type { KnownBlock } from "@slack/types";
import { describe, expect, it } from "vitest";
import { assembleDigest } from "../../src/modules/digests/build-digest.js";
import type { Digest, DigestGroup, DigestItem } from "../../src/modules/digests/digest.js";
import { digestMessages, MESSAGE_TEXT_MAX } from "../../src/slack/blocks/digest.js";
import type { SlackMessage } from "../../src/slack/blocks/message.js";
import { SLACK_LIMITS } from "../../src/slack/blocks/mrkdwn.js";

const TODAY = "2017-04-03";

function item(overrides: Partial<DigestItem> = {}): DigestItem {
  return {
    caseId: 1,
    label: "Dnr 108-1642/2017",
    publicTitle: "Bristerna inom socialtjänsten",
    overdueKind: "skrivelse_policy",
    dueOn: "2017-03-22",
    overdueDays: 12,
    missing: [],
    officerName: null,
    officerSlackUserId: null,
    ...overrides,
  };
}

function digestOf(groups: DigestGroup[], overrides: Partial<Digest> = {}): Digest {
  return {
    today: TODAY,
    total: groups.reduce((sum, group) => sum + group.items.length, 0),
    changeSinceLastWeek: 3,
    trend: [1, 2, 3, 4, 5, 6, 7, 10],
    groups,
    ...overrides,
  };
}

const words = (count: number, word: string) => Array.from({ length: count }, () => word).join(" ");

/**
 * `count` items in groups of varying size; every item has a unique label, and some carry the worst a
 * registry can hold: long titles, dozens of missing bodies, markup characters, long officer names.
 */
function bigDigest(count: number): Digest {
  const groups: DigestGroup[] = [];
  let index = 0;
  let groupNumber = 0;
  while (index < count) {
    groupNumber += 1;
    const size = Math.min(count - index, [1, 7, 40, 300, 3][groupNumber % 5] ?? 1);
    const items: DigestItem[] = [];
    for (let n = 0; n < size; n += 1, index += 1) {
      const heavy = index % 97 === 0;
      items.push(
        item({
          caseId: index + 1,
          label: `Dnr T ${2000 + (index % 20)}/${index + 1}`,
          publicTitle: heavy
            ? `Ärende ${index + 1} om ${words(900, "bygglov & <detaljplan>")}`
            : `Ärende ${index + 1} om snöröjning & gatubelysning`,
          overdueKind: (["skrivelse_policy", "motion_statutory", "referral_due"] as const)[index % 3],
          dueOn: "2017-01-01",
          overdueDays: 1000 - Math.floor(index / 10),
          missing: heavy
            ? Array.from({ length: 60 }, (_, body) => `Stadsdelsnämnd nummer ${body} för övergripande frågor`)
            : index % 3 === 0
              ? ["Bromma stadsdelsnämnd", "socialnämnden"]
              : [],
          officerName: index % 2 === 0 ? `Handläggare ${index} ${heavy ? words(100, "Långnamn") : ""}` : null,
          officerSlackUserId: index % 4 === 0 ? `U0${index}` : null,
        }),
      );
    }
    groups.push({
      body: groupNumber % 11 === 0 ? null : { id: groupNumber, name: `nämnd ${groupNumber}` },
      items,
    });
  }
  return digestOf(groups);
}

type Section = Extract<KnownBlock, { type: "section" }>;

const sectionTexts = (message: SlackMessage) =>
  message.blocks.flatMap((block) => (block.type === "section" && block.text ? [block.text.text] : []));

const contextTexts = (message: SlackMessage) =>
  message.blocks.flatMap((block) =>
    block.type === "context" ? block.elements.map((element) => ("text" in element ? element.text : "")) : [],
  );

/** All the text a message's blocks hold: Slack refuses a message of more than about 12,000 in all. */
function blockText(message: SlackMessage): number {
  return message.blocks.reduce((sum, block) => {
    if (block.type === "header") return sum + block.text.text.length;
    if (block.type === "section") return sum + (block.text?.text.length ?? 0);
    if (block.type === "context") return sum + contextTexts({ text: "", blocks: [block] }).join("").length;
    return sum;
  }, 0);
}

function expectWithinSlackLimits(messages: SlackMessage[]): void {
  for (const message of messages) {
    expect(blockText(message)).toBeLessThanOrEqual(MESSAGE_TEXT_MAX);
    expect(message.text.length).toBeGreaterThan(0);
    expect(message.text.length).toBeLessThanOrEqual(3000);
    expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
    for (const block of message.blocks) {
      if (block.type === "section") {
        expect((block as Section).text?.text.length ?? 0).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
        expect((block as Section).text?.text.length ?? 0).toBeGreaterThan(0);
      }
      if (block.type === "header")
        expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
      if (block.type === "context") expect(block.elements.length).toBeLessThanOrEqual(10);
    }
  }
}

/** The labels in the order the messages show them, read back from the bold markup of each item line. */
function labelsShown(messages: SlackMessage[]): string[] {
  return messages.flatMap((message) =>
    sectionTexts(message).flatMap((text) =>
      [...text.matchAll(/^• \*([^*]+)\*/gm)].map((match) => match[1] ?? ""),
    ),
  );
}

const allLabels = (digest: Digest) =>
  digest.groups.flatMap((group) => group.items.map((entry) => entry.label));

describe("digestMessages", () => {
  it("posts nothing for an empty digest when the subscription says so, otherwise one short line", () => {
    const empty = digestOf([], { total: 0, changeSinceLastWeek: 0, trend: [0, 0, 0, 0, 0, 0, 0, 0] });
    expect(digestMessages(empty, { late: false, postWhenEmpty: false })).toEqual([]);
    expect(digestMessages(empty, { late: false, postWhenEmpty: true })).toEqual([
      {
        text: "Inga försenade ärenden den 3 april 2017.",
        blocks: [
          { type: "section", text: { type: "mrkdwn", text: "Inga försenade ärenden den 3 april 2017." } },
        ],
      },
    ]);
    const late = digestMessages(empty, { late: true, postWhenEmpty: true });
    expect(late).toHaveLength(1);
    expect(contextTexts(late[0] as SlackMessage)).toEqual([
      "Sent utskick: boten var nere vid schemalagd tid.",
    ]);
  });

  it("opens with the count, the change since last week and the trend, then the groups", () => {
    const digest = digestOf([
      {
        body: { id: 1, name: "kommunstyrelsen" },
        items: [
          item({
            missing: ["Bromma stadsdelsnämnd", "socialnämnden"],
            officerName: "Anna Andersson",
            officerSlackUserId: "U0ANNA",
          }),
          item({
            caseId: 2,
            label: "Motion 2016:114",
            overdueKind: "referral_due",
            dueOn: "2017-03-31",
            overdueDays: 3,
            officerName: "Bertil Berg",
          }),
        ],
      },
      { body: null, items: [item({ caseId: 3, label: "Dnr KS 2015/77", overdueDays: 2 })] },
    ]);
    const messages = digestMessages(digest, { late: false, postWhenEmpty: false });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toEqual({
      text: "3 försenade ärenden, 3 fler än förra veckan. Läget den 3 april 2017.",
      blocks: [
        { type: "header", text: { type: "plain_text", text: "3 försenade ärenden, 3 fler än förra veckan" } },
        {
          type: "context",
          elements: [
            {
              type: "mrkdwn",
              text: "Läget den 3 april 2017 · Senaste 8 veckorna: ▁▂▃▃▄▅▆█ (från 1 till 10)",
            },
          ],
        },
        {
          type: "section",
          text: {
            type: "mrkdwn",
            text: [
              "*Kommunstyrelsen* · 2 försenade",
              "• *Dnr 108-1642/2017* Bristerna inom socialtjänsten: försenad 12 dagar (lokal policy, 3 månader)",
              "      Svar saknas från Bromma stadsdelsnämnd och socialnämnden · Handläggare: <@U0ANNA>",
              "• *Motion 2016:114* Bristerna inom socialtjänsten: försenad 3 dagar (remissens svarsdatum 31 mars 2017)",
              "      Handläggare: Bertil Berg",
            ].join("\n"),
          },
        },
        {
          type: "section",
          text: {
            type: "mrkdwn",
            text: [
              "*Utan ansvarigt organ* · 1 försenat",
              "• *Dnr KS 2015/77* Bristerna inom socialtjänsten: försenad 2 dagar (lokal policy, 3 månader)",
            ].join("\n"),
          },
        },
      ],
    });
  });

  it("marks a late post", () => {
    const messages = digestMessages(digestOf([{ body: null, items: [item()] }]), {
      late: true,
      postWhenEmpty: true,
    });
    expect(contextTexts(messages[0] as SlackMessage)).toContain(
      "Sent utskick: boten var nere vid schemalagd tid.",
    );
    const onTime = digestMessages(digestOf([{ body: null, items: [item()] }]), {
      late: false,
      postWhenEmpty: true,
    });
    expect(contextTexts(onTime[0] as SlackMessage).join(" ")).not.toContain("Sent utskick");
  });

  for (const count of [500, 5000]) {
    it(`splits ${count} overdue items into messages within Slack's limits, each item exactly once, in order`, () => {
      const digest = bigDigest(count);
      const messages = digestMessages(digest, { late: true, postWhenEmpty: true });
      expect(messages.length).toBeGreaterThan(1);
      expectWithinSlackLimits(messages);
      expect(labelsShown(messages)).toEqual(allLabels(digest));
      expect(new Set(labelsShown(messages)).size).toBe(count);

      // The first message is the one in the channel: header, trend, late marker, and a pointer to the thread.
      const [first, ...rest] = messages as [SlackMessage, ...SlackMessage[]];
      expect(first.blocks[0]?.type).toBe("header");
      expect(contextTexts(first)).toContain("Sent utskick: boten var nere vid schemalagd tid.");
      expect(contextTexts(first).at(-1)).toBe(`Listan fortsätter i tråden (del 1 av ${messages.length}).`);
      rest.forEach((message, index) => {
        const title = `Försenade ärenden den 3 april 2017, del ${index + 2} av ${messages.length}`;
        expect(message.text).toBe(title);
        expect(contextTexts(message)[0]).toBe(title);
        expect(message.blocks.some((block) => block.type === "header")).toBe(false);
      });
    });
  }

  it("repeats a group's heading with (forts.) where it continues in the next message, and only there", () => {
    const digest = bigDigest(5000);
    const messages = digestMessages(digest, { late: false, postWhenEmpty: true });
    const names = digest.groups.map((group) =>
      group.body ? `Nämnd ${group.body.id}` : "Utan ansvarigt organ",
    );
    let continued = 0;
    for (const [index, message] of messages.entries()) {
      const [firstSection] = sectionTexts(message);
      const heading = firstSection?.split("\n")[0] ?? "";
      if (index > 0 && heading.endsWith("(forts.)*")) continued += 1;
      for (const text of sectionTexts(message).slice(1)) expect(text).not.toContain("(forts.)");
    }
    expect(continued).toBeGreaterThan(0);
    // Each group's own heading appears exactly once (in order); "(forts.)" headings name a group already begun.
    const headings = messages.flatMap((message) =>
      sectionTexts(message).flatMap((text) =>
        [...text.matchAll(/^\*(.+?)\*(?: · \d+ (?:försenade|försenat))?$/gm)].map((m) => m[1] ?? ""),
      ),
    );
    const firsts = headings.filter((heading) => !heading.endsWith(" (forts.)"));
    expect(firsts).toEqual(names);
    for (const heading of headings.filter((name) => name.endsWith(" (forts.)"))) {
      expect(names).toContain(heading.replace(/ \(forts\.\)$/, ""));
    }
  });

  it("keeps one enormous item whole in meaning: shortened visibly, never dropped", () => {
    const huge = item({
      label: "Dnr KS 2017/1",
      publicTitle: words(5000, "ändring & <fel>"),
      missing: Array.from({ length: 300 }, (_, index) => `${words(20, "nämnd")} ${index}`),
      officerName: words(500, "Namn"),
    });
    const messages = digestMessages(
      digestOf([{ body: { id: 1, name: words(400, "organ") }, items: [huge] }]),
      {
        late: false,
        postWhenEmpty: true,
      },
    );
    expectWithinSlackLimits(messages);
    expect(labelsShown(messages)).toEqual(["Dnr KS 2017/1"]);
    const text = sectionTexts(messages[0] as SlackMessage).join("\n");
    expect(text).toContain("…");
    expect(text).toContain("nämnd 3 och 296 till");
  });

  it("escapes every registry text; officer mentions are the only markup", () => {
    const digest = digestOf([
      {
        body: { id: 1, name: "Bygg- & <miljö>nämnden" },
        items: [
          item({
            label: "Dnr <!channel>",
            publicTitle: "Parkering & <!here> <https://evil.example|klicka>",
            missing: ["<@U0EVIL> nämnd"],
            officerName: "<!everyone>",
          }),
          item({ caseId: 2, officerName: "Anna", officerSlackUserId: "U0ANNA" }),
          item({ caseId: 3, officerName: "Eva & Co", officerSlackUserId: "U1> <!channel" }),
        ],
      },
    ]);
    const [message] = digestMessages(digest, { late: false, postWhenEmpty: true });
    const text = sectionTexts(message as SlackMessage).join("\n");
    expect(text).toContain("*Bygg- &amp; &lt;miljö&gt;nämnden* · 3 försenade");
    expect(text).toContain(
      "*Dnr &lt;!channel&gt;* Parkering &amp; &lt;!here&gt; &lt;https://evil.example|klicka&gt;",
    );
    expect(text).toContain("Svar saknas från &lt;@U0EVIL&gt; nämnd · Handläggare: &lt;!everyone&gt;");
    expect(text).toContain("Handläggare: Eva &amp; Co");
    // The only raw "<" left is the one valid mention.
    expect([...text.matchAll(/<[^>]*>/g)].map((match) => match[0])).toEqual(["<@U0ANNA>"]);
  });

  it("shows a restricted case by its public title only", () => {
    const digest = assembleDigest({
      today: TODAY,
      trend: [0, 0, 0, 0, 0, 0, 0, 1],
      rows: [
        {
          deadlineKind: "policy",
          dueOn: "2017-03-29",
          caseId: 9,
          caseKind: "skrivelse",
          dnr: "SN 2017/12",
          firstIdentifier: null,
          publicTitle: "Sekretess",
          restricted: true,
          officerName: "Cecilia Carlsson",
          officerSlackUserId: "U0CECILIA",
          responsibleBodyId: 3,
          responsibleBodyName: "socialnämnden",
          missing: ["Bromma stadsdelsnämnd"],
        },
      ],
    });
    const messages = digestMessages(digest, { late: false, postWhenEmpty: true });
    const text = JSON.stringify(messages);
    expect(sectionTexts(messages[0] as SlackMessage)).toEqual([
      "*Socialnämnden* · 1 försenat\n• *Dnr SN 2017/12* Sekretess: försenad 5 dagar (lokal policy, 3 månader)",
    ]);
    expect(text).not.toContain("Cecilia");
    expect(text).not.toContain("Bromma");
  });
});
