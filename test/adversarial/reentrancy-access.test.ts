/**
 * Adversarial: re-entrancy through token hooks (Cream AMP 2021, Hundred / Agave 2022) and through the liquidation
 * callback (Rari 2022), and every admin function called without its role.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { deployMarketFixture, RISK_ROLE, GUARDIAN_ROLE } from "../helpers/fixtures";
import { impersonate } from "../helpers/impersonate";
import { createMarket, wad, DEFAULT_RATE_MODEL } from "../../scripts/lib/protocol";
import { deployHookAsset } from "../helpers/fund-helpers";
import { ReentrantLiquidator__factory } from "../../typechain-types";

const U = 10n ** 6n;
const E = 10n ** 18n;
const MAX = ethers.MaxUint256;
const REENTRANT = ethers.id("ReentrancyGuardReentrantCall()").slice(0, 10);

describe("Adversarial: re-entrancy through token hooks and the liquidation callback", function () {
  async function hookFixture() {
    const f = await deployMarketFixture();
    const hookAsset = await deployHookAsset(f.deployer);
    const { token: hook, feed } = hookAsset;
    // Market 2: the hook token is the collateral. Market 3: the hook token is the loan asset.
    const colId = await createMarket(f.core, {
      loan: f.usdc,
      collaterals: [
        {
          asset: hookAsset as never,
          ltv: wad("0.8"),
          liquidationThreshold: wad("0.85"),
          liquidationBonus: wad("0.05"),
        },
      ],
    });
    const loanId = await createMarket(f.core, {
      loan: hookAsset as never,
      collaterals: [
        { asset: f.weth, ltv: wad("0.8"), liquidationThreshold: wad("0.85"), liquidationBonus: wad("0.05") },
      ],
      rateModel: DEFAULT_RATE_MODEL,
    });
    const coreAddr = await f.core.getAddress();
    for (const s of [f.alice, f.bob, f.carol]) {
      await hook.mint(s.address, 10n ** 30n);
      await hook.connect(s).approve(coreAddr, MAX);
    }
    return { ...f, hook, hookFeed: feed, colId, loanId };
  }

  it("a collateral hook re-entering borrow during supplyCollateral is blocked by the lock; the deposit completes", async function () {
    const { core, hook, colId, alice, bob: attacker } = await loadFixture(hookFixture);
    await core.connect(alice).supply(colId, 100_000n * U, 0n, alice.address);
    // The hook fires inside _pull, before the supply-collateral call returns.
    const reenter = core.interface.encodeFunctionData("borrow", [
      colId,
      50_000n * U,
      0n,
      attacker.address,
      attacker.address,
    ]);
    await hook.arm(await core.getAddress(), reenter);
    await core.connect(attacker).supplyCollateral(colId, 0, 100_000n * E, attacker.address);
    expect(await hook.lastHookSucceeded()).to.equal(false);
    expect(await hook.lastHookReturn()).to.equal(REENTRANT);
    const [, debt, , cols] = await core.position(colId, attacker.address);
    expect(debt).to.equal(0n);
    expect(cols[0]).to.equal(100_000n * E);
  });

  it("a loan-token hook re-entering borrow / withdraw during a borrow transfer is blocked (Cream AMP, Hundred)", async function () {
    const { core, hook, weth, loanId, alice, bob: attacker } = await loadFixture(hookFixture);
    await core.connect(alice).supply(loanId, 1_000_000n * E, 0n, alice.address);
    await core.connect(attacker).supplyCollateral(loanId, 0, 10n * E, attacker.address); // $20,000 of WETH
    for (const reenter of [
      core.interface.encodeFunctionData("borrow", [loanId, 15_000n * E, 0n, attacker.address, attacker.address]),
      core.interface.encodeFunctionData("withdrawCollateral", [loanId, 0, 10n * E, attacker.address, attacker.address]),
    ]) {
      await hook.arm(await core.getAddress(), reenter);
      await core.connect(attacker).borrow(loanId, 1_000n * E, 0n, attacker.address, attacker.address);
      expect(await hook.lastHookSucceeded()).to.equal(false);
      expect(await hook.lastHookReturn()).to.equal(REENTRANT);
    }
    const [, , , cols] = await core.position(loanId, attacker.address);
    expect(cols[0]).to.equal(10n * E);
    expect(await hook.balanceOf(attacker.address)).to.equal(10n ** 30n + 2_000n * E);
    void weth;
  });

  it("the liquidation callback cannot re-enter withdraw, liquidate or withdrawCollateral; the liquidation pays exactly", async function () {
    const { core, id, usdc, weth, alice, carol, deployer } = await loadFixture(deployMarketFixture);
    await core.setRateModel(id, { baseRate: 0n, slope1: 0n, slope2: 0n, targetUtilization: wad("0.8") });
    await core.connect(alice).supply(id, 1_000_000n * U, 0n, alice.address);
    await core.connect(carol).supplyCollateral(id, 0, 10n * E, carol.address);
    await core.connect(carol).borrow(id, 16_000n * U, 0n, carol.address, carol.address);
    await weth.feed.updateAnswer(1_850n * 10n ** 8n); // HF = 18,500 x 0.85 / 16,000 = 0.98
    const attacker = await new ReentrantLiquidator__factory(deployer).deploy(await core.getAddress());
    const attackerAddr = await attacker.getAddress();
    await usdc.token.mint(attackerAddr, 100_000n * U);
    const calls = [
      core.interface.encodeFunctionData("withdraw", [id, 1n, 0n, alice.address, attackerAddr]),
      core.interface.encodeFunctionData("liquidate", [id, carol.address, 0, MAX, attackerAddr, "0x"]),
      core.interface.encodeFunctionData("withdrawCollateral", [id, 0, 1n, carol.address, attackerAddr]),
    ];
    const loanPrice = await usdc.adapter.price();
    const colPrice = await weth.adapter.price();
    for (const [k, reentry] of calls.entries()) {
      const [, shares] = await core.position(id, carol.address);
      if (shares === 0n) break;
      const m = await core.market(id);
      const debt =
        (shares * (m.totalBorrowAssets + 1n) + (m.totalBorrowShares + 10n ** 6n) - 1n) /
        (m.totalBorrowShares + 10n ** 6n);
      const repay = 1_000n * U;
      const seized = (((repay * loanPrice) / colPrice) * (E + wad("0.05"))) / E;
      const bal0 = await usdc.token.balanceOf(attackerAddr);
      await attacker.attack(id, carol.address, 0, repay, await usdc.token.getAddress(), reentry);
      expect(await attacker.reentrySucceeded()).to.equal(false, `re-entry ${k}`);
      expect(await attacker.reentryReturn()).to.equal(REENTRANT);
      expect(await attacker.callbackRepaid()).to.equal(repay);
      expect(await attacker.callbackSeized()).to.equal(seized);
      expect(bal0 - (await usdc.token.balanceOf(attackerAddr))).to.equal(repay);
      expect(debt).to.be.gt(repay);
    }
    expect(await weth.token.balanceOf(attackerAddr)).to.equal(
      3n * ((((1_000n * U * loanPrice) / colPrice) * (E + wad("0.05"))) / E),
    );
  });
  it("every other mutating entry point is locked during the callback too", async function () {
    const { core, id, usdc, weth, alice, carol, deployer } = await loadFixture(deployMarketFixture);
    await core.setRateModel(id, { baseRate: 0n, slope1: 0n, slope2: 0n, targetUtilization: wad("0.8") });
    await core.connect(alice).supply(id, 1_000_000n * U, 0n, alice.address);
    await core.connect(carol).supplyCollateral(id, 0, 10n * E, carol.address);
    await core.connect(carol).borrow(id, 16_000n * U, 0n, carol.address, carol.address);
    await weth.feed.updateAnswer(1_500n * 10n ** 8n); // HF = 15,000 x 0.85 / 16,000 = 0.80
    const attacker = await new ReentrantLiquidator__factory(deployer).deploy(await core.getAddress());
    const attackerAddr = await attacker.getAddress();
    await usdc.token.mint(attackerAddr, 100_000n * U);
    const i = core.interface;
    const calls: [string, string][] = [
      ["supply", i.encodeFunctionData("supply", [id, 1n * U, 0n, attackerAddr])],
      ["supplyCollateral", i.encodeFunctionData("supplyCollateral", [id, 0, 1n, attackerAddr])],
      ["repay", i.encodeFunctionData("repay", [id, 1n * U, 0n, carol.address])],
      ["flagShortfall", i.encodeFunctionData("flagShortfall", [id, carol.address])],
      ["clearShortfall", i.encodeFunctionData("clearShortfall", [id, carol.address])],
      ["claimPremium", i.encodeFunctionData("claimPremium", [id])],
      ["borrow", i.encodeFunctionData("borrow", [id, 1n * U, 0n, attackerAddr, attackerAddr])],
      // Even a contract holding the admin role cannot move reserves or protocol collateral mid-liquidation.
      ["withdrawReserves", i.encodeFunctionData("withdrawReserves", [id, 0n, attackerAddr])],
      ["withdrawProtocolCollateral", i.encodeFunctionData("withdrawProtocolCollateral", [id, 0, 0n, attackerAddr])],
    ];
    await core.grantRole(ethers.ZeroHash, attackerAddr);
    for (const [name, reentry] of calls) {
      const bal0 = await usdc.token.balanceOf(attackerAddr);
      await attacker.attack(id, carol.address, 0, 500n * U, await usdc.token.getAddress(), reentry);
      expect(await attacker.reentrySucceeded()).to.equal(false, name);
      expect(await attacker.reentryReturn()).to.equal(REENTRANT, name);
      expect(bal0 - (await usdc.token.balanceOf(attackerAddr))).to.equal(500n * U, name);
    }
  });

  it("degenerate inputs are rejected with their custom errors, not silently accepted", async function () {
    const { core, id, usdc, weth, fund, alice, carol, deployer } = await loadFixture(deployMarketFixture);
    await core.connect(alice).supply(id, 1_000_000n * U, 0n, alice.address);
    await core.connect(carol).supplyCollateral(id, 0, 10n * E, carol.address);
    await core.connect(carol).borrow(id, 10_000n * U, 0n, carol.address, carol.address);
    await expect(
      core.connect(alice).liquidate(id, carol.address, 0, MAX, ethers.ZeroAddress, "0x"),
    ).to.be.revertedWithCustomError(core, "ZeroAddress");
    await expect(
      core.connect(alice).liquidate(id, carol.address, 0, 0n, alice.address, "0x"),
    ).to.be.revertedWithCustomError(core, "ZeroAmount");
    // A market without an insurance fund has no fund to pay or park for: nobody is its fund. With one, nothing
    // owed claims nothing, even for the fund itself.
    const id2 = await createMarket(core, {
      loan: usdc,
      collaterals: [{ asset: weth, ltv: wad("0.8"), liquidationThreshold: wad("0.85"), liquidationBonus: wad("0.05") }],
    });
    await expect(core.claimPremium(id2))
      .to.be.revertedWithCustomError(core, "NotInsuranceFund")
      .withArgs(id2, deployer.address);
    await expect(core.storeFund(id2, 1n))
      .to.be.revertedWithCustomError(core, "NotInsuranceFund")
      .withArgs(id2, deployer.address);
    const asFund = await impersonate(await fund.getAddress());
    expect((await core.market(id)).premiumOwed).to.equal(0n);
    expect(await core.connect(asFund).claimPremium.staticCall(id)).to.equal(0n);
  });

  it("only the market's insurance fund moves the cash the core holds for it: an EOA's claimPremium or storeFund reverts NotInsuranceFund and changes nothing", async function () {
    const { core, id, usdc, fund, alice, bob, carol, frank: outsider } = await loadFixture(deployMarketFixture);
    await fund.connect(bob).deposit(10_000n * U, bob.address); // parked in the core at once
    await core.connect(alice).supply(id, 1_000_000n * U, 0n, alice.address);
    await core.connect(carol).supplyCollateral(id, 0, 10n * E, carol.address);
    await core.connect(carol).borrow(id, 10_000n * U, 0n, carol.address, carol.address);
    await time.increase(30 * 86400);
    await core.accrueInterest(id); // premium accrued: the core holds the stake and the premium for the fund
    const coreAddr = await core.getAddress();
    const fundAddr = await fund.getAddress();
    const owed = (await core.market(id)).premiumOwed;
    expect(owed).to.be.greaterThan(10_000n * U);
    expect(await usdc.token.balanceOf(fundAddr)).to.equal(0n);
    const snapshot = async () => [
      (await core.market(id)).premiumOwed,
      await usdc.token.balanceOf(coreAddr),
      await usdc.token.balanceOf(fundAddr),
      await usdc.token.balanceOf(outsider.address),
      await fund.grossAssets(),
    ];
    const before = await snapshot();
    for (const who of [outsider, bob, alice]) {
      await expect(core.connect(who).claimPremium(id))
        .to.be.revertedWithCustomError(core, "NotInsuranceFund")
        .withArgs(id, who.address);
      await expect(core.connect(who).storeFund(id, 1_000n * U))
        .to.be.revertedWithCustomError(core, "NotInsuranceFund")
        .withArgs(id, who.address);
    }
    expect(await snapshot()).to.deep.equal(before);
    expect(before[0]).to.equal(owed);
  });
});

describe("Adversarial: every admin function without its role reverts AccessControlUnauthorizedAccount", function () {
  it("core: admin, risk and guardian functions by an outsider and by the other roles", async function () {
    const {
      core,
      id,
      usdc,
      weth,
      fund,
      deployer,
      alice,
      bob: riskAcct,
      carol: guardianAcct,
      frank: outsider,
    } = await loadFixture(deployMarketFixture);
    await core.grantRole(RISK_ROLE, riskAcct.address);
    await core.grantRole(GUARDIAN_ROLE, guardianAcct.address);
    const ADMIN = await core.DEFAULT_ADMIN_ROLE();
    const params = {
      loanToken: await usdc.token.getAddress(),
      loanAdapter: await usdc.adapter.getAddress(),
      supplyCap: 1n,
      borrowCap: 1n,
      minBorrow: 0n,
      minLeftover: 0n,
      reserveFactor: 0n,
      insurancePremiumFactor: 0n,
      rateModel: DEFAULT_RATE_MODEL,
      collaterals: [],
    };
    const col = {
      token: await weth.token.getAddress(),
      adapter: await weth.adapter.getAddress(),
      ltv: wad("0.5"),
      liquidationThreshold: wad("0.6"),
      liquidationBonus: wad("0.05"),
      supplyCap: 1n,
    };
    type Call = [string, (c: typeof core) => Promise<unknown>];
    const adminCalls: Call[] = [
      ["createMarket", (c) => c.createMarket(params)],
      ["addCollateral", (c) => c.addCollateral(id, col)],
      ["setInsuranceFund", (c) => c.setInsuranceFund(id, fund)],
      ["setAdapter", (c) => c.setAdapter(id, -1, usdc.adapter)],
      ["setReserveFloor", (c) => c.setReserveFloor(id, 1n)],
      ["withdrawReserves", (c) => c.withdrawReserves(id, 0n, outsider.address)],
      ["withdrawProtocolCollateral", (c) => c.withdrawProtocolCollateral(id, 0, 0n, outsider.address)],
      ["grantRole", (c) => c.grantRole(RISK_ROLE, outsider.address)],
      ["revokeRole", (c) => c.revokeRole(RISK_ROLE, riskAcct.address)],
    ];
    const riskCalls: Call[] = [
      ["setCollateralRisk", (c) => c.setCollateralRisk(id, 0, wad("0.5"), wad("0.6"), wad("0.05"), 1n)],
      ["setCaps", (c) => c.setCaps(id, 1n, 1n)],
      ["setMinAmounts", (c) => c.setMinAmounts(id, 1n, 1n)],
      ["setRateModel", (c) => c.setRateModel(id, DEFAULT_RATE_MODEL)],
      ["setFactors", (c) => c.setFactors(id, 0n, 0n)],
      ["setLiquidationParams", (c) => c.setLiquidationParams(id, wad("0.95"), 0n, 3600n)],
    ];
    const guardianCalls: Call[] = [["setPaused", (c) => c.setPaused(id, 1)]];
    const groups: [string, Call[], string[]][] = [
      [ADMIN, adminCalls, [outsider.address, riskAcct.address, guardianAcct.address, alice.address]],
      [RISK_ROLE, riskCalls, [outsider.address, guardianAcct.address, alice.address]],
      [GUARDIAN_ROLE, guardianCalls, [outsider.address, riskAcct.address, alice.address]],
    ];
    const signers = new Map((await ethers.getSigners()).map((s) => [s.address, s]));
    let n = 0;
    for (const [role, calls, callers] of groups) {
      for (const [name, call] of calls) {
        for (const who of callers) {
          await expect(call(core.connect(signers.get(who)!)), `${name} by ${who}`)
            .to.be.revertedWithCustomError(core, "AccessControlUnauthorizedAccount")
            .withArgs(who, role);
          n++;
        }
      }
    }
    expect(n).to.equal(9 * 4 + 6 * 3 + 1 * 3);
    // Nothing changed: the deployer still holds only what the fixture gave it, the outsider nothing.
    expect(await core.hasRole(RISK_ROLE, outsider.address)).to.equal(false);
    expect((await core.config(id)).paused).to.equal(0n);
    void deployer;
  });

  it("insurance fund, price adapter: limits, cooldowns, bounds and draws only by their owner / the core", async function () {
    const { fund, usdc, frank: outsider } = await loadFixture(deployMarketFixture);
    const ADMIN = await fund.DEFAULT_ADMIN_ROLE();
    await expect(fund.connect(outsider).setDrawLimits(wad("0.3"), wad("0.5"), 86400))
      .to.be.revertedWithCustomError(fund, "AccessControlUnauthorizedAccount")
      .withArgs(outsider.address, ADMIN);
    await expect(fund.connect(outsider).setCooldownParams(0, 3600))
      .to.be.revertedWithCustomError(fund, "AccessControlUnauthorizedAccount")
      .withArgs(outsider.address, ADMIN);
    await expect(fund.connect(outsider).coverLimited(1n, 0n)).to.be.revertedWithCustomError(fund, "OnlyCore");
    // Adapter bounds have no setter (immutable; a change is a new adapter through the admin's setAdapter, whose
    // access is checked above).
    const adapterFns: string[] = [];
    usdc.adapter.interface.forEachFunction((fn) => adapterFns.push(fn.name));
    expect(adapterFns).to.include("price").and.not.include("setBounds");
  });
});
