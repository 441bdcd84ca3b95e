/** Page helpers for the e2e suite: open a page and time it, drive the position form, read figures. */
import type { Locator, Page } from "playwright-core";

/** Opens `#/name` and waits until its data is shown; returns the milliseconds it took. */
export async function openPage(page: Page, base: string, name: string, ready = "[data-ready]"): Promise<number> {
  const t0 = Date.now();
  await page.goto(`${base}#/${name}`);
  await page.locator(ready).first().waitFor({ timeout: 15_000 });
  return Date.now() - t0;
}

export async function text(page: Page, testId: string): Promise<string> {
  return (await page.getByTestId(testId).first().innerText()).trim();
}

/** Connects the local-only test wallet with Hardhat account `index`. */
export async function connectTestWallet(page: Page, index: number): Promise<void> {
  await page.getByLabel("Test account").selectOption(String(index));
  await page.getByRole("button", { name: "Use test wallet (local only)" }).click();
  await page.getByTestId("account").waitFor();
}

/** Waits for the form's transaction line to confirm `label`, failing with the words of an error. */
export async function confirmed(page: Page | Locator, label: string): Promise<void> {
  const done = page.getByTestId("tx-status").filter({ hasText: `${label}: confirmed` });
  const failed = page.getByTestId("tx-error");
  await Promise.race([done.waitFor({ timeout: 30_000 }), failed.waitFor({ timeout: 30_000 })]);
  if (await failed.isVisible()) throw new Error(await failed.innerText());
}

/** Picks an action, types an amount, approves when asked, submits and waits for the receipt. */
export async function act(page: Page, kind: string, amount: string | "all", collateral?: string): Promise<void> {
  await page.getByTestId(`kind-${kind}`).click();
  if (collateral) await page.getByTestId("collateral-select").selectOption({ label: collateral });
  if (amount === "all") await page.getByTestId("all").check();
  else await page.getByTestId("amount").fill(amount);
  const approve = page.getByTestId("approve");
  if (await approve.isVisible()) {
    const label = (await approve.innerText()).split(" ").pop()!;
    await approve.click();
    await confirmed(page, `Approve ${label}`);
  }
  const submit = page.getByTestId("submit");
  const label = (await submit.innerText()).trim();
  await submit.click({ timeout: 10_000 }); // waits until enabled (allowance refreshed)
  await confirmed(page, label);
}

/** A displayed number ("1,234.5 USDC" → 1234.5). */
export const num = (s: string): number => Number(s.replace(/[^0-9.\-]/g, ""));

/** Waits until the figure `testId` satisfies `ok` (cached figures refresh within a few seconds); returns it. */
export async function waitForText(
  page: Page,
  testId: string,
  ok: (s: string) => boolean,
  timeoutMs = 15_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    last = await text(page, testId);
    if (ok(last)) return last;
    await page.waitForTimeout(250);
  }
  throw new Error(`${testId} is still "${last}" after ${timeoutMs} ms`);
}

/** The parts of a DOM form control the checks read (the e2e code is compiled without the DOM types). */
interface Control {
  type?: string;
  labels?: { length: number } | null;
  outerHTML: string;
  checkVisibility(): boolean;
  getAttribute(name: string): string | null;
}

/** The visible form controls with no accessible name (no <label>, aria-label or aria-labelledby). */
export async function unlabelledControls(page: Page): Promise<string[]> {
  return page.locator("input, select, textarea").evaluateAll((els) =>
    (els as unknown as Control[])
      .filter((e) => e.type !== "hidden" && e.checkVisibility())
      .filter((e) => !(e.labels?.length || e.getAttribute("aria-label") || e.getAttribute("aria-labelledby")))
      .map((e) => e.outerHTML.slice(0, 160)),
  );
}

/** Presses Tab until `target` has the focus; returns how many presses it took (throws after `max`). */
export async function tabUntil(page: Page, target: Locator, max = 12): Promise<number> {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press("Tab");
    const focused = await target.evaluate(
      (el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement,
    );
    if (focused) return i;
  }
  throw new Error(`Tab did not reach the control in ${max} presses`);
}
