import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, demoPageUrl } from "../../../scripts/lib/paths.mjs";
import { seedDemoData } from "../../../scripts/lib/seed.mjs";
import { launchChromium } from "./chromium.js";

/**
 * The whole flow in a real browser: the demo page from the Hosting emulator, sign-in through
 * the Auth emulator, tokens from the callable in the Functions emulator through the web client
 * package, and the package's automatic refresh. Screenshots go to test-artifacts/.
 */

const ARTIFACTS = path.join(ROOT, "test-artifacts");
/** Anything shaped like a JWT: nothing of the kind may reach the console. */
const JWT_PATTERN = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]*/;
/** The first call may meet a cold function instance: give the page time to show results. */
const WAIT = { timeout: 20_000, interval: 250 };

let browser: Browser | undefined;
let page: Page;
const consoleLines: string[] = [];

beforeAll(async () => {
  if (!process.env.FIREBASE_AUTH_EMULATOR_HOST) {
    throw new Error("The browser test runs inside `npm run test:integration` (emulators:exec).");
  }
  await seedDemoData();
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1100, height: 1300 } });
  page.on("console", (message) => consoleLines.push(message.text()));
  page.on("pageerror", (error) => consoleLines.push(`pageerror: ${error.message}`));
});

afterAll(async () => {
  await browser?.close();
});

const byTestId = (id: string) => page.getByTestId(id);

/** The firebase the demo workspace installed (13, while the repository root keeps 12). */
const DEMO_FIREBASE = (
  JSON.parse(
    readFileSync(path.join(ROOT, "demo", "node_modules", "firebase", "package.json"), "utf8"),
  ) as { version: string }
).version;

describe("the demo page, in headless Chromium", () => {
  it("signs the rider in and shows a consumer token for their trip", async () => {
    await page.goto(demoPageUrl());
    await expect(page.title()).resolves.toBe("Fleet Engine tokens · local demo");
    // One SDK in the bundle, the demo's: the web client's imports of firebase resolve to it.
    expect(DEMO_FIREBASE).toMatch(/^13\./);
    await expect.poll(() => byTestId("sdk-version").textContent(), WAIT).toBe(DEMO_FIREBASE);
    await page.selectOption("#account", "rider@demo.test");
    await page.click("#sign-in");
    await expect
      .poll(() => byTestId("signed-in-as").textContent(), WAIT)
      .toContain("rider@demo.test (uid demo-rider)");

    await page.getByRole("button", { name: "consumer · trip-1", exact: true }).click();
    await expect
      .poll(() => byTestId("authorization").textContent(), WAIT)
      .toBe('{"tripid":"trip-1"}');
    const claims = JSON.parse(
      ((await byTestId("claims").textContent()) ?? "").replace(/ {2}\/\/ .*$/gm, ""),
    ) as Record<string, unknown>;
    expect(claims).toMatchObject({
      aud: "https://fleetengine.googleapis.com/",
      authorization: { tripid: "trip-1" },
    });
    expect(await byTestId("header").textContent()).toContain('"alg": "RS256"');
    // A live countdown from the package's expiresInSeconds (one-hour tokens).
    await expect
      .poll(() => byTestId("expires-in").textContent(), WAIT)
      .toMatch(/^(1:00:00|59:\d\d)$/);
    await expect.poll(() => byTestId("token-number").textContent(), WAIT).toBe("#1");
    expect(await byTestId("call-count").textContent()).toBe("1");
    await page.screenshot({ path: path.join(ARTIFACTS, "demo-page-token.png"), fullPage: true });
  });

  it("shows permission-denied for someone else's trip", async () => {
    await page
      .getByRole("button", { name: "consumer · trip-2 (someone else's trip)", exact: true })
      .click();
    await expect.poll(() => byTestId("error-code").textContent(), WAIT).toBe("permission-denied");
    expect(await byTestId("authorization").isVisible()).toBe(false);
    await page.screenshot({ path: path.join(ARTIFACTS, "demo-page-refused.png"), fullPage: true });
  });

  it("shows the package refreshing the token by itself", async () => {
    await page.getByRole("button", { name: "consumer · trip-1", exact: true }).click();
    await page.selectOption("#refresh-window", "3570"); // the package calls again after 30 s
    await expect.poll(() => byTestId("call-count").textContent(), WAIT).toBe("1");
    // The package's own refresh: a second call to the callable, about 30 s after the first.
    await expect
      .poll(() => byTestId("call-count").textContent(), { timeout: 60_000, interval: 1000 })
      .toBe("2");
    await expect
      .poll(() => byTestId("history").locator("tbody tr").allTextContents(), WAIT)
      .toEqual([expect.stringContaining("refresh"), expect.stringContaining("first request")]);
    expect(await byTestId("status").textContent()).toContain("refreshed the token by itself");
    expect(await byTestId("authorization").textContent()).toBe('{"tripid":"trip-1"}');
    await page.screenshot({
      path: path.join(ARTIFACTS, "demo-page-refreshed.png"),
      fullPage: true,
    });
  });

  it("wrote no token to the console", () => {
    expect(consoleLines.filter((line) => JWT_PATTERN.test(line))).toEqual([]);
  });
});
