import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { deployAdapter, replaceAdapterBounds, wad, MAX_UINT128 } from "../../scripts/lib/protocol";
import {
  MockFeed__factory,
  MockLiquidatorCallback__factory,
  ReenteringFlashLiquidator__factory,
} from "../../typechain-types";
import {
  zeroRateFixture,
  Fx,
  U,
  E,
  B,
  WAD,
  MAX,
  USDC_PRICE,
  adapterPrice,
  feedAnswer,
  setPrice,
  seizedFor,
  repaidForAll,
  mulDivDown,
  wMulUp,
  wDivUp,
  min,
  txTime,
  BorrowBook,
  openWeth,
} from "../helpers/liquidation-helpers";
import { lossTotals } from "../../sdk/losses";

const BONUS_WETH = wad("0.05");
const BONUS_WBTC = wad("0.07");
const MIN_LEFTOVER = 10n * U;
const wethPrice = (usd: string) => adapterPrice(feedAnswer(usd), 18);
const wbtcPrice = (usd: string) => adapterPrice(feedAnswer(usd), 8);

async function positionOf(f: Fx, who: string) {
  const [supplyShares, borrowShares, shortfall, cols] = await f.core.position(f.id, who);
  return { supplyShares, borrowShares, shortfall, weth: cols[0]!, wbtc: cols[1]! };
}

describe("Liquidation: health, close factor, dust, seizure, bonus share, oracle guards, grace, callbacks", function () {
  describe("health factor", function () {
    it("reverts HealthyPosition on a healthy position and NoDebt on a debt-free one", async function () {
      const f = await loadFixture(zeroRateFixture);
      await openWeth(f, E, 1_500n * U); // HF = 2000 x 0.85 / 1500 = 1.133
      await expect(f.core.connect(f.bob).liquidate(f.id, f.carol.address, 0, MAX, f.bob.address, "0x"))
        .to.be.revertedWithCustomError(f.core, "HealthyPosition")
        .withArgs(f.id, f.carol.address);
      await f.core.connect(f.dave).supplyCollateral(f.id, 0, E, f.dave.address);
      await expect(f.core.connect(f.bob).liquidate(f.id, f.dave.address, 0, MAX, f.bob.address, "0x"))
        .to.be.revertedWithCustomError(f.core, "NoDebt")
        .withArgs(f.id, f.dave.address);
    });

    it("treats HF exactly 1 as healthy and liquidates 50% one price tick below", async function () {
      const f = await loadFixture(zeroRateFixture);
      const debt = 1_360n * U;
      const { book, shares } = await openWeth(f, E, debt);
      // 1 WETH x $1600 x 0.85 = $1360 = debt: HF is exactly 1.
      await setPrice(f.weth, "1600");
      await expect(f.core.connect(f.bob).liquidate(f.id, f.carol.address, 0, MAX, f.bob.address, "0x"))
        .to.be.revertedWithCustomError(f.core, "HealthyPosition")
        .withArgs(f.id, f.carol.address);

      await setPrice(f.weth, "1599.99999999");
      const p = wethPrice("1599.99999999");
      const repaid = debt / 2n; // HF >= 0.95: close factor 50%, rounded down
      const seized = seizedFor(repaid, USDC_PRICE, p, BONUS_WETH);
      const repaidShares = book.liquidate(repaid, shares);
      const usdcBefore = await f.usdc.token.balanceOf(f.bob.address);
      const tx = f.core.connect(f.bob).liquidate(f.id, f.carol.address, 0, MAX, f.bob.address, "0x");
      await expect(tx)
        .to.emit(f.core, "Liquidate")
        .withArgs(f.id, f.bob.address, f.carol.address, 0, repaid, repaidShares, seized, 0);
      await expect(tx).to.changeTokenBalances(f.weth.token, [f.bob, f.core], [seized, -seized]);
      expect(usdcBefore - (await f.usdc.token.balanceOf(f.bob.address))).to.equal(repaid);
      const pos = await positionOf(f, f.carol.address);
      expect(pos.borrowShares).to.equal(shares - repaidShares);
      expect(book.debt(pos.borrowShares)).to.equal(680n * U);
      expect(pos.weth).to.equal(E - seized);
    });
  });

  describe("close factor", function () {
    it("caps a call at 50% at HF exactly 0.95 and allows 100% one tick below", async function () {
      const f = await loadFixture(zeroRateFixture);
      const debt = 1_360n * U;
      await openWeth(f, E, debt);
      // $1520 x 0.85 = $1292 = 0.95 x $1360: not below the threshold.
      await setPrice(f.weth, "1520");
      const snap = await ethers.provider.send("evm_snapshot", []);
      await expect(f.core.connect(f.bob).liquidate(f.id, f.carol.address, 0, MAX, f.bob.address, "0x"))
        .to.emit(f.core, "Liquidate")
        .withArgs(
          f.id,
          f.bob.address,
          f.carol.address,
          0,
          680n * U,
          (x: bigint) => x > 0n,
          seizedFor(680n * U, USDC_PRICE, wethPrice("1520"), BONUS_WETH),
          0,
        );
      await ethers.provider.send("evm_revert", [snap]);

      await setPrice(f.weth, "1519.99999999");
      const p = wethPrice("1519.99999999");
      const seized = seizedFor(debt, USDC_PRICE, p, BONUS_WETH);
      await expect(f.core.connect(f.bob).liquidate(f.id, f.carol.address, 0, MAX, f.bob.address, "0x"))
        .to.emit(f.core, "Liquidate")
        .withArgs(f.id, f.bob.address, f.carol.address, 0, debt, 1_360n * 10n ** 12n, seized, 0)
        .and.not.to.emit(f.core, "BadDebtRealized");
      const pos = await positionOf(f, f.carol.address);
      expect(pos.borrowShares).to.equal(0n);
      expect(pos.weth).to.equal(E - seized); // the rest stays the borrower's
    });

    it("clamps the repay to the maximum and pulls only that", async function () {
      const f = await loadFixture(zeroRateFixture);
      await openWeth(f, E, 1_360n * U);
      await setPrice(f.weth, "1599.99999999");
      const before = await f.usdc.token.balanceOf(f.bob.address);
      const snap = await ethers.provider.send("evm_snapshot", []);
      await f.core.connect(f.bob).liquidate(f.id, f.carol.address, 0, 10_000n * U, f.bob.address, "0x");
      expect(before - (await f.usdc.token.balanceOf(f.bob.address))).to.equal(680n * U);
      await ethers.provider.send("evm_revert", [snap]);
      // Asking less than the maximum repays exactly what was asked.
      await f.core.connect(f.bob).liquidate(f.id, f.carol.address, 0, 100n * U, f.bob.address, "0x");
      expect(before - (await f.usdc.token.balanceOf(f.bob.address))).to.equal(100n * U);
    });
  });

  describe("dust rule", function () {
    it("reverts DebtDustLeft when a call would leave debt below the minimum leftover", async function () {
      const f = await loadFixture(zeroRateFixture);
      await openWeth(f, E, 1_360n * U);
      await setPrice(f.weth, "1500"); // HF 0.9375: 100% allowed
      await expect(f.core.connect(f.bob).liquidate(f.id, f.carol.address, 0, 1_355n * U, f.bob.address, "0x"))
        .to.be.revertedWithCustomError(f.core, "DebtDustLeft")
        .withArgs(5n * U, MIN_LEFTOVER);
      // Leaving exactly the minimum is allowed.
      await expect(f.core.connect(f.bob).liquidate(f.id, f.carol.address, 0, 1_350n * U, f.bob.address, "0x")).to.emit(
        f.core,
        "Liquidate",
      );
      const pos = await positionOf(f, f.carol.address);
      expect(pos.borrowShares).to.equal(10n * 10n ** 12n);
    });

    it("reverts CollateralDustLeft when debt remains and the collateral left would be dust", async function () {
      const f = await loadFixture(zeroRateFixture);
      await openWeth(f, E, 1_360n * U);
      await setPrice(f.weth, "1420");
      const p = wethPrice("1420");
      const seized = seizedFor(1_350n * U, USDC_PRICE, p, BONUS_WETH); // leaves 10 USDC of debt: not dust
      const leftValue = mulDivDown(E - seized, p, USDC_PRICE);
      expect(leftValue).to.equal(2_500_000n); // $1420 - 1350 x 1.05, floored
      await expect(f.core.connect(f.bob).liquidate(f.id, f.carol.address, 0, 1_350n * U, f.bob.address, "0x"))
        .to.be.revertedWithCustomError(f.core, "CollateralDustLeft")
        .withArgs(leftValue, MIN_LEFTOVER);
    });

    it("allows 100% above the close-factor threshold when 50% would leave dust debt", async function () {
      const f = await loadFixture(zeroRateFixture);
      const col = E / 100n; // 0.01 WETH = $20
      await openWeth(f, col, 15n * U);
      // A low threshold so that the collateral left after a full repay is not dust.
      await f.core.setCollateralRisk(f.id, 0, wad("0.4"), wad("0.5"), BONUS_WETH, MAX_UINT128);
      await setPrice(f.weth, "2940"); // weighted $14.70 vs debt $15: HF 0.98, above 0.95
      const p = wethPrice("2940");
      const snap = await ethers.provider.send("evm_snapshot", []);
      const seized = seizedFor(15n * U, USDC_PRICE, p, BONUS_WETH);
      await expect(f.core.connect(f.bob).liquidate(f.id, f.carol.address, 0, MAX, f.bob.address, "0x"))
        .to.emit(f.core, "Liquidate")
        .withArgs(f.id, f.bob.address, f.carol.address, 0, 15n * U, 15n * 10n ** 12n, seized, 0);
      expect((await positionOf(f, f.carol.address)).borrowShares).to.equal(0n);
      expect(mulDivDown(col - seized, p, USDC_PRICE)).to.be.gte(MIN_LEFTOVER);
      await ethers.provider.send("evm_revert", [snap]);
      // With a 5 USDC minimum leftover, the 7.5 USDC left by 50% is no dust: the cap stays at 50%.
      await f.core.setMinAmounts(f.id, 10n * U, 5n * U);
      await expect(f.core.connect(f.bob).liquidate(f.id, f.carol.address, 0, MAX, f.bob.address, "0x"))
        .to.emit(f.core, "Liquidate")
        .withArgs(
          f.id,
          f.bob.address,
          f.carol.address,
          0,
          7_500_000n,
          (x: bigint) => x > 0n,
          seizedFor(7_500_000n, USDC_PRICE, p, BONUS_WETH),
          0,
        );
    });

    // A position whose debt is near the minimum leftover must stay liquidatable (issue 4: "no unliquidatable dust").
    it("a full repay that leaves the borrower some collateral below the minimum is not blocked", async function () {
      const f = await loadFixture(zeroRateFixture);
      await openWeth(f, E, 1_360n * U);
      await setPrice(f.weth, "1430"); // full repay seizes 1360 x 1.05 / 1430 WETH, leaving $2 of WETH and no debt
      const p = wethPrice("1430");
      const seized = seizedFor(1_360n * U, USDC_PRICE, p, BONUS_WETH);
      await expect(f.core.connect(f.bob).liquidate(f.id, f.carol.address, 0, MAX, f.bob.address, "0x")).to.emit(
        f.core,
        "Liquidate",
      );
      const pos = await positionOf(f, f.carol.address);
      expect(pos.borrowShares).to.equal(0n);
      expect(pos.weth).to.equal(E - seized);
    });

    it("seizing the last collateral realizes the remaining debt as bad debt even when it is below the minimum", async function () {
      const f = await loadFixture(zeroRateFixture);
      await openWeth(f, E, 1_360n * U);
      await setPrice(f.weth, "1420"); // all 1 WETH is worth 1420 / 1.05 = 1352.38 USDC of repayment
      const repaid = repaidForAll(E, USDC_PRICE, wethPrice("1420"), BONUS_WETH);
      expect(repaid).to.equal(1_352_380_953n);
      const bad = 1_360n * U - repaid; // 7.619047 USDC, below the 10 USDC minimum leftover
      await expect(f.core.connect(f.bob).liquidate(f.id, f.carol.address, 0, MAX, f.bob.address, "0x"))
        .to.emit(f.core, "BadDebtRealized")
        .withArgs(f.id, f.carol.address, bad, 0, 0, bad);
      expect((await positionOf(f, f.carol.address)).borrowShares).to.equal(0n);
    });
  });

  describe("seizure", function () {
    it("seizes repaid x price ratio x (1 + bonus) of an 8-decimal collateral, rounded down", async function () {
      const f = await loadFixture(zeroRateFixture);
      const { core, id, alice, carol, bob } = f;
      await core.connect(alice).supply(id, 100_000n * U, 0, alice.address);
      await core.connect(carol).supplyCollateral(id, 1, B, carol.address); // 1 WBTC = $60,000
      await core.connect(carol).borrow(id, 44_000n * U, 0, carol.address, carol.address);
      await setPrice(f.wbtc, "54999.87654321"); // HF = 0.99999775...
      const p = wbtcPrice("54999.87654321");
      const repaid = 22_000n * U;
      const seized = seizedFor(repaid, USDC_PRICE, p, BONUS_WBTC);
      await expect(core.connect(bob).liquidate(id, carol.address, 1, MAX, bob.address, "0x")).to.changeTokenBalances(
        f.wbtc.token,
        [bob, core],
        [seized, -seized],
      );
    });

    it("caps the seizure at the balance and charges what the whole balance costs, rounded up", async function () {
      const f = await loadFixture(zeroRateFixture);
      const { book, shares } = await openWeth(f, E, 1_500n * U);
      await setPrice(f.weth, "1000");
      const repaid = repaidForAll(E, USDC_PRICE, wethPrice("1000"), BONUS_WETH);
      expect(repaid).to.equal(952_380_953n); // ceil(1000 / 1.05)
      const burned = book.liquidate(repaid, shares);
      const bad = book.writeOff(shares - burned);
      expect(bad).to.equal(1_500n * U - repaid);
      const before = await f.usdc.token.balanceOf(f.bob.address);
      await expect(f.core.connect(f.bob).liquidate(f.id, f.carol.address, 0, MAX, f.bob.address, "0x"))
        .to.emit(f.core, "Liquidate")
        .withArgs(f.id, f.bob.address, f.carol.address, 0, repaid, burned, E, 0)
        .and.to.emit(f.core, "BadDebtRealized")
        .withArgs(f.id, f.carol.address, bad, 0, 0, bad);
      expect(before - (await f.usdc.token.balanceOf(f.bob.address))).to.equal(repaid);
      expect(await f.weth.token.balanceOf(f.bob.address)).to.equal(10n ** 30n + E);
    });

    it("sends the protocol's share of the bonus to protocolBalance, withdrawable by the admin only", async function () {
      const f = await loadFixture(zeroRateFixture);
      await openWeth(f, E, 1_360n * U);
      await f.core.setLiquidationParams(f.id, wad("0.95"), wad("0.2"), 3600);
      await setPrice(f.weth, "1599.99999999");
      const seized = seizedFor(680n * U, USDC_PRICE, wethPrice("1599.99999999"), BONUS_WETH);
      const bonusPart = seized - wDivUp(seized, WAD + BONUS_WETH);
      const protocolSeized = min(wMulUp(bonusPart, wad("0.2")), bonusPart);
      const tx = f.core.connect(f.bob).liquidate(f.id, f.carol.address, 0, MAX, f.bob.address, "0x");
      await expect(tx)
        .to.emit(f.core, "Liquidate")
        .withArgs(f.id, f.bob.address, f.carol.address, 0, 680n * U, (x: bigint) => x > 0n, seized, protocolSeized);
      await expect(tx).to.changeTokenBalances(
        f.weth.token,
        [f.bob, f.core],
        [seized - protocolSeized, -(seized - protocolSeized)],
      );
      expect((await f.core.collateral(f.id, 0)).protocolBalance).to.equal(protocolSeized);
      expect((await positionOf(f, f.carol.address)).weth).to.equal(E - seized);

      await expect(f.core.connect(f.bob).withdrawProtocolCollateral(f.id, 0, protocolSeized, f.bob.address))
        .to.be.revertedWithCustomError(f.core, "AccessControlUnauthorizedAccount")
        .withArgs(f.bob.address, ethers.ZeroHash);
      await expect(f.core.withdrawProtocolCollateral(f.id, 0, protocolSeized + 1n, f.dave.address))
        .to.be.revertedWithCustomError(f.core, "InsufficientBalance")
        .withArgs(protocolSeized, protocolSeized + 1n);
      await expect(f.core.withdrawProtocolCollateral(f.id, 0, protocolSeized, f.dave.address))
        .to.emit(f.core, "ProtocolCollateralWithdrawn")
        .withArgs(f.id, 0, f.dave.address, protocolSeized);
      expect(await f.weth.token.balanceOf(f.dave.address)).to.equal(10n ** 30n + protocolSeized);
      expect((await f.core.collateral(f.id, 0)).protocolBalance).to.equal(0n);
    });
  });

  describe("oracle guards", function () {
    it("reverts with the adapter's StalePrice on a stale collateral price", async function () {
      const f = await loadFixture(zeroRateFixture);
      await openWeth(f, E, 1_360n * U);
      await setPrice(f.weth, "1500");
      const [, , , updatedAt] = await f.weth.feed.latestRoundData();
      await time.increase(4_201); // WETH max age: 3600 + 600
      await expect(f.core.connect(f.bob).liquidate(f.id, f.carol.address, 0, MAX, f.bob.address, "0x"))
        .to.be.revertedWithCustomError(f.weth.adapter, "StalePrice")
        .withArgs(await f.weth.feed.getAddress(), updatedAt, 4_200);
      await setPrice(f.weth, "1500"); // a fresh round: liquidation works again
      await expect(f.core.connect(f.bob).liquidate(f.id, f.carol.address, 0, MAX, f.bob.address, "0x")).to.emit(
        f.core,
        "Liquidate",
      );
    });

    it("reverts with PriceOutOfBounds on a price outside the adapter's bounds", async function () {
      const f = await loadFixture(zeroRateFixture);
      await openWeth(f, E, 1_360n * U);
      // Bounds are immutable: the new adapter is set while the price is inside them (setAdapter reads a price).
      await replaceAdapterBounds(f.deployer, f.core, f.id, 0, f.weth, wad("1700"), wad("5000"));
      await setPrice(f.weth, "1500");
      await expect(f.core.connect(f.bob).liquidate(f.id, f.carol.address, 0, MAX, f.bob.address, "0x"))
        .to.be.revertedWithCustomError(f.weth.adapter, "PriceOutOfBounds")
        .withArgs(await f.weth.feed.getAddress(), feedAnswer("1500"), feedAnswer("1700"), feedAnswer("5000"));
      expect((await positionOf(f, f.carol.address)).weth).to.equal(E);
    });
  });

  describe("grace periods", function () {
    it("blocks liquidation while paused and for the grace period after unpausing", async function () {
      const f = await loadFixture(zeroRateFixture);
      await openWeth(f, E, 1_360n * U);
      await f.core.setPaused(f.id, 64);
      await setPrice(f.weth, "1500");
      await expect(f.core.connect(f.bob).liquidate(f.id, f.carol.address, 0, MAX, f.bob.address, "0x"))
        .to.be.revertedWithCustomError(f.core, "ActionPaused")
        .withArgs(f.id, 64);
      const t = await txTime(await f.core.setPaused(f.id, 0));
      await expect(f.core.connect(f.bob).liquidate(f.id, f.carol.address, 0, MAX, f.bob.address, "0x"))
        .to.be.revertedWithCustomError(f.core, "LiquidationGracePeriod")
        .withArgs(f.id, t + 3_600n);
      // The borrower may act during the grace: a repay works.
      await f.core.connect(f.carol).repay(f.id, 10n * U, 0, f.carol.address);
      await time.setNextBlockTimestamp(t + 3_599n);
      await expect(f.core.connect(f.bob).liquidate(f.id, f.carol.address, 0, MAX, f.bob.address, "0x"))
        .to.be.revertedWithCustomError(f.core, "LiquidationGracePeriod")
        .withArgs(f.id, t + 3_600n);
      await time.setNextBlockTimestamp(t + 3_600n);
      await expect(f.core.connect(f.bob).liquidate(f.id, f.carol.address, 0, MAX, f.bob.address, "0x")).to.emit(
        f.core,
        "Liquidate",
      );
    });

    it("blocks liquidation while the L2 sequencer is down and during its grace period after it comes back", async function () {
      const f = await loadFixture(zeroRateFixture);
      await openWeth(f, E, 1_360n * U);
      const now = BigInt(await time.latest());
      const seq = await new MockFeed__factory(f.deployer).deploy(0, 0);
      await seq.set(0, now - 7_200n); // up for two hours
      const adapter = await deployAdapter(f.deployer, {
        token: await f.weth.token.getAddress(),
        owner: f.deployer.address,
        primary: await f.weth.feed.getAddress(),
        maxAge: 4_200,
        sequencer: await seq.getAddress(),
        sequencerGracePeriod: 3_600,
        minPrice: wad("0.000001"),
        maxPrice: wad("10000000"),
      });
      await f.core.setAdapter(f.id, 0, await adapter.getAddress());
      await setPrice(f.weth, "1500");
      const t0 = BigInt(await time.latest());
      await seq.set(1, t0); // down
      await expect(
        f.core.connect(f.bob).liquidate(f.id, f.carol.address, 0, MAX, f.bob.address, "0x"),
      ).to.be.revertedWithCustomError(adapter, "SequencerDown");
      const up = t0 + 600n;
      await time.setNextBlockTimestamp(up);
      await seq.set(0, up); // back up
      await setPrice(f.weth, "1500");
      await expect(f.core.connect(f.bob).liquidate(f.id, f.carol.address, 0, MAX, f.bob.address, "0x"))
        .to.be.revertedWithCustomError(adapter, "GracePeriodNotOver")
        .withArgs(up, 3_600);
      await time.setNextBlockTimestamp(up + 3_600n);
      await expect(f.core.connect(f.bob).liquidate(f.id, f.carol.address, 0, MAX, f.bob.address, "0x"))
        .to.be.revertedWithCustomError(adapter, "GracePeriodNotOver")
        .withArgs(up, 3_600);
      await time.setNextBlockTimestamp(up + 3_601n);
      await expect(f.core.connect(f.bob).liquidate(f.id, f.carol.address, 0, MAX, f.bob.address, "0x")).to.emit(
        f.core,
        "Liquidate",
      );
    });
  });

  describe("callbacks", function () {
    it("flash liquidation: the collateral arrives first, is sold in the callback, then the repay is pulled", async function () {
      const f = await loadFixture(zeroRateFixture);
      await openWeth(f, E, 1_360n * U);
      await setPrice(f.weth, "1500");
      const rate = 1_500n * U; // the dex pays $1500 per WETH
      const liq = await new MockLiquidatorCallback__factory(f.deployer).deploy(
        await f.core.getAddress(),
        await f.usdc.token.getAddress(),
        await f.weth.token.getAddress(),
        f.dave.address,
        rate,
      );
      await f.usdc.token.connect(f.dave).approve(await liq.getAddress(), MAX);
      const repaid = 1_360n * U; // HF 0.9375: 100%
      const seized = seizedFor(repaid, USDC_PRICE, wethPrice("1500"), BONUS_WETH);
      const proceeds = (seized * rate) / E;
      await expect(liq.liquidate(f.id, f.carol.address, 0, MAX, "0x1234"))
        .to.emit(f.core, "Liquidate")
        .withArgs(f.id, await liq.getAddress(), f.carol.address, 0, repaid, (x: bigint) => x > 0n, seized, 0);
      expect(await liq.calls()).to.equal(1n);
      expect(await liq.seenMarketId()).to.equal(f.id);
      expect(await liq.seenRepaid()).to.equal(repaid);
      expect(await liq.seenSeized()).to.equal(seized);
      expect(await liq.seenData()).to.equal("0x1234");
      expect(await liq.collateralAtCallback()).to.equal(seized);
      expect(await liq.loanAtCallbackStart()).to.equal(0n);
      expect(await f.usdc.token.balanceOf(await liq.getAddress())).to.equal(proceeds - repaid);
      expect(await f.weth.token.balanceOf(await liq.getAddress())).to.equal(0n);
      expect((await positionOf(f, f.carol.address)).borrowShares).to.equal(0n);
    });

    it("a callback that re-enters the core reverts the whole liquidation and gains nothing", async function () {
      const f = await loadFixture(zeroRateFixture);
      await openWeth(f, E, 1_360n * U);
      await setPrice(f.weth, "1500");
      const atk = await new ReenteringFlashLiquidator__factory(f.deployer).deploy(
        await f.core.getAddress(),
        await f.usdc.token.getAddress(),
      );
      const a = await atk.getAddress();
      await f.usdc.token.mint(a, 5_000n * U);
      await atk.supply(f.id, 1_000n * U);
      for (const mode of [1, 2, 3]) {
        await expect(atk.liquidate(f.id, f.carol.address, 0, 100n * U, mode)).to.be.revertedWithCustomError(
          f.core,
          "ReentrancyGuardReentrantCall",
        );
      }
      expect(await f.usdc.token.balanceOf(a)).to.equal(4_000n * U);
      expect(await f.weth.token.balanceOf(a)).to.equal(0n);
      const pos = await positionOf(f, f.carol.address);
      expect(pos.weth).to.equal(E);
      expect(pos.borrowShares).to.equal(1_360n * 10n ** 12n);

      // Caught re-entry: the inner call is refused, the outer liquidation happens once.
      const seized = seizedFor(100n * U, USDC_PRICE, wethPrice("1500"), BONUS_WETH);
      await atk.liquidate(f.id, f.carol.address, 0, 100n * U, 4);
      expect(await atk.reentrySucceeded()).to.equal(false);
      expect(await atk.caughtError()).to.equal(f.core.interface.getError("ReentrancyGuardReentrantCall")!.selector);
      expect(await f.usdc.token.balanceOf(a)).to.equal(3_900n * U);
      expect(await f.weth.token.balanceOf(a)).to.equal(seized);
      expect((await positionOf(f, f.carol.address)).weth).to.equal(E - seized);
    });
  });

  describe("multi-collateral", function () {
    it("realizes bad debt only when the last collateral of any kind is gone", async function () {
      const f = await loadFixture(zeroRateFixture);
      const { core, id, alice, carol, bob } = f;
      await core.connect(alice).supply(id, 100_000n * U, 0, alice.address);
      await core.connect(carol).supplyCollateral(id, 0, E, carol.address);
      await core.connect(carol).supplyCollateral(id, 1, B / 100n, carol.address); // 0.01 WBTC = $600
      await core.connect(carol).borrow(id, 1_800n * U, 0, carol.address, carol.address);
      const book = new BorrowBook();
      let shares = book.borrow(1_800n * U);
      await setPrice(f.weth, "500");
      await setPrice(f.wbtc, "30000");

      const r1 = repaidForAll(E, USDC_PRICE, wethPrice("500"), BONUS_WETH);
      expect(r1).to.equal(476_190_477n);
      const burned1 = book.liquidate(r1, shares);
      shares -= burned1;
      await expect(core.connect(bob).liquidate(id, carol.address, 0, MAX, bob.address, "0x"))
        .to.emit(core, "Liquidate")
        .withArgs(id, bob.address, carol.address, 0, r1, burned1, E, 0)
        .and.not.to.emit(core, "BadDebtRealized");
      expect((await lossTotals(core, id)).badDebtRealized).to.equal(0n);
      expect((await positionOf(f, carol.address)).borrowShares).to.equal(shares);

      const r2 = repaidForAll(B / 100n, USDC_PRICE, wbtcPrice("30000"), BONUS_WBTC);
      expect(r2).to.equal(280_373_832n); // ceil(300 / 1.07)
      const burned2 = book.liquidate(r2, shares);
      const bad = book.writeOff(shares - burned2);
      expect(bad).to.equal(1_800n * U - r1 - r2);
      await expect(core.connect(bob).liquidate(id, carol.address, 1, MAX, bob.address, "0x"))
        .to.emit(core, "BadDebtRealized")
        .withArgs(id, carol.address, bad, 0, 0, bad);
      const pos = await positionOf(f, carol.address);
      expect(pos.borrowShares).to.equal(0n);
      expect(pos.weth + pos.wbtc).to.equal(0n);
      const l = await lossTotals(core, id);
      expect([l.badDebtRealized, l.fromReserves, l.fromInsurance, l.socialized]).to.deep.equal([bad, 0n, 0n, bad]);
      // Suppliers' assets dropped by exactly the socialized amount.
      expect((await core.market(id)).totalSupplyAssets).to.equal(100_000n * U - bad);
    });
  });
});
