import { expect } from "chai";
import fc from "fast-check";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { deployMarketFixture } from "../helpers/fixtures";
import { wad } from "../../scripts/lib/protocol";
import { BallastLens__factory } from "../../typechain-types";
import {
  MAX_UINT256,
  WAD,
  accrueMarket,
  copyMarket,
  decodeError,
  fundLimits,
  healthFactor,
  liquidationAmounts,
  liquidationPrices,
  maxBorrow,
  mulDivDown,
  mulDivUp,
  previewRedeem,
  previewSupply,
  previewWithdraw,
  rpowUp,
  shortfallEstimate,
  supplySharePrice,
  toAssetsDown,
  toAssetsUp,
  toSharesDown,
  toSharesUp,
  uncoveredShortfall,
  drawBounds,
  valuation,
  wDivDown,
  wDivUp,
  wMulDown,
  wMulUp,
  type CollateralRisk,
  type MarketState,
  type Prices,
} from "../../sdk";

const U = 10n ** 6n;
const E18 = 10n ** 18n;
const FEED = 10n ** 8n;
const SEED = 20_240_917;

async function parityFixture() {
  const f = await deployMarketFixture();
  const lens = await new BallastLens__factory(f.deployer).deploy(await f.core.getAddress());
  await lens.waitForDeployment();
  return { ...f, lens };
}
type F = Awaited<ReturnType<typeof parityFixture>>;

/** Everything the SDK needs, read from the chain, with the market accrued to `ts` by the SDK. */
async function sdkState(f: F, ts: bigint, blockTag: "latest" | "pending") {
  const [stored, cfg, c0, c1, balance, drawn, perEvent, share] = await Promise.all([
    f.core.market(f.id),
    f.core.config(f.id),
    f.core.collateral(f.id, 0),
    f.core.collateral(f.id, 1),
    f.usdc.token.balanceOf(await f.fund.getAddress()),
    f.fund.drawnInWindow({ blockTag }),
    f.fund.maxDrawPerEvent(),
    f.fund.windowShare(),
  ]);
  const market = accrueMarket(copyMarket(stored), cfg, ts, false); // an action settles: lastUpdate = ts
  const fundState = { balance, drawnInWindow: drawn, maxDrawPerEvent: perEvent, windowShare: share };
  const fund = fundLimits(fundState, market.premiumOwed);
  // Exits are priced with the fund's least draw, entries with its most (drawBounds).
  const bounds = drawBounds(market, fund, perEvent);
  const uncovered = uncoveredShortfall(market, bounds.least);
  const uncoveredOnEntry = uncoveredShortfall(market, bounds.most);
  const risks: CollateralRisk[] = [c0, c1];
  return { stored, market, cfg, fund, fundState, uncovered, uncoveredOnEntry, risks };
}

async function prices(f: F): Promise<Prices> {
  const [loan, w, b] = await Promise.all([f.usdc.adapter.price(), f.weth.adapter.price(), f.wbtc.adapter.price()]);
  return { loan, collaterals: [w, b] };
}

async function positionOf(f: F, user: string) {
  const [supplyShares, borrowShares, shortfall, cols] = await f.core.position(f.id, user);
  return { supplyShares, borrowShares, shortfall, collateral: [cols[0]!, cols[1]!] };
}

function expectMarket(actual: MarketState, expected: MarketState): void {
  expect(copyMarket(actual)).to.deep.equal(copyMarket(expected));
}

describe("SDK math: parity with the contracts to the wei", function () {
  it("pure helpers match MathLib and SharesMathLib definitions on edge values", function () {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 40n }),
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        fc.bigInt({ min: 1n, max: 10n ** 30n }),
        (x, y, d) => {
          expect(mulDivDown(x, y, d)).to.equal((x * y) / d);
          expect(mulDivUp(x, y, d) - mulDivDown(x, y, d)).to.equal((x * y) % d === 0n ? 0n : 1n);
          expect(wMulUp(x, y) - wMulDown(x, y)).to.equal((x * y) % WAD === 0n ? 0n : 1n);
          expect(wDivUp(x, d) - wDivDown(x, d)).to.equal((x * WAD) % d === 0n ? 0n : 1n);
          expect(toAssetsDown(toSharesDown(x, y, d), y, d)).to.be.lessThanOrEqual(x);
          expect(toSharesUp(x, y, d)).to.be.greaterThanOrEqual(toSharesDown(x, y, d));
          expect(toAssetsUp(x, y, d)).to.be.greaterThanOrEqual(toAssetsDown(x, y, d));
        },
      ),
      { numRuns: 200, seed: SEED },
    );
    expect(rpowUp(0n, 12345n)).to.equal(10n ** 27n);
    expect(rpowUp(10n ** 27n, 10n)).to.equal(1024n * 10n ** 27n);
  });

  it("accrual, share conversions, health, liquidation prices, max borrow and liquidations equal the core's", async function () {
    const scenario = fc.record({
      supply: fc.bigInt({ min: 50_000n, max: 1_000_000n }),
      wethMilli: fc.bigInt({ min: 50n, max: 40_000n }), // 0.05 to 40 WETH
      wbtcSats: fc.oneof(fc.constant(0n), fc.bigInt({ min: 10_000n, max: 150_000_000n })), // 0 to 1.5 WBTC
      borrowBps: fc.oneof(fc.bigInt({ min: 500n, max: 10_000n }), fc.bigInt({ min: 8_000n, max: 10_000n })),
      dt: fc.oneof(fc.integer({ min: 1, max: 3_600 }), fc.integer({ min: 3_600, max: 2 * 365 * 86_400 })),
      stake: fc.bigInt({ min: 0n, max: 50_000n }),
      bobSupply: fc.bigInt({ min: 1n, max: 200_000n * U }),
      bobWithdrawBps: fc.bigInt({ min: 1n, max: 10_000n }),
      wethPriceBps: fc.oneof(fc.bigInt({ min: 1_500n, max: 5_000n }), fc.bigInt({ min: 5_000n, max: 11_000n })),
      wbtcPriceBps: fc.oneof(fc.bigInt({ min: 1_500n, max: 5_000n }), fc.bigInt({ min: 5_000n, max: 11_000n })),
      flag: fc.boolean(),
      liqIndex: fc.constantFrom(0, 0, 0, 1),
      repayBps: fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 10_000n })), // 0: MAX
      protocolShare: fc.constantFrom(0n, wad("0.1"), wad("0.5")),
    });
    let liquidations = 0;
    let badDebts = 0;
    let reverts = 0;
    const revertNames: string[] = [];

    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const f = await loadFixture(parityFixture);
        const { core, lens, id, alice, bob, carol, eve, fund } = f;
        await core.setLiquidationParams(id, wad("0.95"), s.protocolShare, 3600);
        await core.connect(alice).supply(id, s.supply * U, 0, alice.address);
        if (s.stake > 0n) await fund.connect(bob).deposit(s.stake * U, bob.address);
        await core.connect(carol).supplyCollateral(id, 0, s.wethMilli * 10n ** 15n, carol.address);
        if (s.wbtcSats > 0n) await core.connect(carol).supplyCollateral(id, 1, s.wbtcSats, carol.address);

        // ---- max borrow: the SDK's figure is exactly what the core accepts (at the next block's timestamp)
        let ts = BigInt(await time.latest()) + 1n;
        await time.setNextBlockTimestamp(ts);
        let st = await sdkState(f, ts, "pending");
        let pos = await positionOf(f, carol.address);
        let p = await prices(f);
        const v0 = valuation(st.market, pos, st.risks, p);
        const liquidity = st.market.totalSupplyAssets - st.market.totalBorrowAssets;
        const mb = maxBorrow(st.market, pos, v0, p.loan);
        const lensPos0 = await lens.position(id, carol.address, { blockTag: "pending" });
        expect(lensPos0.borrowPowerLeft).to.equal(mb);
        let amount = (mb * s.borrowBps) / 10_000n;
        if (amount > liquidity) amount = liquidity;
        if (amount < 10n * U) return; // below the minimum borrow: nothing more to check on this draw
        await core.connect(carol).borrow(id, amount, 0, carol.address, carol.address);

        // ---- accrual after a random time jump: SDK == lens (pending view) == core after accrueInterest
        const before = await core.market(id);
        ts = BigInt(await time.latest()) + BigInt(s.dt);
        await time.setNextBlockTimestamp(ts);
        const lensAccrued = await lens.accruedMarket(id, { blockTag: "pending" });
        await core.accrueInterest(id);
        const after = await core.market(id);
        const sdkAccrued = accrueMarket(copyMarket(before), await core.config(id), ts);
        expectMarket(after, sdkAccrued);
        expectMarket(lensAccrued, sdkAccrued);

        // ---- prices move (fresh rounds), the position may become short
        await f.usdc.feed.updateAnswer(FEED);
        await f.weth.feed.updateAnswer((2_000n * FEED * s.wethPriceBps) / 10_000n);
        await f.wbtc.feed.updateAnswer((60_000n * FEED * s.wbtcPriceBps) / 10_000n);

        // ---- health factor, liquidation prices, max borrow, shortfall, supply assets: SDK == lens
        ts = BigInt(await time.latest());
        st = await sdkState(f, ts, "latest");
        pos = await positionOf(f, carol.address);
        p = await prices(f);
        const v = valuation(st.market, pos, st.risks, p);
        const lp = await lens.position(id, carol.address);
        expect(lp.debt).to.equal(v.debt);
        expect(lp.debtValue).to.equal(v.debtValue);
        expect(lp.borrowPower).to.equal(v.borrowPower);
        expect(lp.healthFactor).to.equal(healthFactor(v));
        expect(lp.collaterals.map((c) => c.liquidationPrice)).to.deep.equal(liquidationPrices(v, pos, st.risks));
        expect(lp.borrowPowerLeft).to.equal(maxBorrow(st.market, pos, v, p.loan));
        const short = shortfallEstimate(v, p.loan);
        expect(lp.shortfallEstimate).to.equal(short.estimate);
        if (s.flag && short.estimate > 0n) {
          await time.setNextBlockTimestamp(ts + 1n);
          await core.flagShortfall(id, carol.address);
          const atFlag = valuation(accrueMarket(st.stored, st.cfg, ts + 1n), pos, st.risks, p);
          expect((await core.market(id)).pendingShortfall).to.equal(shortfallEstimate(atFlag, p.loan).estimate);
        }

        // ---- share conversions: supply and withdraw results equal the SDK's (net of the uncovered shortfall)
        ts = BigInt(await time.latest()) + 1n;
        await time.setNextBlockTimestamp(ts);
        st = await sdkState(f, ts, "pending");
        expect(await lens.supplySharePrice(id, { blockTag: "pending" })).to.equal(
          supplySharePrice(st.market, st.uncovered),
        );
        const minted = previewSupply(st.market, st.uncoveredOnEntry, s.bobSupply);
        if (minted === 0n) {
          await expect(core.connect(bob).supply(id, s.bobSupply, 0, bob.address))
            .to.be.revertedWithCustomError(core, "ZeroShares")
            .withArgs(s.bobSupply);
        } else {
          await expect(core.connect(bob).supply(id, s.bobSupply, 0, bob.address))
            .to.emit(core, "Supply")
            .withArgs(id, bob.address, bob.address, s.bobSupply, minted);
          const shares = (await positionOf(f, bob.address)).supplyShares;
          ts = BigInt(await time.latest()) + 1n;
          await time.setNextBlockTimestamp(ts);
          st = await sdkState(f, ts, "pending");
          const wantAssets = (previewRedeem(st.market, st.uncovered, shares) * s.bobWithdrawBps) / 10_000n;
          const free = st.market.totalSupplyAssets - st.market.totalBorrowAssets;
          if (wantAssets > 0n && wantAssets <= free) {
            const burned = previewWithdraw(st.market, st.uncovered, wantAssets);
            await expect(core.connect(bob).withdraw(id, wantAssets, 0, bob.address, bob.address))
              .to.emit(core, "Withdraw")
              .withArgs(id, bob.address, bob.address, bob.address, wantAssets, burned);
          }
        }

        // ---- liquidation: liquidationAmounts predicts the result (or the revert) exactly
        ts = BigInt(await time.latest()) + 1n;
        await time.setNextBlockTimestamp(ts);
        st = await sdkState(f, ts, "pending");
        pos = await positionOf(f, carol.address);
        const debtNow = toAssetsUp(pos.borrowShares, st.market.totalBorrowAssets, st.market.totalBorrowShares);
        const repayAssets = s.repayBps === 0n ? MAX_UINT256 : (debtNow * s.repayBps) / 10_000n + 1n;
        const cfg = st.cfg;
        const prediction = liquidationAmounts({
          market: st.market,
          position: pos,
          risks: st.risks,
          prices: p,
          index: s.liqIndex,
          repayAssets,
          closeFactorHfThreshold: cfg.closeFactorHfThreshold,
          minLeftover: cfg.minLeftover,
          protocolBonusShare: cfg.protocolBonusShare,
          fundMaxDraw: st.fund.maxDraw,
          fund: st.fundState,
          id,
        });
        const eveCol = s.liqIndex === 0 ? f.weth.token : f.wbtc.token;
        const eveColBefore = await eveCol.balanceOf(eve.address);
        const eveUsdcBefore = await f.usdc.token.balanceOf(eve.address);
        let receipt;
        try {
          receipt = await (
            await core.connect(eve).liquidate(id, carol.address, s.liqIndex, repayAssets, eve.address, "0x")
          ).wait();
        } catch (e) {
          const decoded = decodeError(e);
          expect(prediction.ok, `unexpected revert ${decoded?.message}`).to.equal(false);
          if (!prediction.ok) {
            expect(decoded?.errorName).to.equal(prediction.error.name);
            const numeric = (decoded?.args ?? []).filter((a) => typeof a === "bigint");
            expect(numeric).to.deep.equal(prediction.error.args);
          }
          reverts++;
          revertNames.push(decoded?.errorName ?? "?");
          return;
        }
        expect(prediction.ok, "the SDK predicted a revert").to.equal(true);
        if (!prediction.ok) return;
        liquidations++;
        const logs = receipt!.logs.map((l) => {
          try {
            return core.interface.parseLog(l);
          } catch {
            return null;
          }
        });
        const liq = logs.find((l) => l?.name === "Liquidate")!;
        expect([
          liq.args.repaidAssets,
          liq.args.repaidShares,
          liq.args.seizedAssets,
          liq.args.protocolSeized,
        ]).to.deep.equal([prediction.repaid, prediction.repaidShares, prediction.seized, prediction.protocolSeized]);
        expect(await eveCol.balanceOf(eve.address)).to.equal(eveColBefore + prediction.seizedToReceiver);
        expect(await f.usdc.token.balanceOf(eve.address)).to.equal(eveUsdcBefore - prediction.repaid);
        const bad = logs.find((l) => l?.name === "BadDebtRealized");
        if (prediction.badDebt) {
          badDebts++;
          expect(bad, "BadDebtRealized expected").to.not.equal(undefined);
          const b = prediction.badDebt;
          expect([
            bad!.args.amount,
            bad!.args.fromReserves,
            bad!.args.fromInsurance,
            bad!.args.socialized,
          ]).to.deep.equal([b.amount, b.fromReserves, b.fromInsurance, b.socialized]);
        } else {
          expect(bad).to.equal(undefined);
        }
        expectMarket(await core.market(id), prediction.marketAfter);
        const posAfter = await positionOf(f, carol.address);
        expect(posAfter.borrowShares).to.equal(prediction.positionAfter.borrowShares);
        expect(posAfter.collateral).to.deep.equal(prediction.positionAfter.collateral);
        expect(posAfter.shortfall).to.equal(prediction.positionAfter.shortfall);
      }),
      { numRuns: 50, seed: SEED },
    );
    console.log(
      `      liquidations ${liquidations}, with bad debt ${badDebts}, predicted reverts ${reverts} (${[...new Set(revertNames)].join(", ")})`,
    );
    // The random draws exercised every path.
    expect(liquidations).to.be.greaterThan(0);
    expect(badDebts).to.be.greaterThan(0);
    expect(reverts).to.be.greaterThan(0);
  });
  it("liquidationAmounts predicts the close factor and both dust rules exactly as the core applies them", async function () {
    async function staticBorrow() {
      const f = await parityFixture();
      await f.core.setRateModel(f.id, { baseRate: 0n, slope1: 0n, slope2: 0n, targetUtilization: wad("0.8") });
      await f.core.connect(f.alice).supply(f.id, 100_000n * U, 0, f.alice.address);
      await f.core.connect(f.carol).supplyCollateral(f.id, 0, E18, f.carol.address);
      await f.core.connect(f.carol).borrow(f.id, 1_600n * U, 0, f.carol.address, f.carol.address);
      return f;
    }
    const cases: { price: bigint; repay: bigint; outcome: string; maxRepay?: bigint }[] = [
      { price: 2_000n, repay: 100n * U, outcome: "HealthyPosition" },
      { price: 1_800n, repay: MAX_UINT256, outcome: "ok", maxRepay: 800n * U }, // HF 0.956: close factor 50%
      { price: 1_700n, repay: 1_595n * U, outcome: "DebtDustLeft" }, // HF 0.90: 100%, but 5 USDC left
      { price: 1_650n, repay: 1_570n * U, outcome: "CollateralDustLeft" }, // 1.5 USDC of WETH left
      { price: 1_650n, repay: 1_500n * U, outcome: "ok" },
      { price: 1_675n, repay: MAX_UINT256, outcome: "ok" }, // last collateral seized: 4.76 USDC dust realized
      { price: 1_000n, repay: MAX_UINT256, outcome: "ok" }, // everything seized, bad debt realized
    ];
    for (const c of cases) {
      const f = await loadFixture(staticBorrow);
      await f.weth.feed.updateAnswer(c.price * FEED);
      const ts = BigInt(await time.latest()) + 1n;
      await time.setNextBlockTimestamp(ts);
      const st = await sdkState(f, ts, "pending");
      const pos = await positionOf(f, f.carol.address);
      const pred = liquidationAmounts({
        market: st.market,
        position: pos,
        risks: st.risks,
        prices: await prices(f),
        index: 0,
        repayAssets: c.repay,
        closeFactorHfThreshold: st.cfg.closeFactorHfThreshold,
        minLeftover: st.cfg.minLeftover,
        protocolBonusShare: st.cfg.protocolBonusShare,
        fundMaxDraw: st.fund.maxDraw,
        id: f.id,
      });
      const tx = f.core.connect(f.eve).liquidate(f.id, f.carol.address, 0, c.repay, f.eve.address, "0x");
      if (!pred.ok) {
        expect(pred.error.name).to.equal(c.outcome);
        const tail = pred.error.name === "HealthyPosition" ? [f.id, f.carol.address] : pred.error.args;
        await expect(tx)
          .to.be.revertedWithCustomError(f.core, c.outcome)
          .withArgs(...tail);
        continue;
      }
      expect(c.outcome).to.equal("ok");
      if (c.maxRepay !== undefined) {
        expect(pred.maxRepay).to.equal(c.maxRepay);
        expect(pred.fullCloseFactor).to.equal(false);
      }
      await expect(tx)
        .to.emit(f.core, "Liquidate")
        .withArgs(
          f.id,
          f.eve.address,
          f.carol.address,
          0,
          pred.repaid,
          pred.repaidShares,
          pred.seized,
          pred.protocolSeized,
        );
      if (pred.badDebt) {
        await expect(tx)
          .to.emit(f.core, "BadDebtRealized")
          .withArgs(
            f.id,
            f.carol.address,
            pred.badDebt.amount,
            pred.badDebt.fromReserves,
            pred.badDebt.fromInsurance,
            pred.badDebt.socialized,
          );
      }
      expectMarket(await f.core.market(f.id), pred.marketAfter);
    }
  });
});
