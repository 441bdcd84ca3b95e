/**
 * The keeper library on the shared market fixture: flag before liquidate, re-flag when the estimate grows, flash
 * liquidation through FlashLiquidator + the test swapper, inventory mode, dry run, and a lost race.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployMarketFixture } from "../helpers/fixtures";
import { FlashLiquidator__factory, MockSwapper__factory } from "../../typechain-types";
import { Keeper } from "../../keeper/keeper";
import { wad } from "../../scripts/lib/protocol";
import { lossTotals } from "../../sdk/losses";

const USDC = (x: number) => BigInt(Math.round(x * 1e6));

async function keeperFixture() {
  const f = await deployMarketFixture();
  const { core, id, usdc, weth, wbtc, alice, bob, frank, deployer } = f;
  await core.connect(alice).supply(id, USDC(1_000_000), 0, alice.address);
  // Bob: 1 WETH at $2000, borrows $1600 (HF 1.0625).
  await core.connect(bob).supplyCollateral(id, 0, wad("1"), bob.address);
  await core.connect(bob).borrow(id, USDC(1600), 0, bob.address, bob.address);
  const swapper = await new MockSwapper__factory(deployer).deploy(deployer.address, wad("0.003"));
  for (const a of [usdc, weth, wbtc])
    await swapper.setAdapter(await a.token.getAddress(), await a.adapter.getAddress());
  await usdc.token.mint(await swapper.getAddress(), USDC(10_000_000));
  const liquidator = await new FlashLiquidator__factory(deployer).deploy(await core.getAddress(), frank.address);
  const lines: string[] = [];
  const keeper = (opts: Partial<ConstructorParameters<typeof Keeper>[0]> = {}) =>
    new Keeper({
      core,
      marketId: id,
      signer: frank,
      mode: "flash",
      liquidator,
      swapper: opts.swapper ?? (swapper.target as string),
      swapFee: wad("0.003"),
      log: (l) => lines.push(l),
      ...opts,
    });
  return { ...f, swapper, liquidator, keeper, lines };
}

describe("scenario: liquidation keeper", function () {
  it("flags a short position, then flash-liquidates it in the same tick; the profit goes to the keeper and the bad debt closes exactly", async function () {
    const { core, id, weth, usdc, bob, frank, keeper, lines } = await loadFixture(keeperFixture);
    await weth.feed.updateAnswer(1500n * 10n ** 8n); // recoverable 1500 / 1.05 = 1428.57 < 1600: short
    const before = await usdc.token.balanceOf(frank.address);
    const res = await keeper().tick();
    expect(res.flagged).to.deep.equal([bob.address.toLowerCase()]);
    expect(res.liquidations.map((l) => l.borrower)).to.deep.equal([bob.address.toLowerCase()]);
    expect(res.failed).to.deep.equal([]);
    // Flag landed before the liquidation (tx order), and the liquidation replaced it by the realized bad debt.
    const flagged = await core.queryFilter(core.filters.ShortfallFlagged(id, bob.address));
    const liq = await core.queryFilter(core.filters.Liquidate(id));
    expect(flagged.length).to.equal(1);
    expect(flagged[0]!.blockNumber).to.be.lessThan(liq[0]!.blockNumber);
    const [, borrowShares, shortfall, cols] = await core.position(id, bob.address);
    expect([borrowShares, shortfall, cols[0]]).to.deep.equal([0n, 0n, 0n]);
    const loss = await lossTotals(core, id);
    expect(loss.badDebtRealized).to.be.greaterThan(0n);
    expect(loss.badDebtRealized).to.equal(loss.fromReserves + loss.fromInsurance + loss.socialized);
    expect((await core.market(id)).pendingShortfall).to.equal(0n);
    expect(await usdc.token.balanceOf(frank.address)).to.be.greaterThan(before);
    expect(lines.some((l) => l.startsWith("flag "))).to.equal(true);
  });

  it("re-flags when the estimate grows, and clears the flag when the position recovers", async function () {
    const { core, id, weth, bob, keeper } = await loadFixture(keeperFixture);
    const k = keeper({ maxLiquidationsPerTick: 0 });
    await weth.feed.updateAnswer(1500n * 10n ** 8n);
    await k.tick();
    const first = (await core.position(id, bob.address))[2];
    expect(first).to.be.greaterThan(0n);
    await weth.feed.updateAnswer(1400n * 10n ** 8n);
    const res = await k.tick();
    expect(res.flagged).to.deep.equal([bob.address.toLowerCase()]);
    const second = (await core.position(id, bob.address))[2];
    expect(second).to.be.greaterThan(first);
    expect((await core.market(id)).pendingShortfall).to.equal(second);
    await weth.feed.updateAnswer(1900n * 10n ** 8n);
    const back = await k.tick();
    expect(back.cleared).to.deep.equal([bob.address.toLowerCase()]);
    expect((await core.position(id, bob.address))[2]).to.equal(0n);
  });

  it("inventory mode: a 50% close-factor liquidation paid from the keeper's own loan assets, collateral received", async function () {
    const { core, id, weth, usdc, bob, frank, keeper } = await loadFixture(keeperFixture);
    await weth.feed.updateAnswer(1850n * 10n ** 8n); // HF 0.983: liquidatable, not short
    const k = keeper({ mode: "inventory" });
    const res = await k.tick();
    expect(res.flagged).to.deep.equal([]);
    expect(res.liquidations.length).to.equal(1);
    const plan = res.liquidations[0]!;
    expect(plan.preview.fullCloseFactor).to.equal(false);
    expect(await weth.token.balanceOf(frank.address)).to.equal(10n ** 30n + plan.preview.seizedToReceiver);
    expect(await usdc.token.balanceOf(frank.address)).to.equal(10n ** 30n - plan.preview.repaid);
    const [, shares] = await core.position(id, bob.address);
    expect(shares).to.be.greaterThan(0n);
  });

  it("dry run: plans and logs, sends nothing", async function () {
    const { core, id, weth, bob, keeper, lines } = await loadFixture(keeperFixture);
    await weth.feed.updateAnswer(1500n * 10n ** 8n);
    const res = await keeper({ dryRun: true }).tick();
    expect(res.flagged.length).to.equal(1);
    expect(res.liquidations.length).to.equal(1);
    expect(res.sent).to.deep.equal([]);
    expect((await core.position(id, bob.address))[1]).to.be.greaterThan(0n);
    expect(lines.length).to.be.greaterThan(0);
  });

  it("loses a race: another liquidator closes the position first; the keeper logs the decoded revert and keeps going", async function () {
    const { core, id, weth, usdc, bob, carol, keeper, lines } = await loadFixture(keeperFixture);
    await weth.feed.updateAnswer(1850n * 10n ** 8n);
    const k = keeper({ mode: "inventory" });
    const obs = await k.observe();
    // Carol liquidates the most she may (50%), twice is not allowed as HF improves; then repays nothing else.
    await core.connect(carol).liquidate(id, bob.address, 0, ethers.MaxUint256, carol.address, "0x");
    const res = await k.act(obs.view, obs.health);
    expect(res.failed.length).to.equal(1);
    expect(res.failed[0]!.reason).to.match(
      /^(HealthyPosition|InsufficientBalance|NoDebt|CollateralDustLeft|DebtDustLeft)\(/,
    );
    expect(lines.some((l) => l.includes("continuing"))).to.equal(true);
    // The next tick works from fresh state and does not throw.
    const again = await k.tick();
    expect(again.failed).to.deep.equal([]);
    void usdc;
  });

  it("FlashLiquidator: only its owner may liquidate and only the core, during a liquidation it started, may call back", async function () {
    const { id, bob, alice, liquidator, swapper } = await loadFixture(keeperFixture);
    await expect(liquidator.connect(alice).liquidate(id, bob.address, 0, 1n, swapper.target, 0n))
      .to.be.revertedWithCustomError(liquidator, "OwnableUnauthorizedAccount")
      .withArgs(alice.address);
    await expect(liquidator.connect(alice).onBallastLiquidate(id, 1n, 1n, "0x"))
      .to.be.revertedWithCustomError(liquidator, "UnexpectedCallback")
      .withArgs(alice.address);
  });

  it("FlashLiquidator: reverts ProfitTooLow when the sale misses minProfit, pays the owner otherwise; sweep is owner-only", async function () {
    const { core, id, weth, usdc, bob, frank, alice, liquidator, swapper } = await loadFixture(keeperFixture);
    // $1850: HF = 1850 x 0.85 / 1600 = 0.983 (50% close factor), no bad debt.
    await weth.feed.updateAnswer(1850n * 10n ** 8n);
    const repay = USDC(100);
    const loanPrice = await usdc.adapter.price();
    const colPrice = await weth.adapter.price();
    const expectSeized = (((repay * loanPrice) / colPrice) * wad("1.05")) / wad("1");
    const proceeds = await swapper.quote(weth.token.target, usdc.token.target, expectSeized);
    const profit = proceeds - repay;
    expect(profit).to.be.greaterThan(0n);
    await expect(liquidator.connect(frank).liquidate(id, bob.address, 0, repay, swapper.target, profit + 1n))
      .to.be.revertedWithCustomError(liquidator, "ProfitTooLow")
      .withArgs(profit, profit + 1n);
    const tx = liquidator.connect(frank).liquidate(id, bob.address, 0, repay, swapper.target, profit);
    await expect(tx).to.emit(liquidator, "FlashLiquidated").withArgs(id, bob.address, 0, repay, expectSeized, profit);
    await expect(tx).to.changeTokenBalances(usdc.token, [frank, liquidator], [profit, 0n]);
    expect(await weth.token.balanceOf(liquidator.target)).to.equal(0n);
    expect((await core.position(id, bob.address))[3][0]).to.equal(wad("1") - expectSeized);
    // A sale that exactly covers the next repay: the liquidation lands, nothing is left to pay out.
    const seized2 = (((repay * loanPrice) / colPrice) * wad("1.05")) / wad("1");
    const gross = (seized2 * colPrice) / loanPrice; // MockSwapper: amountIn x priceIn / priceOut, then the fee
    await swapper.setFee(wad("1") - (repay * wad("1") + gross - 1n) / gross);
    expect(await swapper.quote(weth.token.target, usdc.token.target, seized2)).to.equal(repay);
    const tx2 = liquidator.connect(frank).liquidate(id, bob.address, 0, repay, swapper.target, 0n);
    await expect(tx2).to.emit(liquidator, "FlashLiquidated").withArgs(id, bob.address, 0, repay, seized2, 0n);
    await expect(tx2).to.changeTokenBalances(usdc.token, [frank, liquidator], [0n, 0n]);
    // Tokens sent to the contract by mistake: only the owner sweeps them.
    await usdc.token.connect(alice).transfer(liquidator.target, USDC(5));
    await expect(liquidator.connect(alice).sweep(usdc.token.target, alice.address))
      .to.be.revertedWithCustomError(liquidator, "OwnableUnauthorizedAccount")
      .withArgs(alice.address);
    await expect(liquidator.connect(frank).sweep(usdc.token.target, frank.address)).to.changeTokenBalances(
      usdc.token,
      [liquidator, frank],
      [-USDC(5), USDC(5)],
    );
  });

  it("MockSwapper quotes at the oracle prices minus its fee and refuses an output below the minimum", async function () {
    const { swapper, weth, usdc, alice } = await loadFixture(keeperFixture);
    const out = await swapper.quote(weth.token.target, usdc.token.target, wad("1"));
    expect(out).to.equal((2000n * 10n ** 6n * (10n ** 18n - wad("0.003"))) / 10n ** 18n);
    await weth.token.connect(alice).approve(swapper.target, ethers.MaxUint256);
    await expect(swapper.connect(alice).swap(weth.token.target, usdc.token.target, wad("1"), out + 1n, alice.address))
      .to.be.revertedWithCustomError(swapper, "InsufficientOutput")
      .withArgs(out, out + 1n);
  });
});
