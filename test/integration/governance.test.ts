import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { BallastCore } from "../../typechain-types";
import { InsuranceFund__factory, TimelockHarness__factory } from "../../typechain-types";
import {
  DEFAULT_RATE_MODEL,
  MAX_UINT128,
  deployCore,
  deployInsuranceFund,
  deployPricedToken,
  wad,
  type PricedToken,
} from "../../scripts/lib/protocol";
import { GUARDIAN_ROLE, RISK_ROLE, deployMarketFixture } from "../helpers/fixtures";
import { E18, PAUSE, U6, accruedMarket, b32, borrowedMarketFixture, nextTs } from "../helpers/core-helpers";

const ADMIN = ethers.ZeroHash;

async function collateralParams(asset: PricedToken, ltv = wad("0.7"), lt = wad("0.8"), bonus = wad("0.05")) {
  return {
    token: await asset.token.getAddress(),
    adapter: await asset.adapter.getAddress(),
    ltv,
    liquidationThreshold: lt,
    liquidationBonus: bonus,
    supplyCap: MAX_UINT128,
  };
}

async function marketParams(loan: PricedToken, collaterals: Awaited<ReturnType<typeof collateralParams>>[]) {
  return {
    loanToken: await loan.token.getAddress(),
    loanAdapter: await loan.adapter.getAddress(),
    supplyCap: MAX_UINT128,
    borrowCap: MAX_UINT128,
    minBorrow: 0n,
    minLeftover: 0n,
    reserveFactor: wad("0.1"),
    insurancePremiumFactor: 0n,
    rateModel: DEFAULT_RATE_MODEL,
    collaterals,
  };
}

/** deployMarketFixture plus nine more priced 18-decimal tokens for createMarket validation. */
async function manyTokensFixture() {
  const f = await deployMarketFixture();
  const extra: PricedToken[] = [];
  for (let i = 0; i < 9; i++) {
    extra.push(await deployPricedToken(f.deployer, { symbol: `T${i}`, decimals: 18, price: "10" }));
  }
  return { ...f, extra };
}

async function expectOob(p: Promise<unknown>, core: BallastCore, name: string, value: bigint | number) {
  await expect(p).to.be.revertedWithCustomError(core, "ParameterOutOfBounds").withArgs(b32(name), value);
}

describe("integration: governance", function () {
  describe("roles", function () {
    it("admin-only functions revert AccessControlUnauthorizedAccount for others", async function () {
      const { core, usdc, weth, id, fund, bob } = await loadFixture(deployMarketFixture);
      const c = core.connect(bob);
      const params = await marketParams(usdc, [await collateralParams(weth)]);
      const denied = async (p: Promise<unknown>, role: string) =>
        expect(p).to.be.revertedWithCustomError(core, "AccessControlUnauthorizedAccount").withArgs(bob.address, role);
      await denied(c.createMarket(params), ADMIN);
      await denied(c.addCollateral(id, await collateralParams(weth)), ADMIN);
      await denied(c.setInsuranceFund(id, await fund.getAddress()), ADMIN);
      await denied(c.setAdapter(id, -1, await usdc.adapter.getAddress()), ADMIN);
      await denied(c.setReserveFloor(id, 1), ADMIN);
      await denied(c.withdrawReserves(id, 1, bob.address), ADMIN);
      await denied(c.withdrawProtocolCollateral(id, 0, 1, bob.address), ADMIN);
      await denied(c.setCollateralRisk(id, 0, wad("0.5"), wad("0.6"), wad("0.05"), 1), RISK_ROLE);
      await denied(c.setCaps(id, 1, 1), RISK_ROLE);
      await denied(c.setMinAmounts(id, 1, 1), RISK_ROLE);
      await denied(c.setRateModel(id, DEFAULT_RATE_MODEL), RISK_ROLE);
      await denied(c.setFactors(id, 0, 0), RISK_ROLE);
      await denied(c.setLiquidationParams(id, wad("0.9"), 0, 0), RISK_ROLE);
      await denied(c.setPaused(id, PAUSE.supply), GUARDIAN_ROLE);
      expect(await core.marketCount()).to.equal(1n);
    });

    it("roles are separate: the admin without the risk or guardian role cannot set parameters or pause", async function () {
      const { core, id, deployer, bob } = await loadFixture(deployMarketFixture);
      await core.revokeRole(RISK_ROLE, deployer.address);
      await core.revokeRole(GUARDIAN_ROLE, deployer.address);
      await expect(core.setCaps(id, 1, 1))
        .to.be.revertedWithCustomError(core, "AccessControlUnauthorizedAccount")
        .withArgs(deployer.address, RISK_ROLE);
      await expect(core.setPaused(id, PAUSE.borrow))
        .to.be.revertedWithCustomError(core, "AccessControlUnauthorizedAccount")
        .withArgs(deployer.address, GUARDIAN_ROLE);
      await core.grantRole(RISK_ROLE, bob.address);
      await core.grantRole(GUARDIAN_ROLE, bob.address);
      await expect(core.connect(bob).setCaps(id, 5, 4))
        .to.emit(core, "CapsSet")
        .withArgs(id, 5, 4);
      await expect(core.connect(bob).setPaused(id, PAUSE.borrow))
        .to.emit(core, "PausedSet")
        .withArgs(id, PAUSE.borrow, 0);
      expect((await core.config(id)).supplyCap).to.equal(5n);
    });

    it("the core refuses a zero admin at deployment", async function () {
      const { core, deployer } = await loadFixture(deployMarketFixture);
      await expect(deployCore(deployer, ethers.ZeroAddress)).to.be.revertedWithCustomError(core, "ZeroAddress");
    });

    it("a TimelockController admin creates markets only through schedule + delay + execute", async function () {
      const [deployer, , , , , , , proposer] = await ethers.getSigners();
      const delay = 2n * 86400n;
      const timelock = await new TimelockHarness__factory(deployer!).deploy(
        delay,
        [proposer!.address],
        [proposer!.address],
        ethers.ZeroAddress,
      );
      const { core } = await deployCore(deployer!, await timelock.getAddress());
      const usdc = await deployPricedToken(deployer!, { symbol: "USDC", decimals: 6, price: "1", heartbeat: 86400 });
      const weth = await deployPricedToken(deployer!, {
        symbol: "WETH",
        decimals: 18,
        price: "2000",
        heartbeat: 86400 * 3,
      });
      const params = await marketParams(usdc, [await collateralParams(weth)]);
      await expect(core.createMarket(params))
        .to.be.revertedWithCustomError(core, "AccessControlUnauthorizedAccount")
        .withArgs(deployer!.address, ADMIN);
      const data = core.interface.encodeFunctionData("createMarket", [params]);
      const target = await core.getAddress();
      const salt = ethers.id("market-1");
      await timelock.connect(proposer!).schedule(target, 0, data, ethers.ZeroHash, salt, delay);
      await expect(
        timelock.connect(proposer!).execute(target, 0, data, ethers.ZeroHash, salt),
      ).to.be.revertedWithCustomError(timelock, "TimelockUnexpectedOperationState");
      await time.increase(delay);
      await usdc.feed.updateAnswer(10n ** 8n);
      await expect(timelock.connect(proposer!).execute(target, 0, data, ethers.ZeroHash, salt))
        .to.emit(core, "MarketCreated")
        .withArgs(1, await usdc.token.getAddress(), await usdc.adapter.getAddress(), 1);
      expect(await core.marketCount()).to.equal(1n);
    });
  });

  describe("createMarket validation", function () {
    it("creates sequential ids with every configuration event and defaults", async function () {
      const { core, usdc, extra, deployer } = await loadFixture(manyTokensFixture);
      const cols = [await collateralParams(extra[0]!), await collateralParams(extra[1]!, wad("0.5"), wad("0.6"), 0n)];
      const params = await marketParams(usdc, cols);
      const tx = core.createMarket(params);
      await expect(tx).to.emit(core, "MarketCreated").withArgs(2, params.loanToken, params.loanAdapter, 2);
      await expect(tx).to.emit(core, "CapsSet").withArgs(2, MAX_UINT128, MAX_UINT128);
      await expect(tx).to.emit(core, "MinAmountsSet").withArgs(2, 0, 0);
      await expect(tx)
        .to.emit(core, "RateModelSet")
        .withArgs(2, [
          DEFAULT_RATE_MODEL.baseRate,
          DEFAULT_RATE_MODEL.slope1,
          DEFAULT_RATE_MODEL.slope2,
          DEFAULT_RATE_MODEL.targetUtilization,
        ]);
      await expect(tx).to.emit(core, "FactorsSet").withArgs(2, wad("0.1"), 0);
      await expect(tx).to.emit(core, "LiquidationParamsSet").withArgs(2, wad("0.95"), 0, 3600);
      await expect(tx).to.emit(core, "CollateralAdded").withArgs(2, 1, cols[1]!.token, cols[1]!.adapter);
      await expect(tx)
        .to.emit(core, "CollateralRiskSet")
        .withArgs(2, 0, wad("0.7"), wad("0.8"), wad("0.05"), MAX_UINT128);
      expect(await core.marketCount()).to.equal(2n);
      const c = await core.config(2);
      expect(c.collateralCount).to.equal(2n);
      expect(c.closeFactorHfThreshold).to.equal(wad("0.95"));
      expect(c.liquidationGracePeriod).to.equal(3600n);
      expect((await core.collateral(2, 1)).liquidationThresholdE9).to.equal(6n * 10n ** 8n);
      // The market slots are non-zero from creation: createdAt (supply totals), lastUpdate (borrow totals), the
      // accrual's cuts beside reserves and premium (issue 15: the reserve factor / 1e9; no premium cut before a fund
      // is set), createdBlock (the shortfall slot; where the SDK's event scans of the market start).
      const m = await core.market(2);
      expect([m.reserveCut, m.premiumCut]).to.deep.equal([10n ** 8n, 0n]);
      const now = BigInt(await time.latest());
      expect([m.createdAt, m.lastUpdate]).to.deep.equal([now, now]);
      expect(m.createdBlock).to.equal(BigInt((await (await tx).wait())!.blockNumber));
      // A premium factor set before any fund leaves the premium cut at 0 until the fund is set, then applies it.
      await core.setFactors(2, wad("0.1"), wad("0.05"));
      expect((await core.market(2)).premiumCut).to.equal(0n);
      await deployInsuranceFund(deployer, core, 2n, params.loanToken);
      expect((await core.market(2)).premiumCut).to.equal(5n * 10n ** 7n);
    });

    it("accepts 1 to 8 collaterals and rejects 0 and 9 with TooManyCollaterals", async function () {
      const { core, usdc, extra } = await loadFixture(manyTokensFixture);
      const all = await Promise.all(extra.map((t) => collateralParams(t)));
      await expect(core.createMarket(await marketParams(usdc, [])))
        .to.be.revertedWithCustomError(core, "TooManyCollaterals")
        .withArgs(0);
      await expect(core.createMarket(await marketParams(usdc, all)))
        .to.be.revertedWithCustomError(core, "TooManyCollaterals")
        .withArgs(9);
      await expect(core.createMarket(await marketParams(usdc, all.slice(0, 1))))
        .to.emit(core, "MarketCreated")
        .withArgs(2, await usdc.token.getAddress(), await usdc.adapter.getAddress(), 1);
      await expect(core.createMarket(await marketParams(usdc, all.slice(0, 8))))
        .to.emit(core, "MarketCreated")
        .withArgs(3, await usdc.token.getAddress(), await usdc.adapter.getAddress(), 8);
      expect((await core.config(3)).collateralCount).to.equal(8n);
      expect((await core.collateral(3, 7)).token).to.equal(all[7]!.token);
      // addCollateral: up to 8 in total
      await expect(core.addCollateral(2, all[8]!))
        .to.emit(core, "CollateralAdded")
        .withArgs(2, 1, all[8]!.token, all[8]!.adapter);
      await expect(core.addCollateral(3, all[8]!))
        .to.be.revertedWithCustomError(core, "TooManyCollaterals")
        .withArgs(9);
      await expect(core.addCollateral(2, all[0]!))
        .to.be.revertedWithCustomError(core, "DuplicateCollateral")
        .withArgs(all[0]!.token);
      await expect(core.addCollateral(9, all[0]!)).to.be.revertedWithCustomError(core, "MarketNotCreated").withArgs(9);
    });

    it("rejects duplicates, the loan token as collateral, zero addresses and a mismatched or invalid adapter", async function () {
      const { core, usdc, weth, extra } = await loadFixture(manyTokensFixture);
      const a = await collateralParams(extra[0]!);
      await expect(core.createMarket(await marketParams(usdc, [a, a])))
        .to.be.revertedWithCustomError(core, "DuplicateCollateral")
        .withArgs(a.token);
      const loanAsCol = await collateralParams(usdc);
      await expect(core.createMarket(await marketParams(usdc, [loanAsCol])))
        .to.be.revertedWithCustomError(core, "DuplicateCollateral")
        .withArgs(loanAsCol.token);
      await expect(
        core.createMarket({ ...(await marketParams(usdc, [a])), loanToken: ethers.ZeroAddress }),
      ).to.be.revertedWithCustomError(core, "ZeroAddress");
      await expect(
        core.createMarket({ ...(await marketParams(usdc, [a])), loanAdapter: ethers.ZeroAddress }),
      ).to.be.revertedWithCustomError(core, "ZeroAddress");
      await expect(
        core.createMarket(await marketParams(usdc, [{ ...a, token: ethers.ZeroAddress }])),
      ).to.be.revertedWithCustomError(core, "ZeroAddress");
      const wrongAdapter = { ...a, adapter: await weth.adapter.getAddress() };
      await expect(core.createMarket(await marketParams(usdc, [wrongAdapter])))
        .to.be.revertedWithCustomError(core, "PriceScaleMismatch")
        .withArgs(a.token, 0);
      // an adapter whose feed is stale now cannot be configured (reverts with the adapter's error)
      await time.increase(5000);
      await expect(core.createMarket(await marketParams(usdc, [a])))
        .to.be.revertedWithCustomError(extra[0]!.adapter, "StalePrice")
        .withArgs(await extra[0]!.feed.getAddress(), (await extra[0]!.feed.latestRoundData())[3], 4200);
      expect(await core.marketCount()).to.equal(1n);
    });

    it("rejects LTV >= threshold and threshold x (1 + bonus) >= 100%, and bad rate models and factors", async function () {
      const { core, usdc, extra } = await loadFixture(manyTokensFixture);
      const t = extra[0]!;
      await expectOob(
        core.createMarket(await marketParams(usdc, [await collateralParams(t, wad("0.8"), wad("0.8"))])),
        core,
        "ltv",
        wad("0.8"),
      );
      await expectOob(
        core.createMarket(await marketParams(usdc, [await collateralParams(t, wad("0.8"), wad("0.9"), wad("0.12"))])),
        core,
        "liquidationBonus",
        wad("0.12"),
      );
      await expectOob(
        core.createMarket({
          ...(await marketParams(usdc, [await collateralParams(t)])),
          rateModel: { ...DEFAULT_RATE_MODEL, targetUtilization: 0n },
        }),
        core,
        "targetUtilization",
        0n,
      );
      await expectOob(
        core.createMarket({ ...(await marketParams(usdc, [await collateralParams(t)])), reserveFactor: wad("0.6") }),
        core,
        "reserveFactor",
        wad("0.6"),
      );
      expect(await core.marketCount()).to.equal(1n);
    });
  });

  describe("setters and their hard bounds", function () {
    it("setCollateralRisk: threshold <= 95%, LTV < threshold, bonus <= 20%, threshold x (1 + bonus) < 1", async function () {
      const { core, id } = await loadFixture(deployMarketFixture);
      const before = await core.collateral(id, 0);
      await expectOob(
        core.setCollateralRisk(id, 0, wad("0.5"), wad("0.95") + 1n, 0, 1),
        core,
        "liquidationThreshold",
        wad("0.95") + 1n,
      );
      await expectOob(core.setCollateralRisk(id, 0, 0, 0, 0, 1), core, "liquidationThreshold", 0);
      await expectOob(core.setCollateralRisk(id, 0, wad("0.8"), wad("0.8"), 0, 1), core, "ltv", wad("0.8"));
      await expectOob(
        core.setCollateralRisk(id, 0, wad("0.5"), wad("0.6"), wad("0.2") + 1n, 1),
        core,
        "liquidationBonus",
        wad("0.2") + 1n,
      );
      // 0.9 x 1.111111111111111111 rounds up to exactly 1: rejected; one less unit of bonus gives 0.999999999999999999
      const tooBig = 111111111111111111n;
      await expectOob(
        core.setCollateralRisk(id, 0, wad("0.8"), wad("0.9"), tooBig, 1),
        core,
        "liquidationBonus",
        tooBig,
      );
      await expectOob(
        core.setCollateralRisk(id, 0, wad("0.8"), wad("0.95"), wad("0.06"), 1),
        core,
        "liquidationBonus",
        wad("0.06"),
      );
      // At most 9 decimals (Collateral.liquidationThresholdE9 is exact): one wei more is refused.
      await expectOob(
        core.setCollateralRisk(id, 0, wad("0.5"), wad("0.8") + 1n, 0, 1),
        core,
        "liquidationThreshold",
        wad("0.8") + 1n,
      );
      await expect(core.setCollateralRisk(id, 2, wad("0.5"), wad("0.6"), 0, 1))
        .to.be.revertedWithCustomError(core, "InvalidCollateralIndex")
        .withArgs(id, 2);
      const after = await core.collateral(id, 0);
      expect(after.ltv).to.equal(before.ltv);
      expect(after.liquidationThreshold).to.equal(before.liquidationThreshold);
      // boundary values are accepted and applied
      const okBonus = 11111111111111111n * 10n; // 0.11111111111111111
      await expect(core.setCollateralRisk(id, 0, wad("0.9") - 1n, wad("0.9"), okBonus, 77))
        .to.emit(core, "CollateralRiskSet")
        .withArgs(id, 0, wad("0.9") - 1n, wad("0.9"), okBonus, 77);
      await expect(core.setCollateralRisk(id, 1, wad("0.94"), wad("0.95"), wad("0.05"), 5))
        .to.emit(core, "CollateralRiskSet")
        .withArgs(id, 1, wad("0.94"), wad("0.95"), wad("0.05"), 5);
      const c0 = await core.collateral(id, 0);
      expect([c0.ltv, c0.liquidationThreshold, c0.liquidationBonus, c0.supplyCap]).to.deep.equal([
        wad("0.9") - 1n,
        wad("0.9"),
        okBonus,
        77n,
      ]);
      expect(c0.liquidationThresholdE9).to.equal(9n * 10n ** 8n);
    });

    it("setRateModel: base <= 100%, slopes <= 1000%, target in [1%, 99%]; accrues at the old model first", async function () {
      const { core, id } = await loadFixture(borrowedMarketFixture);
      const m = DEFAULT_RATE_MODEL;
      await expectOob(core.setRateModel(id, { ...m, baseRate: E18 + 1n }), core, "baseRate", E18 + 1n);
      await expectOob(core.setRateModel(id, { ...m, slope1: 10n * E18 + 1n }), core, "slope1", 10n * E18 + 1n);
      await expectOob(core.setRateModel(id, { ...m, slope2: 10n * E18 + 1n }), core, "slope2", 10n * E18 + 1n);
      await expectOob(
        core.setRateModel(id, { ...m, targetUtilization: wad("0.01") - 1n }),
        core,
        "targetUtilization",
        wad("0.01") - 1n,
      );
      await expectOob(
        core.setRateModel(id, { ...m, targetUtilization: wad("0.99") + 1n }),
        core,
        "targetUtilization",
        wad("0.99") + 1n,
      );
      const next = { baseRate: E18, slope1: 10n * E18, slope2: 10n * E18, targetUtilization: wad("0.99") };
      const ts = await nextTs(100n);
      const acc = await accruedMarket(core, id, ts);
      const tx = core.setRateModel(id, next);
      await expect(tx)
        .to.emit(core, "AccrueInterest")
        .withArgs(id, acc.rate, acc.interest, acc.toReserves, acc.toInsurance);
      await expect(tx)
        .to.emit(core, "RateModelSet")
        .withArgs(id, [E18, 10n * E18, 10n * E18, wad("0.99")]);
      expect((await core.market(id)).totalBorrowAssets).to.equal(acc.totalBorrowAssets);
      await expect(core.setRateModel(id, { ...m, targetUtilization: wad("0.01") }))
        .to.emit(core, "RateModelSet")
        .withArgs(id, [0, m.slope1, m.slope2, wad("0.01")]);
      expect((await core.config(id)).rateModel.targetUtilization).to.equal(wad("0.01"));
    });

    it("setFactors: reserve and premium factors <= 50%; accrues at the old factors first", async function () {
      const { core, id } = await loadFixture(borrowedMarketFixture);
      await expectOob(core.setFactors(id, wad("0.5") + 1n, 0), core, "reserveFactor", wad("0.5") + 1n);
      await expectOob(core.setFactors(id, 0, wad("0.5") + 1n), core, "insurancePremiumFactor", wad("0.5") + 1n);
      // At most 9 decimals (the accrual's 32-bit cuts are exact): one wei more is refused, nothing changes.
      await expectOob(core.setFactors(id, wad("0.1") + 1n, 0), core, "reserveFactor", wad("0.1") + 1n);
      await expectOob(core.setFactors(id, 0, wad("0.1") + 1n), core, "insurancePremiumFactor", wad("0.1") + 1n);
      const ts = await nextTs(100n);
      const acc = await accruedMarket(core, id, ts);
      const tx = core.setFactors(id, wad("0.5"), wad("0.5"));
      await expect(tx)
        .to.emit(core, "AccrueInterest")
        .withArgs(id, acc.rate, acc.interest, acc.toReserves, acc.toInsurance);
      await expect(tx).to.emit(core, "FactorsSet").withArgs(id, wad("0.5"), wad("0.5"));
      const c = await core.config(id);
      expect([c.reserveFactor, c.insurancePremiumFactor]).to.deep.equal([wad("0.5"), wad("0.5")]);
      const m = await core.market(id);
      expect([m.reserveCut, m.premiumCut]).to.deep.equal([5n * 10n ** 8n, 5n * 10n ** 8n]);
    });

    it("setLiquidationParams: close-factor threshold in [0.5, 1], protocol bonus share <= 50%, grace <= 4 hours", async function () {
      const { core, id } = await loadFixture(deployMarketFixture);
      await expectOob(
        core.setLiquidationParams(id, wad("0.5") - 1n, 0, 0),
        core,
        "closeFactorHfThreshold",
        wad("0.5") - 1n,
      );
      await expectOob(core.setLiquidationParams(id, E18 + 1n, 0, 0), core, "closeFactorHfThreshold", E18 + 1n);
      await expectOob(
        core.setLiquidationParams(id, E18, wad("0.5") + 1n, 0),
        core,
        "protocolBonusShare",
        wad("0.5") + 1n,
      );
      await expectOob(
        core.setLiquidationParams(id, E18, 0, 4 * 3600 + 1),
        core,
        "liquidationGracePeriod",
        4 * 3600 + 1,
      );
      await expect(core.setLiquidationParams(id, wad("0.5"), wad("0.5"), 4 * 3600))
        .to.emit(core, "LiquidationParamsSet")
        .withArgs(id, wad("0.5"), wad("0.5"), 4 * 3600);
      await expect(core.setLiquidationParams(id, E18, 0, 0))
        .to.emit(core, "LiquidationParamsSet")
        .withArgs(id, E18, 0, 0);
      const c = await core.config(id);
      expect([c.closeFactorHfThreshold, c.protocolBonusShare, c.liquidationGracePeriod]).to.deep.equal([E18, 0n, 0n]);
    });

    it("setCaps, setMinAmounts and setReserveFloor store and emit; unknown markets revert", async function () {
      const { core, id } = await loadFixture(deployMarketFixture);
      await expect(core.setCaps(id, 123, 45))
        .to.emit(core, "CapsSet")
        .withArgs(id, 123, 45);
      await expect(core.setMinAmounts(id, 7, 3))
        .to.emit(core, "MinAmountsSet")
        .withArgs(id, 7, 3);
      await expect(core.setReserveFloor(id, 99)).to.emit(core, "ReserveFloorSet").withArgs(id, 99);
      const c = await core.config(id);
      expect([c.supplyCap, c.borrowCap, c.minBorrow, c.minLeftover, c.reserveFloor]).to.deep.equal([
        123n,
        45n,
        7n,
        3n,
        99n,
      ]);
      await expect(core.setCaps(4, 1, 1))
        .to.be.revertedWithCustomError(core, "MarketNotCreated")
        .withArgs(4);
      await expect(core.setPaused(4, 0)).to.be.revertedWithCustomError(core, "MarketNotCreated").withArgs(4);
      await expect(core.accrueInterest(4)).to.be.revertedWithCustomError(core, "MarketNotCreated").withArgs(4);
    });

    it("setPaused: every flag but repay; repay reverts RepayCannotBePaused, unknown bits ParameterOutOfBounds", async function () {
      const { core, id } = await loadFixture(deployMarketFixture);
      await expect(core.setPaused(id, PAUSE.repay)).to.be.revertedWithCustomError(core, "RepayCannotBePaused");
      await expect(core.setPaused(id, 0x77 | PAUSE.repay)).to.be.revertedWithCustomError(core, "RepayCannotBePaused");
      await expectOob(core.setPaused(id, 0x80), core, "paused", 0x80);
      await expect(core.setPaused(id, 0x77)).to.emit(core, "PausedSet").withArgs(id, 0x77, 0);
      expect((await core.config(id)).paused).to.equal(0x77n);
    });

    it("setAdapter replaces a price adapter of the same token only", async function () {
      const { core, usdc, weth, wbtc, id, deployer } = await loadFixture(deployMarketFixture);
      const { deployAdapter } = await import("../../scripts/lib/protocol");
      const newUsdcAdapter = await deployAdapter(deployer, {
        token: await usdc.token.getAddress(),
        owner: deployer.address,
        primary: await usdc.feed.getAddress(),
        maxAge: 90000,
        minPrice: wad("0.5"),
        maxPrice: wad("2"),
      });
      await expect(core.setAdapter(id, -1, await newUsdcAdapter.getAddress()))
        .to.emit(core, "AdapterSet")
        .withArgs(id, -1, await newUsdcAdapter.getAddress());
      expect((await core.config(id)).loanAdapter).to.equal(await newUsdcAdapter.getAddress());
      await expect(core.setAdapter(id, 0, await wbtc.adapter.getAddress()))
        .to.be.revertedWithCustomError(core, "PriceScaleMismatch")
        .withArgs(await weth.token.getAddress(), 0);
      await expect(core.setAdapter(id, 2, await weth.adapter.getAddress()))
        .to.be.revertedWithCustomError(core, "InvalidCollateralIndex")
        .withArgs(id, 2);
      await expect(core.setAdapter(id, 1, ethers.ZeroAddress)).to.be.revertedWithCustomError(core, "ZeroAddress");
      await expect(core.setAdapter(id, 1, await wbtc.adapter.getAddress()))
        .to.emit(core, "AdapterSet")
        .withArgs(id, 1, await wbtc.adapter.getAddress());
    });

    it("setInsuranceFund: only a fund that names this core and market (not the one in place)", async function () {
      const { core, usdc, weth, id, fund, deployer } = await loadFixture(deployMarketFixture);
      await expect(core.setInsuranceFund(id, await fund.getAddress()))
        .to.be.revertedWithCustomError(core, "InsuranceFundMismatch")
        .withArgs(await fund.getAddress());
      await core.createMarket(await marketParams(usdc, [await collateralParams(weth)]));
      await expect(core.setInsuranceFund(2, await fund.getAddress()))
        .to.be.revertedWithCustomError(core, "InsuranceFundMismatch")
        .withArgs(await fund.getAddress());
      // A fund for market 2 of another core (here: an address that is not this core).
      const foreign = await new InsuranceFund__factory(deployer).deploy(
        await usdc.token.getAddress(),
        deployer.address,
        2n,
        deployer.address,
        "Foreign",
        "F",
      );
      await expect(core.setInsuranceFund(2, await foreign.getAddress()))
        .to.be.revertedWithCustomError(core, "InsuranceFundMismatch")
        .withArgs(await foreign.getAddress());
      expect((await core.config(2)).insuranceFund).to.equal(ethers.ZeroAddress);
      const fund2 = await deployInsuranceFund(deployer, core, 2n, await usdc.token.getAddress());
      expect((await core.config(2)).insuranceFund).to.equal(await fund2.getAddress());
    });

    it("withdrawReserves: admin only, never below the reserve floor, emits and transfers", async function () {
      const { core, usdc, id, bob } = await loadFixture(borrowedMarketFixture);
      const ts = await nextTs();
      const acc = await accruedMarket(core, id, ts);
      expect(acc.reserves > 0n).to.equal(true);
      const floor = acc.reserves / 2n;
      await core.setReserveFloor(id, floor); // mined at ts: accrual below happens later
      let t2 = await nextTs();
      let a2 = await accruedMarket(core, id, t2);
      const tooMuch = a2.reserves - floor + 1n;
      await expect(core.withdrawReserves(id, tooMuch, bob.address))
        .to.be.revertedWithCustomError(core, "ReserveFloorBreached")
        .withArgs(a2.reserves - tooMuch, floor);
      t2 = await nextTs();
      a2 = await accruedMarket(core, id, t2);
      await expect(core.withdrawReserves(id, a2.reserves + 1n, bob.address))
        .to.be.revertedWithCustomError(core, "ReserveFloorBreached")
        .withArgs(0, floor);
      await expect(core.withdrawReserves(id, 1, ethers.ZeroAddress)).to.be.revertedWithCustomError(core, "ZeroAddress");
      t2 = await nextTs();
      a2 = await accruedMarket(core, id, t2);
      const amount = a2.reserves - floor;
      const tx = core.withdrawReserves(id, amount, bob.address);
      await expect(tx).to.emit(core, "ReservesWithdrawn").withArgs(id, bob.address, amount);
      await expect(tx).to.changeTokenBalances(usdc.token, [bob, core], [amount, -amount]);
      expect((await core.market(id)).reserves).to.equal(floor);
      await expect(core.withdrawProtocolCollateral(id, 0, 1, bob.address))
        .to.be.revertedWithCustomError(core, "InsufficientBalance")
        .withArgs(0, 1);
      await expect(core.withdrawProtocolCollateral(id, 0, 0, ethers.ZeroAddress)).to.be.revertedWithCustomError(
        core,
        "ZeroAddress",
      );
      await expect(core.withdrawReserves(id, 0, ethers.ZeroAddress)).to.be.revertedWithCustomError(core, "ZeroAddress");
      void U6;
    });
  });
});
