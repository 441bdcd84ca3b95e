/**
 * `npm run test:e2e`: the built app in Debian's Chromium (playwright-core) against a fresh local node, the
 * indexer and the keeper. Fails on any console error. Screenshots go to reports/app/*.png, page timings and the
 * first-load bundle size to reports/app/metrics.json.
 */
import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { JsonRpcProvider } from "ethers";
import type { Page } from "playwright-core";
import {
  BallastCore__factory,
  BallastLens__factory,
  InsuranceFund__factory,
  MockERC20__factory,
} from "../../typechain-types";
import { lossTotals } from "../../sdk/losses";
import { hardhatTask, runKeeperOnce, startStack, type Stack } from "./stack";
import {
  act,
  confirmed,
  connectTestWallet,
  num,
  openPage,
  tabUntil,
  text,
  unlabelledControls,
  waitForText,
} from "./pages";
import { chainParameterChanges, fakeInjectedProvider, readReport, reportFiles } from "./fixtures";
import type { CrashReport } from "../../replay/report";
import type { StressReport } from "../../replay/stress";
import type { FrontierReport } from "../../replay/frontier";

const OUT = path.join("reports", "app");
const PAGE_BUDGET_MS = 2_000;
const BUNDLE_BUDGET = 500 * 1024;
const USER = 1; // Hardhat account #1 (the keeper is #0)

describe("app e2e (Chromium, local node, indexer, keeper)", function () {
  this.timeout(300_000);
  let s: Stack;
  let page: Page;
  const consoleErrors: string[] = [];
  const timings: Record<string, number> = {};
  let firstLoadJs = 0;
  let loadedJs = 0;

  const shot = (name: string) => page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
  const timed = async (name: string, ready?: string) => {
    const ms = await openPage(page, s.app.url, name, ready);
    timings[name] = Math.max(timings[name] ?? 0, ms);
    expect(ms, `${name} interactive in ${ms} ms`).to.be.lessThan(PAGE_BUDGET_MS);
  };
  const lens = () => BallastLens__factory.connect(s.deployment.contracts.BallastLens!, new JsonRpcProvider(s.node.url));
  // The core keeps no running loss totals: the chain's figures are its BadDebtRealized events, summed.
  const losses = () =>
    lossTotals(BallastCore__factory.connect(s.deployment.contracts.BallastCore!, new JsonRpcProvider(s.node.url)), 1);

  before(async function () {
    fs.mkdirSync(OUT, { recursive: true });
    s = await startStack();
    page = await s.browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("console", (m) => void (m.type() === "error" && consoleErrors.push(m.text())));
    page.on("pageerror", (e) => void consoleErrors.push(e.message));
    page.on("response", (r) => {
      if (r.url().endsWith(".js"))
        void r.body().then(
          (b) => (loadedJs += zlib.gzipSync(b).length),
          () => undefined,
        );
    });
    // Account #1 starts with no allowance, so the app's approval step is exercised.
    const signer = await new JsonRpcProvider(s.node.url).getSigner(USER);
    for (const sym of ["USDC", "WETH"]) {
      await (
        await MockERC20__factory.connect(s.deployment.contracts[sym]!, signer).approve(
          s.deployment.contracts.BallastCore!,
          0n,
        )
      ).wait();
    }
  });

  afterEach(function () {
    expect(consoleErrors, "console errors").to.deep.equal([]);
  });

  after(async function () {
    console.log(`      page interactive (ms): ${JSON.stringify(timings)}; first-load JS: ${firstLoadJs} B gzipped`);
    const metrics = {
      pageInteractiveMs: timings,
      pageBudgetMs: PAGE_BUDGET_MS,
      firstLoadJsGzipBytes: firstLoadJs,
      firstLoadBudgetBytes: BUNDLE_BUDGET,
      consoleErrors: consoleErrors.length,
    };
    fs.writeFileSync(path.join(OUT, "metrics.json"), JSON.stringify(metrics, null, 2) + "\n");
    await s?.stop();
  });

  it("markets: real figures from the node, first load under 500 kB of gzipped JS", async function () {
    await timed("markets", '[data-testid="market-1"]');
    await page.waitForLoadState("networkidle");
    firstLoadJs = loadedJs;
    expect(firstLoadJs, `first-load JS ${firstLoadJs} B gzipped`).to.be.greaterThan(0).and.lessThan(BUNDLE_BUDGET);
    expect(await text(page, "supplied-1")).to.equal("500,000 USDC");
    expect(await text(page, "price-1-WETH")).to.equal("$3,000");
    expect(await text(page, "utilization-1")).to.match(/^\d+(\.\d+)?%$/);
    expect(await unlabelledControls(page)).to.deep.equal([]);
    // This browser has no wallet extension: no button to connect one, a line that says so; the test wallet is marked.
    expect(await text(page, "no-injected")).to.contain("No browser wallet found");
    expect(await page.getByRole("button", { name: /^Connect/ }).count()).to.equal(0);
    expect(await page.getByRole("button", { name: "Use test wallet (local only)" }).isVisible()).to.equal(true);
    await shot("markets");
  });

  it("header: the browser-wallet button appears when the browser has a wallet (window.ethereum)", async function () {
    const ctx = await s.browser.newContext();
    await ctx.addInitScript(fakeInjectedProvider);
    const p = await ctx.newPage();
    const errors: string[] = [];
    p.on("console", (m) => void (m.type() === "error" && errors.push(m.text())));
    p.on("pageerror", (e) => void errors.push(e.message));
    await p.goto(`${s.app.url}#/markets`);
    await p.getByRole("button", { name: "Connect browser wallet" }).waitFor({ timeout: 10_000 });
    expect(await p.getByTestId("no-injected").count()).to.equal(0);
    await ctx.close();
    expect(errors).to.deep.equal([]);
  });

  it("position: connect, each of the six actions (approval, preview, repay in part then by shares), keyboard only", async function () {
    await timed("position");
    const t0 = Date.now();
    await connectTestWallet(page, USER);
    await page.getByTestId("health-factor").waitFor();
    timings["position (connected)"] = Date.now() - t0;
    expect(timings["position (connected)"]).to.be.lessThan(PAGE_BUDGET_MS);
    await act(page, "supply", "1000");
    expect(num(await text(page, "supplied"))).to.be.closeTo(1000, 0.01);
    await act(page, "supplyCollateral", "2", "WETH");
    expect(await text(page, "collateral-WETH")).to.equal("2");

    // Borrow: the SDK preview moves with the amount; too much is refused in words before signing.
    await page.getByLabel("Borrow", { exact: true }).check();
    await page.getByLabel("Amount (USDC)").fill("5000");
    const revert = await text(page, "preview-revert");
    expect(revert).to.match(/^This would fail: /);
    expect(revert).to.contain("LTV");
    expect(revert).to.not.match(/0x[0-9a-f]{41,}/i); // an address may be named, raw revert data never
    await page.getByLabel("Amount (USDC)").fill("3000");
    expect(await text(page, "preview-hf")).to.equal("1.7"); // 2 WETH x $3,000 x 85% / $3,000
    const liqAfter = await text(page, "preview-liq-WETH");
    await shot("position");
    // Keyboard: the amount field is labelled and Enter submits the form.
    await page.getByLabel("Amount (USDC)").press("Enter");
    await confirmed(page, "Borrow");
    expect(await text(page, "health-factor")).to.equal("1.7");
    expect(await text(page, "liq-price-WETH")).to.equal(liqAfter);
    expect(num(await text(page, "debt"))).to.be.closeTo(3000, 0.01);

    await act(page, "repay", "1000"); // part, by assets
    expect(num(await text(page, "debt"))).to.be.closeTo(2000, 0.01);
    await act(page, "repay", "all"); // the rest, by shares
    expect(await text(page, "debt")).to.equal("0 USDC");
    expect(await text(page, "health-factor")).to.equal("∞");

    // Keyboard only: pick Supply, type an amount, Tab to the approval and then to the submit button.
    expect(await unlabelledControls(page)).to.deep.equal([]);
    await page.getByLabel("Supply", { exact: true }).focus();
    await page.keyboard.press("Space");
    await tabUntil(page, page.getByTestId("amount"));
    await page.keyboard.type("10");
    await tabUntil(page, page.getByTestId("approve"));
    await page.keyboard.press("Enter");
    await confirmed(page, "Approve USDC");
    await page.getByTestId("amount").focus();
    await tabUntil(page, page.getByTestId("submit"));
    await page.keyboard.press("Enter");
    await confirmed(page, "Supply");
    expect(num(await text(page, "supplied"))).to.be.closeTo(1010, 0.01);
    await act(page, "withdraw", "10");
    expect(num(await text(page, "supplied"))).to.be.closeTo(1000, 0.01);
    await act(page, "withdrawCollateral", "0.5", "WETH");
    expect(await text(page, "collateral-WETH")).to.equal("1.5");
    // The account's history, from the indexer.
    for (const kind of ["borrow", "repay", "supplyCollateral", "withdraw", "withdrawCollateral"])
      await page.getByTestId(`history-${kind}`).first().waitFor({ timeout: 15_000 });

    // A transaction the chain refuses: the simulation's revert is shown in the SDK's words, never as hex.
    await page.getByLabel("Withdraw", { exact: true }).check();
    await page.getByLabel("Amount (USDC)").fill("5000");
    await page.getByTestId("submit").click();
    const refused = await text(page, "tx-error");
    expect(refused).to.match(/^Withdraw failed: InsufficientBalance/);
    expect(refused).to.not.match(/0x[0-9a-f]{41,}/i);
  });

  it("insurance: share price, stake and start a cooldown, with the unstake window's dates", async function () {
    await timed("insurance", '[data-testid="fund-1"]');
    const fund = page.getByTestId("fund-1");
    expect(num(await text(page, "share-price-1"))).to.be.greaterThan(0);
    expect(await text(page, "window-1")).to.equal("no cooldown started");
    expect(await unlabelledControls(page)).to.deep.equal([]);
    // Keyboard only: type the amount, Tab to Stake, press Enter.
    await fund.getByLabel("Amount (USDC)").focus();
    await page.keyboard.type("100");
    await tabUntil(page, fund.getByRole("button", { name: "Stake", exact: true }));
    await page.keyboard.press("Enter");
    await confirmed(fund, "Stake");
    expect(num(await text(page, "stake-1"))).to.be.closeTo(100, 0.01);
    await fund.getByRole("button", { name: "Start cooldown" }).click();
    await confirmed(fund, "Start cooldown");
    expect(await text(page, "window-1")).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC → \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    await shot("insurance");
  });

  it("the indexer's totals equal the chain's views after the keeper liquidates (bad debt, split, liquidations)", async function () {
    await hardhatTask(s, ["ballast:set-price", "--asset", "WETH", "--price", "1500"]);
    for (let i = 0; i < 4 && (await losses()).badDebtRealized === 0n; i++) {
      const r = await runKeeperOnce(s);
      expect(r.code, r.output.slice(-1500)).to.equal(0);
    }
    const chain = await losses();
    expect(chain.badDebtRealized, "the keeper realized bad debt").to.be.greaterThan(0n);
    expect(chain.fromReserves + chain.fromInsurance + chain.socialized).to.equal(chain.badDebtRealized);
    const core = new (await import("ethers")).Contract(
      s.deployment.contracts.BallastCore!,
      [
        "event Liquidate(uint256 indexed id, address indexed liquidator, address indexed borrower, uint256 index, uint256 repaidAssets, uint256 repaidShares, uint256 seizedAssets, uint256 protocolSeized)",
      ],
      new JsonRpcProvider(s.node.url),
    );
    const logs = await core.queryFilter(core.filters.Liquidate!(1n), s.deployment.block);
    expect(logs.length).to.be.greaterThan(0);

    const want = {
      liquidations: logs.length,
      badDebt: String(chain.badDebtRealized),
      fromReserves: String(chain.fromReserves),
      fromInsurance: String(chain.fromInsurance),
      socialized: String(chain.socialized),
    };
    let got: Record<string, unknown> = {};
    for (let i = 0; i < 60; i++) {
      got = (await (await fetch(`${s.indexer.url}/api/markets/1`)).json()) as Record<string, unknown>;
      if (got.badDebt === want.badDebt && got.liquidations === want.liquidations) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect({
      liquidations: got.liquidations,
      badDebt: got.badDebt,
      fromReserves: got.fromReserves,
      fromInsurance: got.fromInsurance,
      socialized: got.socialized,
    }).to.deep.equal(want);
    const parameterChanges = await chainParameterChanges(s, 1n);
    expect(parameterChanges).to.be.greaterThan(0);
    expect(got.parameterChanges, "parameter changes").to.equal(parameterChanges);
    const listed = (await (await fetch(`${s.indexer.url}/api/markets/1/parameters?limit=1000`)).json()) as unknown[];
    expect(listed.length, "parameter-change events listed").to.equal(parameterChanges);

    // The fund's draws and the user's stake, from the indexer.
    const fundAddress = s.deployment.contracts[s.deployment.markets[0]!.insuranceFund]!;
    const fund = (await (await fetch(`${s.indexer.url}/api/funds/${fundAddress}`)).json()) as {
      totals: { drawn: string; draws: number } | null;
    };
    expect(fund.totals?.drawn ?? "0", "drawn from the fund").to.equal(String(chain.fromInsurance));
    const user = await (await new JsonRpcProvider(s.node.url).getSigner(USER)).getAddress();
    const mine = (await (await fetch(`${s.indexer.url}/api/accounts/${user}`)).json()) as {
      insurance: { kind: string; assets: string }[];
    };
    expect(mine.insurance.filter((e) => e.kind === "stake").map((e) => e.assets)).to.include("100000000");
    expect(mine.insurance.map((e) => e.kind)).to.include("CooldownStarted");
  });

  it("risk: the liquidation and its loss split from the indexer, and the crash-replay charts", async function () {
    await timed("risk", '[data-testid="live-1"]');
    const chain = await losses();
    const usdc = (x: bigint) => `${(Number(x) / 1e6).toLocaleString("en-US", { maximumFractionDigits: 2 })} USDC`;
    expect(num(await text(page, "idx-liquidations-1"))).to.be.greaterThan(0);
    expect(await text(page, "idx-bad-debt-1")).to.equal(usdc(chain.badDebtRealized));
    expect(await text(page, "idx-from-reserves-1")).to.equal(usdc(chain.fromReserves));
    expect(await text(page, "idx-from-insurance-1")).to.equal(usdc(chain.fromInsurance));
    expect(await text(page, "idx-socialized-1")).to.equal(usdc(chain.socialized));
    await page.getByTestId("crash-report").locator(".uplot").first().waitFor({ timeout: 10_000 });
    expect(await unlabelledControls(page)).to.deep.equal([]);

    // The crash replay shown first: its collateral, debt and supply per phase (the committed reports record them).
    const crash = readReport<CrashReport>(reportFiles("crash"));
    expect(crash, "a committed crash report").to.not.equal(undefined);
    expect(crash!.phases.every((p) => "collateralValueUsd" in p && "debt" in p)).to.equal(true);
    expect(await page.getByTestId("balance-row").count()).to.equal(crash!.phases.length);
    // The stress grid: every cell's supplier loss as in the file.
    const stress = readReport<StressReport>(reportFiles("stress"));
    if (stress) {
      for (const c of stress.grid)
        expect(await text(page, `stress-${c.depthUsd2Pct}-${c.keeperEveryBlocks}`)).to.match(
          new RegExp(`^${c.supplierLossBps} bps`),
        );
    } else expect(await page.getByText("No stress grid in reports/").count()).to.equal(1);
    const frontier = readReport<FrontierReport>(reportFiles("frontier"));
    if (frontier?.frontier.liquidationThreshold)
      expect(num(await text(page, "frontier-threshold"))).to.be.closeTo(
        frontier.frontier.liquidationThreshold * 100,
        0.01,
      );
    await shot("risk");
  });

  it("a stale feed greys out borrow and remove collateral; supply, repay and add collateral stay open", async function () {
    const provider = new JsonRpcProvider(s.node.url);
    await provider.send("evm_increaseTime", [2 * 3600]);
    await provider.send("evm_mine", []);
    const pos = await lens().position(1, await (await provider.getSigner(USER)).getAddress());
    expect(pos.pricesValid).to.equal(false);
    await timed("position");
    await page.getByTestId("stale-banner").waitFor();
    for (const figure of ["health-factor", "collateral-value", "borrow-power", "borrow-left"])
      expect(await text(page, figure), figure).to.equal("price invalid");
    for (const kind of ["borrow", "withdrawCollateral"])
      expect(await page.getByTestId(`kind-${kind}`).getAttribute("class")).to.contain("greyed");
    await page.getByTestId("kind-borrow").click();
    await page.getByTestId("amount").fill("10");
    expect(await page.getByTestId("submit").isDisabled()).to.equal(true);
    for (const kind of ["supply", "repay", "supplyCollateral"]) {
      await page.getByTestId(`kind-${kind}`).click();
      expect(await page.getByTestId(`kind-${kind}`).getAttribute("class")).to.not.contain("greyed");
    }
    await page.getByTestId("kind-borrow").click();
    await shot("stale-price");
  });

  it("insurance: unstake inside the window once the cooldown has passed", async function () {
    const provider = new JsonRpcProvider(s.node.url);
    await provider.send("evm_increaseTime", [10 * 86_400]);
    await provider.send("evm_mine", []);
    await timed("insurance", '[data-testid="fund-1"]');
    const fund = page.getByTestId("fund-1");
    await fund.getByText("(open now)").waitFor();
    // The draws that paid bad debt, from the indexer, as on the chain (the fund's Drawn events).
    const fundAddress = s.deployment.contracts[s.deployment.markets[0]!.insuranceFund]!;
    const fundContract = InsuranceFund__factory.connect(fundAddress, provider);
    const drawn = await fundContract.queryFilter(fundContract.filters.Drawn(), s.deployment.block);
    expect(drawn.length, "the fund paid bad debt").to.be.greaterThan(0);
    const total = drawn.reduce((sum, e) => sum + e.args.amount, 0n);
    const want = `${drawn.length} (${(Number(total) / 1e6).toLocaleString("en-US", { maximumFractionDigits: 2 })} USDC)`;
    expect(await waitForText(page, "draws-1", (t) => t === want)).to.equal(want);
    // The fund paid part of the bad debt: the 100 USDC staked before the liquidation are worth less now.
    const stake = num(await waitForText(page, "stake-1", (t) => num(t) < 100));
    expect(stake).to.be.greaterThan(0);
    await fund.getByRole("button", { name: "Unstake all" }).click();
    await confirmed(fund, "Unstake all");
    expect(await text(page, "stake-1")).to.equal("0 USDC");
  });
});
