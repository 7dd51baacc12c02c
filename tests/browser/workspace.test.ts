import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { connect } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS } from "../../workspace/demo-workspace.js";
import { type RunningWorkspace, startWorkspace } from "../../workspace/start-workspace.js";

/**
 * `npm run workspace` in headless Chromium (Debian's chromium, driven by playwright-core): a person
 * plays the bot's flows through the page, as Slack users of different roles. One workspace and one
 * browser for the file; the tests run in order, each building on what the one before did.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SCREENSHOT = new URL("../../docs/workspace.png", import.meta.url).pathname;

let workspace: RunningWorkspace;
let profile: string;
let browser: BrowserContext;
let page: Page;

async function actAs(name: string): Promise<void> {
  const user = DEMO_USERS.find((candidate) => candidate.name === name);
  if (!user) throw new Error(`no demo user ${name}`);
  await page.getByLabel("Vem är jag?", { exact: true }).selectOption(user.id);
}

async function openPlace(label: string): Promise<void> {
  await page.locator(".sidebar").getByRole("button", { name: label, exact: true }).click();
}

async function type(text: string): Promise<void> {
  await page.getByLabel("Meddelande", { exact: true }).fill(text);
  await page.getByLabel("Meddelande", { exact: true }).press("Enter");
}

/** Playwright's own assertions live in @playwright/test; vitest's poll waits the same way. */
const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 8_000, interval: 100 });

async function textOf(locator: Locator): Promise<string> {
  return (await locator.count()) > 0 ? ((await locator.first().textContent()) ?? "") : "";
}

const messages = () => page.locator("#pane article.message");
const lastMessage = (hasText: string | RegExp): Locator => messages().filter({ hasText }).last();
const modal = () => page.locator("#modal .modal-box");

// The workspace runs on its own embedded database whatever TEST_DATABASE_URL says: the PostgreSQL run
// of the suite would only repeat it.
describe.skipIf(process.env.TEST_DATABASE_URL)("the local workspace in a browser", () => {
  beforeAll(async () => {
    profile = await mkdtemp(join(tmpdir(), "arendebot-chromium-"));
    [workspace, browser] = await Promise.all([
      startWorkspace({ port: 0, logLevel: "error" }),
      chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        locale: "sv-SE",
        timezoneId: "Europe/Stockholm",
        viewport: { width: 1280, height: 860 },
        args: [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
        ],
      }),
    ]);
    page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(8_000);
    await page.goto(workspace.url);
    await page.locator("body[data-ready=true]").first().waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await workspace?.stop();
    await rm(profile, { recursive: true, force: true });
  });

  it("answers /arende status privately with the case card, and shares it in the channel", async () => {
    await actAs("Rita Registrator");
    await openPlace("# ärenden");
    await type("/arende status Dnr 108-1642/2017");

    const card = lastMessage("Bristerna inom socialtjänsten");
    await eventually(() => textOf(card.locator(".ephemeral-label"))).toMatch(/Endast synligt för dig/);
    await eventually(() => textOf(card.locator(".b-header").first())).toContain(
      "Bristerna inom socialtjänsten",
    );
    await eventually(() => textOf(card)).toContain("Skrivelsen anses besvarad");

    await card.getByRole("button", { name: "Dela i kanalen" }).click();
    const shared = messages()
      .filter({ hasText: "Bristerna inom socialtjänsten" })
      .filter({
        hasNot: page.locator(".ephemeral-label"),
      });
    await eventually(() => shared.count()).toBe(1);
    await eventually(() => textOf(shared)).toContain("@rita");
  });

  it("answers a mention in a thread under the question", async () => {
    await openPlace("# kommunstyrelsen");
    await type("@arendebot status Motion 2016:114");
    const question = lastMessage("status Motion 2016:114");
    await eventually(() => textOf(question.locator(".mention"))).toBe("@arendebot");
    const answer = question.locator(".thread article.message");
    await eventually(() => textOf(answer)).toContain("kompetensutvecklingspeng");
    expect(await answer.locator(".ephemeral-label").count()).toBe(0);
  });

  it("sends a motion on remiss from the modal; the body's channel gets the card", async () => {
    await openPlace("# ärenden");
    await type("/arende remittera Motion 2016:114");
    await eventually(() => textOf(modal().locator(".modal-title"))).toBe("Skicka på remiss");
    // A date in the past is an error in the form, under its field.
    await modal().getByLabel("Remissinstanser", { exact: true }).selectOption({ label: "socialnämnden" });
    await modal().getByLabel("Svar senast", { exact: true }).fill("2017-03-01");
    await modal().getByRole("button", { name: "Skicka remissen" }).click();
    await modal().locator(".b-input-error").first().waitFor();

    await modal().getByLabel("Svar senast", { exact: true }).fill("2017-04-07");
    await modal()
      .getByLabel(/^Meddelande till remissinstanserna/)
      .fill("Yttrandet ska vara inlämnat senast 7 april.");
    // The README's picture: the remiss form over the channel, the shared card behind it.
    await page.screenshot({ path: SCREENSHOT });
    await modal().getByRole("button", { name: "Skicka remissen" }).click();
    await page.locator("#modal").waitFor({ state: "hidden" });

    await openPlace("# socialnämnden");
    const notice = lastMessage("kompetensutvecklingspeng");
    await eventually(() => textOf(notice)).toContain("Yttrandet ska vara inlämnat senast 7 april.");
    await notice.getByRole("button", { name: "Registrera remissvar" }).first().waitFor();
  });

  it("shows a handläggare's Home tab with the remisser to answer", async () => {
    await actAs("Hans Handläggare");
    await openPlace("arendebot · Hem");
    const home = page.locator("#pane .home");
    await eventually(() => textOf(home)).toContain("Remisser att besvara");
    await eventually(() => textOf(home)).toContain("kompetensutvecklingspeng");
    await home.getByRole("button", { name: "Registrera remissvar" }).first().first().waitFor();
  });

  it("records a remissvar from the Home tab, and the godkännare approves it in the DM", async () => {
    await page.locator("#pane .home").getByRole("button", { name: "Registrera remissvar" }).first().click();
    await eventually(() => textOf(modal().locator(".modal-title"))).toBe("Registrera remissvar");
    await modal()
      .getByLabel(/^Sammanfattning av svaret/)
      .fill("Stadsdelsnämnden tillstyrker motionen.");
    await modal().getByRole("button", { name: "Skicka för godkännande" }).click();
    await page.locator("#modal").waitFor({ state: "hidden" });

    await actAs("Greta Godkännare");
    await openPlace("● arendebot");
    const request = lastMessage("Stadsdelsnämnden tillstyrker motionen.");
    await request.getByRole("button", { name: "Godkänn" }).click();
    const confirm = page.locator("dialog.confirm-dialog");
    await eventually(() => textOf(confirm)).toContain("Godkänna remissvaret?");
    await confirm.getByRole("button", { name: "Godkänn" }).click();

    await eventually(() => textOf(request)).toContain("Godkänd av @greta");
    await request.locator(".edited").first().waitFor();
    await eventually(() => request.getByRole("button", { name: "Godkänn" }).count()).toBe(0);
  });

  it("posts a reminder when the jobs run now, and the digest a day later", async () => {
    await actAs("Rita Registrator");
    await openPlace("# socialnämnden");
    await page.getByRole("button", { name: "Kör digest och påminnelser nu" }).click();
    await eventually(() => textOf(lastMessage("Påminnelse"))).toContain("kompetensutvecklingspeng");

    await openPlace("# ärenden");
    await type("/arende digest prenumerera tisdag 08:00");
    await lastMessage("prenumererar nu kanalen").first().waitFor();
    // Tuesday's digest: nothing of the demo registry is overdue on 4 April 2017, which it says in a line.
    const digests = messages().filter({ hasText: /försenade ärenden den 4 april 2017/ });
    expect(await digests.count()).toBe(0);
    await page.getByRole("button", { name: "Spola fram en dag" }).click();
    await eventually(() => textOf(page.locator("#clock"))).toContain("tisdag");
    await digests.first().waitFor();
    expect(await digests.first().locator(".ephemeral-label").count()).toBe(0);
  });

  it("renders mrkdwn as Slack does, and a block it does not know as its JSON", async () => {
    // As a string: vitest would rewrite an import() in a function into its own loader.
    const rendered = (await page.evaluate(`(async () => {
      const blocks = await import("/blocks.js");
      const directory = { userName: (id) => (id === "U0GRETA" ? "greta" : id), channelName: () => "bromma", users: [] };
      const html = blocks.mrkdwn(
        "*fet* _kursiv_ ~struken~ \`kod\` <https://example.se|länk> <@U0GRETA> <#C0BROMMA> <!date^1491206400^{date_short}|3 apr> a &lt;b&gt;",
        directory,
      );
      const unknown = blocks.renderBlocks([{ type: "table", rows: [] }], { directory, onAction: () => {} });
      return { html, unknown: unknown.textContent };
    })()`)) as { html: string; unknown: string };
    expect(rendered.html).toBe(
      '<strong>fet</strong> <em>kursiv</em> <del>struken</del> <code>kod</code> <a href="https://example.se" target="_blank" rel="noopener">länk</a> <span class="mention">@greta</span> <span class="mention">#bromma</span> <time>3 apr. 2017</time> a &lt;b&gt;',
    );
    expect(rendered.unknown).toContain('Okänd blocktyp "table"');
    expect(rendered.unknown).toContain('"rows": []');
  });

  it("serves this machine alone: the bot on loopback only, the page's API to its own page only", async () => {
    // The bot's port is not open on the machine's other addresses.
    const elsewhere = Object.values(networkInterfaces())
      .flat()
      .find((address) => address && address.family === "IPv4" && !address.internal)?.address;
    const botPort = Number(new URL(workspace.botUrl).port);
    if (elsewhere) {
      const reached = await new Promise<boolean>((resolve) => {
        const socket = connect({ host: elsewhere, port: botPort }, () => {
          socket.destroy();
          resolve(true);
        });
        socket.once("error", () => resolve(false));
      });
      expect(reached).toBe(false);
    }
    expect((await fetch(`${workspace.botUrl}/healthz`)).status).toBe(200);
    // A page elsewhere (another Origin, or a name that only resolves here) is refused.
    const port = Number(new URL(workspace.url).port);
    const status = (headers: Record<string, string>, method = "GET", path = "/ws/state?user=U0ADA") =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: "127.0.0.1", port, method, path, headers }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.once("error", reject);
        req.end(
          method === "POST"
            ? JSON.stringify({ user: "U0ADA", place: "C0ARENDEN", text: "/arende hjälp" })
            : undefined,
        );
      });
    expect(await status({ host: `127.0.0.1:${port}` })).toBe(200);
    expect(await status({ host: "evil.example" })).toBe(403);
    const post = { host: `127.0.0.1:${port}`, "content-type": "application/json" };
    expect(await status({ ...post, origin: "http://evil.example" }, "POST", "/ws/send")).toBe(403);
    expect(await status({ ...post, "content-type": "text/plain" }, "POST", "/ws/send")).toBe(403);
  });

  it("keeps every message and view the bot sent within Slack's limits, and shows none in red", async () => {
    expect(await page.locator(".violations").count()).toBe(0);
    for (const user of DEMO_USERS) {
      const state = (await (await fetch(`${workspace.url}/ws/state?user=${user.id}`)).json()) as {
        messages: { violations: unknown[] }[];
        home: { violations: unknown[] } | null;
      };
      expect(state.messages.flatMap((message) => message.violations)).toEqual([]);
      expect(state.home?.violations ?? []).toEqual([]);
    }
  });
});
