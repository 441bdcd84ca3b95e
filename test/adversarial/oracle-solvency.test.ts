/**
 * Adversarial: prices and solvency. A feed pinned at its floor while the market falls (Venus / Blizz on LUNA 2022),
 * manipulated and decimals-mismatched prices (Morpho PAXG 2024, Moonwell cbETH 2026), the Euler 2023 donation +
 * self-liquidation, dust positions that try to block bad-debt realization, and a year of no activity at 100%
 * utilization. Exact figures come from the SDK's math.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { deployMarketFixture } from "../helpers/fixtures";
import { deployPricedToken, createMarket, deployAdapter, replaceAdapterBounds, wad } from "../../scripts/lib/protocol";
import {
  liquidationAmounts,
  compoundedInterest,
  borrowRate,
  utilization,
  wMulDown,
  toAssetsUp,
  copyMarket,
  MarketState,
} from "../../sdk/math";
import { MockV3Aggregator__factory } from "../../typechain-types/factories/@chainlink/contracts/src/v0.8/tests/MockV3Aggregator__factory";

const U = 10n ** 6n;
const E = 10n ** 18n;
const B = 10n ** 8n;
const MAX = ethers.MaxUint256;

async function marketOf(
  core: Awaited<ReturnType<typeof deployMarketFixture>>["core"],
  id: bigint,
): Promise<MarketState> {
  return copyMarket(await core.market(id));
}

describe("Adversarial: oracle floors, manipulated and mis-scaled prices", function () {
  async function lunaFixture() {
    const f = await deployMarketFixture();
    // LUNA-like collateral: Chainlink's aggregator clamps at minAnswer $0.10; Ballast's bound is $1.
    const luna = await deployPricedToken(f.deployer, { symbol: "LUNA", decimals: 18, price: "80", minPrice: "1" });
    const id = await createMarket(f.core, {
      loan: f.usdc,
      collaterals: [{ asset: luna, ltv: wad("0.5"), liquidationThreshold: wad("0.6"), liquidationBonus: wad("0.1") }],
    });
    for (const s of [f.alice, f.bob, f.carol]) {
      await luna.token.mint(s.address, 10n ** 30n);
      await luna.token.connect(s).approve(await f.core.getAddress(), MAX);
    }
    await f.core.connect(f.alice).supply(id, 1_000_000n * U, 0n, f.alice.address);
    await f.core.connect(f.carol).supplyCollateral(id, 0, 1_000n * E, f.carol.address); // $80,000
    await f.core.connect(f.carol).borrow(id, 30_000n * U, 0n, f.carol.address, f.carol.address);
    return { ...f, luna, lunaId: id };
  }

  it("a feed stuck at its floor ($0.10) below the bound ($1) halts borrow and liquidation instead of using it (Venus / LUNA)", async function () {
    const { core, luna, lunaId, bob: attacker, carol, usdc } = await loadFixture(lunaFixture);
    const floorAnswer = 10_000_000n; // $0.10 with 8 decimals: the aggregator's clamp while LUNA trades at $0.01
    await luna.feed.updateAnswer(floorAnswer);
    const feed = await luna.feed.getAddress();
    const minAnswer = wad("1") / 10n ** 10n;
    const maxAnswer = wad("10000000") / 10n ** 10n;
    // The attacker buys 1,000,000 LUNA at the market price and posts it: it may be deposited (no price needed)...
    await core.connect(attacker).supplyCollateral(lunaId, 0, 1_000_000n * E, attacker.address);
    // ...but no borrow is possible against the floored price.
    await expect(core.connect(attacker).borrow(lunaId, 1_000n * U, 0n, attacker.address, attacker.address))
      .to.be.revertedWithCustomError(luna.adapter, "PriceOutOfBounds")
      .withArgs(feed, floorAnswer, minAnswer, maxAnswer);
    // Liquidation at the floor price is halted too (it would seize at a fake price).
    await expect(core.connect(attacker).liquidate(lunaId, carol.address, 0, MAX, attacker.address, "0x"))
      .to.be.revertedWithCustomError(luna.adapter, "PriceOutOfBounds")
      .withArgs(feed, floorAnswer, minAnswer, maxAnswer);
    // The safe direction still works: carol repays in full without a price.
    const [, shares] = await core.position(lunaId, carol.address);
    const before = await usdc.token.balanceOf(carol.address);
    const tx = await core.connect(carol).repay(lunaId, 0n, shares, carol.address);
    const rc = await tx.wait();
    const ev = rc!.logs.map((l) => core.interface.parseLog(l)).find((e) => e?.name === "Repay")!;
    expect(ev.args[4]).to.equal(shares);
    expect(before - (await usdc.token.balanceOf(carol.address))).to.equal(ev.args[3]);
    expect(ev.args[3]).to.be.gte(30_000n * U);
    expect((await core.position(lunaId, carol.address))[1]).to.equal(0n);
  });

  it("a price exactly at the bound is used; one unit below it is rejected", async function () {
    const { core, luna, lunaId, bob } = await loadFixture(lunaFixture);
    await core.connect(bob).supplyCollateral(lunaId, 0, 1_000n * E, bob.address);
    await luna.feed.updateAnswer(10n ** 8n); // exactly $1: valid
    // 1,000 LUNA x $1 x 50% LTV = $500 of borrow power at the bound price.
    await core.connect(bob).borrow(lunaId, 499n * U, 0n, bob.address, bob.address);
    await luna.feed.updateAnswer(10n ** 8n - 1n);
    await expect(
      core.connect(bob).withdrawCollateral(lunaId, 0, 1n, bob.address, bob.address),
    ).to.be.revertedWithCustomError(luna.adapter, "PriceOutOfBounds");
  });

  it("a 60x manipulated price is rejected by the bound; borrowing against it is impossible (Mango, Cream)", async function () {
    const { core, id, weth, deployer, alice, bob: attacker } = await loadFixture(deployMarketFixture);
    // Governance bounds WETH at $100,000 (a new adapter: bounds are immutable).
    await replaceAdapterBounds(deployer, core, id, 0, weth, wad("100"), wad("100000"));
    await core.connect(alice).supply(id, 1_000_000n * U, 0n, alice.address);
    await core.connect(attacker).supplyCollateral(id, 0, E, attacker.address);
    await weth.feed.updateAnswer(120_000n * 10n ** 8n); // 60x
    await expect(core.connect(attacker).borrow(id, 1_000n * U, 0n, attacker.address, attacker.address))
      .to.be.revertedWithCustomError(weth.adapter, "PriceOutOfBounds")
      .withArgs(await weth.feed.getAddress(), 120_000n * 10n ** 8n, 100n * 10n ** 8n, 100_000n * 10n ** 8n);
  });

  it("decimals matrix: 6-, 8- and 18-decimal tokens with 8- and 18-decimal feeds value one whole token at its price", async function () {
    const { deployer } = await loadFixture(deployMarketFixture);
    for (const decimals of [6, 8, 18]) {
      for (const feedDecimals of [8, 18]) {
        const t = await deployPricedToken(deployer, {
          symbol: `T${decimals}`,
          decimals,
          price: "1234.5",
          feedDecimals,
        });
        const price = await t.adapter.price();
        // value (USD, 18 dec) of one whole token = 10^decimals x price / 1e18 = $1234.5
        expect((10n ** BigInt(decimals) * price) / E).to.equal(
          wad("1234.5"),
          `${decimals}-dec token, ${feedDecimals}-dec feed`,
        );
      }
    }
  });

  it("an adapter whose feed is scaled for the wrong decimals cannot be listed (Morpho PAXG, Moonwell cbETH)", async function () {
    const { core, id, usdc, deployer } = await loadFixture(deployMarketFixture);
    const paxg = await deployPricedToken(deployer, { symbol: "PAXG", decimals: 18, price: "2600", maxPrice: "100000" });
    // A feed that reports an 18-decimal answer while declaring 8 decimals: $2600e10 per token.
    const bad = await new MockV3Aggregator__factory(deployer).deploy(8, 2600n * E);
    const badAdapter = await deployAdapter(deployer, {
      token: await paxg.token.getAddress(),
      owner: deployer.address,
      primary: await bad.getAddress(),
      maxAge: 4200,
      minPrice: wad("100"),
      maxPrice: wad("100000"),
    });
    await expect(
      core.addCollateral(id, {
        token: await paxg.token.getAddress(),
        adapter: await badAdapter.getAddress(),
        ltv: wad("0.7"),
        liquidationThreshold: wad("0.75"),
        liquidationBonus: wad("0.05"),
        supplyCap: 10n ** 30n,
      }),
    )
      .to.be.revertedWithCustomError(badAdapter, "PriceOutOfBounds")
      .withArgs(await bad.getAddress(), 2600n * E, 100n * 10n ** 8n, 100_000n * 10n ** 8n);
    // An adapter pricing another token is rejected as well.
    await expect(core.setAdapter(id, -1, await paxg.adapter.getAddress()))
      .to.be.revertedWithCustomError(core, "PriceScaleMismatch")
      .withArgs(await usdc.token.getAddress(), 0n);
  });
});

describe("Adversarial: Euler donation + self-liquidation, dust griefing, a year at 100% utilization", function () {
  it("there is no donate path, and no non-liquidation action leaves a position self-liquidatable (Euler)", async function () {
    const { core, id, usdc, weth, alice, bob: attacker, carol: accomplice } = await loadFixture(deployMarketFixture);
    const names = core.interface.fragments
      .filter((f) => f.type === "function")
      .map((f) => (f as unknown as { name: string }).name);
    expect(names.filter((n) => /donate/i.test(n))).to.deep.equal([]);
    await core.connect(alice).supply(id, 1_000_000n * U, 0n, alice.address);
    await core.connect(attacker).supplyCollateral(id, 0, 10n * E, attacker.address); // $20,000
    // Borrow exactly the max the LTV allows ($16,000), then try every way to push the position underwater.
    await core.connect(attacker).borrow(id, 16_000n * U, 0n, attacker.address, attacker.address);
    await expect(
      core.connect(attacker).borrow(id, 1n, 0n, attacker.address, attacker.address),
    ).to.be.revertedWithCustomError(core, "BorrowAboveLtv");
    await expect(
      core.connect(attacker).withdrawCollateral(id, 0, 1n, attacker.address, attacker.address),
    ).to.be.revertedWithCustomError(core, "BorrowAboveLtv");
    // A token transfer to the core ("donation") changes no position.
    await weth.token.connect(attacker).transfer(await core.getAddress(), 5n * E);
    await usdc.token.connect(attacker).transfer(await core.getAddress(), 1_000n * U);
    // At max LTV the health factor is LT/LTV = 0.85/0.8 > 1: the accomplice cannot liquidate it.
    await expect(core.connect(accomplice).liquidate(id, attacker.address, 0, MAX, accomplice.address, "0x"))
      .to.be.revertedWithCustomError(core, "HealthyPosition")
      .withArgs(id, attacker.address);
    // Nor after a partial repay or extra collateral.
    await core.connect(attacker).repay(id, 100n * U, 0n, attacker.address);
    await expect(core.connect(attacker).liquidate(id, attacker.address, 0, MAX, attacker.address, "0x"))
      .to.be.revertedWithCustomError(core, "HealthyPosition")
      .withArgs(id, attacker.address);
  });

  it("1 wei of a second collateral cannot block bad-debt realization: the liquidator takes it and the waterfall runs", async function () {
    const {
      core,
      id,
      usdc,
      weth,
      wbtc,
      alice,
      bob: liquidator,
      carol: griefer,
    } = await loadFixture(deployMarketFixture);
    // No interest in this scenario, so the previews need no accrual.
    await core.setRateModel(id, { baseRate: 0n, slope1: 0n, slope2: 0n, targetUtilization: wad("0.8") });
    await core.connect(alice).supply(id, 1_000_000n * U, 0n, alice.address);
    await core.connect(griefer).supplyCollateral(id, 0, 10n * E, griefer.address); // $20,000 WETH
    await core.connect(griefer).supplyCollateral(id, 1, 1n, griefer.address); // 1 wei WBTC (the grief)
    await core.connect(griefer).borrow(id, 15_000n * U, 0n, griefer.address, griefer.address);
    await weth.feed.updateAnswer(1_000n * 10n ** 8n); // -50%: $10,000 of WETH against $15,000 of debt
    await wbtc.feed.updateAnswer(60_000n * 10n ** 8n);
    const risks = [
      { ltv: wad("0.8"), liquidationThreshold: wad("0.85"), liquidationBonus: wad("0.05") },
      { ltv: wad("0.75"), liquidationThreshold: wad("0.8"), liquidationBonus: wad("0.07") },
    ];
    const prices = {
      loan: await usdc.adapter.price(),
      collaterals: [await weth.adapter.price(), await wbtc.adapter.price()],
    };
    const cfg = await core.config(id);
    const fund = await ethers.getContractAt("InsuranceFund", cfg.insuranceFund);
    const preview = async (index: number, repayAssets: bigint) => {
      const p = await core.position(id, griefer.address);
      return liquidationAmounts({
        market: await marketOf(core, id),
        position: { borrowShares: p[1], collateral: [p[3][0]!, p[3][1]!] },
        risks,
        prices,
        index,
        repayAssets,
        closeFactorHfThreshold: cfg.closeFactorHfThreshold,
        minLeftover: cfg.minLeftover,
        protocolBonusShare: cfg.protocolBonusShare,
        fundMaxDraw: await fund.maxDraw(),
      });
    };
    // A repay that would leave 0.001 WETH ($1 < minLeftover $10) is refused by the dust rule.
    const dusty = await preview(0, 9_522_857_142n);
    if (dusty.ok) throw new Error("expected the dust rule to apply");
    expect(dusty.error.name).to.equal("CollateralDustLeft");
    await expect(core.connect(liquidator).liquidate(id, griefer.address, 0, 9_522_857_142n, liquidator.address, "0x"))
      .to.be.revertedWithCustomError(core, "CollateralDustLeft")
      .withArgs(dusty.error.args[0]!, dusty.error.args[1]!);
    // Taking all the WETH leaves the debt against the 1 wei of WBTC: no bad debt yet.
    const all = await preview(0, MAX);
    if (!all.ok) throw new Error(all.error.name);
    expect(all.seized).to.equal(10n * E);
    expect(all.badDebt).to.equal(null);
    await expect(core.connect(liquidator).liquidate(id, griefer.address, 0, MAX, liquidator.address, "0x")).to.not.emit(
      core,
      "BadDebtRealized",
    );
    const pos2 = await core.position(id, griefer.address);
    expect(pos2[3][0]).to.equal(0n);
    expect(pos2[3][1]).to.equal(1n, "the grief: debt left against 1 wei of WBTC");
    // The 1 wei is liquidatable for what it is worth (repaid rounds up, so at least 1 unit), and the rest of the
    // debt is realized through the waterfall in the same transaction.
    const last = await preview(1, MAX);
    if (!last.ok) throw new Error(last.error.name);
    const usdcBefore = await usdc.token.balanceOf(liquidator.address);
    const tx = core.connect(liquidator).liquidate(id, griefer.address, 1, MAX, liquidator.address, "0x");
    const b = last.badDebt!;
    await expect(tx)
      .to.emit(core, "BadDebtRealized")
      .withArgs(id, griefer.address, b.amount, b.fromReserves, b.fromInsurance, b.socialized);
    expect(usdcBefore - (await usdc.token.balanceOf(liquidator.address))).to.equal(last.repaid);
    expect(last.seized).to.equal(1n);
    // 1 wei of WBTC is worth $0.0006 = 600 USDC units; / 1.07 rounded up.
    expect(last.repaid).to.equal(561n);
    expect(b.amount).to.equal(last.debtLeft);
    const end = await core.position(id, griefer.address);
    expect(end[1]).to.equal(0n);
    expect(end[3][1]).to.equal(0n);
  });

  it("a year without activity at 100% utilization accrues exactly the per-second compounded interest", async function () {
    const { core, id, weth, alice, carol } = await loadFixture(deployMarketFixture);
    await core.connect(alice).supply(id, 100_000n * U, 0n, alice.address);
    await core.connect(carol).supplyCollateral(id, 0, 1_000n * E, carol.address);
    const m0 = await marketOf(core, id);
    await core.connect(carol).borrow(id, m0.totalSupplyAssets, 0n, carol.address, carol.address); // 100%
    const m1 = await marketOf(core, id);
    expect(utilization(m1.totalBorrowAssets, m1.totalSupplyAssets)).to.equal(E);
    const cfg = await core.config(id);
    const rm = {
      baseRate: cfg.rateModel.baseRate,
      slope1: cfg.rateModel.slope1,
      slope2: cfg.rateModel.slope2,
      targetUtilization: cfg.rateModel.targetUtilization,
    };
    const rate = borrowRate(rm, E);
    expect(rate).to.equal(wad("3.04")); // 4% + 300% at the kink's far end
    const YEAR = 365n * 86400n;
    await time.setNextBlockTimestamp(m1.lastUpdate + YEAR);
    await core.accrueInterest(id);
    const m2 = await marketOf(core, id);
    const interest = compoundedInterest(m1.totalBorrowAssets, rate, YEAR);
    expect(m2.totalBorrowAssets - m1.totalBorrowAssets).to.equal(interest);
    const toReserves = wMulDown(interest, cfg.reserveFactor);
    const toPremium = wMulDown(interest, cfg.insurancePremiumFactor);
    expect(m2.reserves - m1.reserves).to.equal(toReserves);
    expect(m2.premiumOwed - m1.premiumOwed).to.equal(toPremium);
    expect(m2.totalSupplyAssets - m1.totalSupplyAssets).to.equal(interest - toReserves - toPremium);
    // Against continuous compounding e^3.04 - 1 = 19.9065...: per-second compounding is within 2e-7 of it.
    const exact = Number(m1.totalBorrowAssets) * (Math.exp(3.04) - 1);
    expect(Math.abs(Number(interest) - exact) / exact).to.be.lt(2e-7);
    // The borrower is now deeply underwater and liquidatable; refresh the WETH feed to read a valid price.
    await weth.feed.updateAnswer(2000n * 10n ** 8n);
    await expect(
      core.connect(alice).liquidate(id, carol.address, 0, 1n, alice.address, "0x"),
    ).to.not.be.revertedWithCustomError(core, "HealthyPosition");
  });
});
