import { describe, expect, it } from "vitest";
import { HOME_LIMITS, type HomeContent } from "../../src/modules/home/get-home.js";
import { homeView } from "../../src/slack/blocks/app-home.js";

const item = (n: number) => ({
  caseId: n,
  label: `Dnr 108-${1000 + n}/2017`,
  title: `Skrivelse ${n}`,
  kind: "skrivelse" as const,
  status: "in_progress" as const,
  audience: "full" as const,
});

type Counts = { toAnswer: number; toApprove: number; followed: number; mine: number };

function content(counts: Counts, shown: Counts = HOME_LIMITS): HomeContent {
  const rows = (total: number, limit: number) =>
    Array.from({ length: Math.min(total, limit) }, (_, i) => i + 1);
  return {
    userId: "U0HANDL01",
    today: "2017-04-03",
    hasRoles: true,
    toAnswer: {
      total: counts.toAnswer,
      rows: rows(counts.toAnswer, shown.toAnswer).map((n) => ({
        ...item(n),
        bodyName: "Socialnämnden",
        dueOn: "2017-03-31",
        overdue: true,
        awaitingApproval: false,
      })),
    },
    toApprove: {
      total: counts.toApprove,
      rows: rows(counts.toApprove, shown.toApprove).map((n) => ({
        ...item(100 + n),
        responseId: n,
        bodyName: "Socialnämnden",
        declined: false,
        submittedBy: { userId: "U0HANDL02" },
        submittedAt: new Date("2017-03-22T09:00:00Z"),
      })),
    },
    followed: {
      total: counts.followed,
      rows: rows(counts.followed, shown.followed).map((n) => ({
        ...item(300 + n),
        latestChange: { label: "Remiss skickad", at: new Date("2017-03-01T09:00:00Z") },
      })),
    },
    mine: {
      total: counts.mine,
      rows: rows(counts.mine, shown.mine).map((n) => ({ ...item(200 + n), raisedOn: "2017-01-10" })),
    },
  };
}

const texts = (view: ReturnType<typeof homeView>) => JSON.stringify(view.blocks);

describe("the Home tab's blocks", () => {
  it("says how many more there are in each list it cuts, and stays within Slack's 100 blocks", () => {
    const view = homeView(content({ toAnswer: 40, toApprove: 23, followed: 30, mine: 16 }));
    expect(view.type).toBe("home");
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(texts(view)).toContain("och 25 till");
    expect(texts(view)).toContain("och 13 till");
    expect(texts(view)).toContain("och 1 till");
    expect(texts(view)).toContain("och 15 till");
    expect(texts(view)).toContain("Senast: Remiss skickad, 1 mars 2017");
    expect(texts(view)).toContain("*Remisser att besvara* (40)");
  });

  it("cuts at 100 blocks with a note, whatever lists it is given", () => {
    const view = homeView(
      content(
        { toAnswer: 0, toApprove: 70, followed: 0, mine: 0 },
        { toAnswer: 0, toApprove: 70, followed: 0, mine: 0 },
      ),
    );
    expect(view.blocks).toHaveLength(100);
    expect(JSON.stringify(view.blocks.at(-1))).toContain("Fler ärenden finns än som får plats här");
  });

  it("gives each approval its Godkänn and Avslå, each behind a dialog naming the body and case", () => {
    const view = homeView(content({ toAnswer: 0, toApprove: 1, followed: 0, mine: 0 }));
    const actions = view.blocks.filter((block) => block.type === "actions").at(-1) as {
      elements: { text: { text: string }; confirm?: { text: { text: string } } }[];
    };
    expect(actions.elements.map((button) => button.text.text)).toEqual(["Godkänn", "Avslå"]);
    expect(actions.elements[0]?.confirm?.text.text).toContain("Socialnämnden i Dnr 108-1101/2017");
  });

  it("says there is nothing to do, and that no case has the user as officer, when so", () => {
    const text = texts(homeView(content({ toAnswer: 0, toApprove: 0, followed: 0, mine: 0 })));
    expect(text).toContain("Inget väntar på dig just nu.");
    expect(text).toContain("Du är inte handläggare för något pågående ärende.");
    expect(text).toContain("Du bevakar inga ärenden.");
  });
});
