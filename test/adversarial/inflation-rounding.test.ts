/**
 * Adversarial: first-depositor and donation inflation of an empty market and of an empty insurance fund (Hundred
 * 2023, Onyx 2023, Sonne 2024, Radiant 2024, zkLend 2025), and rounding drains by many tiny operations (Midas 2023).
 * Every figure is computed with the SDK's math (sdk/math.ts) and asserted exactly.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { deployMarketFixture } from "../helpers/fixtures";
import { toSharesDown, toAssetsDown, mulDivDown } from "../../sdk/math";

const U = 10n ** 6n;

describe("Adversarial: inflation of an empty market and rounding drains", function () {
  it("first depositor + 1,000,000 USDC donation on an empty market: the attacker loses the donation, the victim loses nothing", async function () {
    const { core, usdc, id, alice: attacker, bob: victim } = await loadFixture(deployMarketFixture);
    const coreAddr = await core.getAddress();
    const a0 = await usdc.token.balanceOf(attacker.address);
    const v0 = await usdc.token.balanceOf(victim.address);
    // 1 wei deposit, then a direct transfer (the Hundred / Sonne donation) meant to inflate the share price.
    await core.connect(attacker).supply(id, 1n, 0n, attacker.address);
    const donation = 1_000_000n * U;
    await usdc.token.connect(attacker).transfer(coreAddr, donation);
    let m = await core.market(id);
    expect(m.totalSupplyAssets).to.equal(1n, "a donation never enters the accounting");
    const attackerShares = toSharesDown(1n, 0n, 0n);
    expect(m.totalSupplyShares).to.equal(attackerShares);
    // The victim deposits 1,000 USDC and is priced as if nothing had been donated.
    const deposit = 1_000n * U;
    const victimShares = toSharesDown(deposit, m.totalSupplyAssets, m.totalSupplyShares);
    await core.connect(victim).supply(id, deposit, 0n, victim.address);
    expect((await core.position(id, victim.address))[0]).to.equal(victimShares);
    // Both leave.
    m = await core.market(id);
    const attackerOut = toAssetsDown(attackerShares, m.totalSupplyAssets, m.totalSupplyShares);
    await core.connect(attacker).withdraw(id, 0n, attackerShares, attacker.address, attacker.address);
    m = await core.market(id);
    const victimOut = toAssetsDown(victimShares, m.totalSupplyAssets, m.totalSupplyShares);
    await core.connect(victim).withdraw(id, 0n, victimShares, victim.address, victim.address);
    expect(attackerOut).to.equal(1n);
    expect(victimOut).to.equal(deposit);
    expect(await usdc.token.balanceOf(victim.address)).to.equal(v0);
    expect(a0 - (await usdc.token.balanceOf(attacker.address))).to.equal(
      donation,
      "the attacker loses exactly the donation",
    );
  });

  it("the victim's deposit never rounds to zero shares after a donation (no ZeroShares grief)", async function () {
    const { core, usdc, id, alice: attacker, bob: victim } = await loadFixture(deployMarketFixture);
    await core.connect(attacker).supply(id, 1n, 0n, attacker.address);
    await usdc.token.connect(attacker).transfer(await core.getAddress(), 10_000_000n * U);
    // Even a 1-wei deposit mints shares at the undonated price: 1 * (1e6 + 1e6) / (1 + 1) = 1e6.
    const m = await core.market(id);
    const expected = toSharesDown(1n, m.totalSupplyAssets, m.totalSupplyShares);
    expect(expected).to.equal(10n ** 6n);
    await core.connect(victim).supply(id, 1n, 0n, victim.address);
    expect((await core.position(id, victim.address))[0]).to.equal(expected);
  });

  it("empty insurance fund + 10,000 USDC donation: the attacker loses half the donation, the victim keeps her deposit", async function () {
    const { fund, usdc, alice: attacker, bob: victim } = await loadFixture(deployMarketFixture);
    await fund.setCooldownParams(0, 86400); // allow immediate exit, to measure the attack's outcome
    const fundAddr = await fund.getAddress();
    const a0 = await usdc.token.balanceOf(attacker.address);
    await fund.connect(attacker).deposit(1n, attacker.address);
    const OFFSET = 10n ** 6n; // ERC-4626 virtual shares (decimalsOffset 6)
    const aShares = mulDivDown(1n, 0n + OFFSET, 0n + 1n);
    expect(await fund.balanceOf(attacker.address)).to.equal(aShares);
    const donation = 10_000n * U;
    await usdc.token.connect(attacker).transfer(fundAddr, donation);
    const deposit = 1_000n * U;
    const ta1 = await fund.totalAssets();
    expect(ta1).to.equal(donation + 1n);
    const vShares = mulDivDown(deposit, aShares + OFFSET, ta1 + 1n);
    await fund.connect(victim).deposit(deposit, victim.address);
    expect(await fund.balanceOf(victim.address)).to.equal(vShares);
    await fund.connect(attacker).cooldown(aShares);
    await fund.connect(victim).cooldown(vShares);
    const supply = aShares + vShares;
    const ta2 = ta1 + deposit;
    const aOut = mulDivDown(aShares, ta2 + 1n, supply + OFFSET);
    await fund.connect(attacker).redeem(aShares, attacker.address, attacker.address);
    const vOut = mulDivDown(vShares, ta2 - aOut + 1n, vShares + OFFSET);
    await fund.connect(victim).redeem(vShares, victim.address, victim.address);
    const attackerPnl = (await usdc.token.balanceOf(attacker.address)) - a0;
    expect(attackerPnl).to.equal(aOut - 1n - donation);
    expect(attackerPnl).to.be.lt(-(donation * 49n) / 100n, "the virtual shares absorb about half of the donation");
    // The victim's loss is bounded by the rounding of her share count: under 0.001% of her deposit.
    expect(vOut).to.be.lte(deposit + donation);
    expect(deposit - vOut).to.be.lt(deposit / 100_000n);
  });

  it("300 supply/withdraw cycles of 1-5 wei never profit (Midas), with a share price above par", async function () {
    const { core, usdc, weth, id, alice, bob: attacker, carol } = await loadFixture(deployMarketFixture);
    // A live market: supply, a borrow and 30 days of interest, so 1 share != 1e-6 asset.
    await core.connect(alice).supply(id, 1_000_000n * U, 0n, alice.address);
    await core.connect(carol).supplyCollateral(id, 0, 1_000n * 10n ** 18n, carol.address);
    await core.connect(carol).borrow(id, 700_000n * U, 0n, carol.address, carol.address);
    await time.increase(30 * 86400);
    await weth.feed.updateAnswer(2000n * 10n ** 8n);
    await core.accrueInterest(id);
    const b0 = await usdc.token.balanceOf(attacker.address);
    const iface = core.interface;
    // 300 cycles in 6 multicalls of 50: supply k wei, then withdraw k wei (burns shares rounded up).
    for (let batch = 0; batch < 6; batch++) {
      const calls: string[] = [];
      for (let i = 0; i < 50; i++) {
        const k = BigInt(1 + ((batch * 50 + i) % 5));
        calls.push(iface.encodeFunctionData("supply", [id, k * 1000n, 0n, attacker.address]));
        calls.push(iface.encodeFunctionData("withdraw", [id, k * 1000n - 1n, 0n, attacker.address, attacker.address]));
      }
      await core.connect(attacker).multicall(calls);
    }
    const [shares] = await core.position(id, attacker.address);
    const m = await core.market(id);
    const left = toAssetsDown(shares, m.totalSupplyAssets, m.totalSupplyShares);
    const spent = b0 - (await usdc.token.balanceOf(attacker.address));
    // What the attacker still owns is worth at most what the 300 cycles cost: no value was extracted.
    expect(left).to.be.lte(spent);
    expect(spent).to.equal(300n, "each cycle leaves exactly 1 wei in the market");
  });

  it("300 borrow/repay cycles of tiny amounts never profit: the debt repaid always covers what was borrowed", async function () {
    const { core, usdc, weth, id, alice, bob: attacker } = await loadFixture(deployMarketFixture);
    await core.setMinAmounts(id, 0, 0);
    await core.connect(alice).supply(id, 1_000_000n * U, 0n, alice.address);
    await core.connect(attacker).supplyCollateral(id, 0, 10n ** 18n, attacker.address);
    await core.connect(attacker).borrow(id, 1_000n * U, 0n, attacker.address, attacker.address); // a non-trivial debt share price
    await time.increase(86400);
    await weth.feed.updateAnswer(2000n * 10n ** 8n);
    await core.accrueInterest(id);
    const b0 = await usdc.token.balanceOf(attacker.address);
    const [, shares0] = await core.position(id, attacker.address);
    const iface = core.interface;
    for (let batch = 0; batch < 6; batch++) {
      const calls: string[] = [];
      for (let i = 0; i < 50; i++) {
        const k = BigInt(1 + ((batch * 50 + i) % 7));
        calls.push(iface.encodeFunctionData("borrow", [id, k, 0n, attacker.address, attacker.address]));
        calls.push(iface.encodeFunctionData("repay", [id, k, 0n, attacker.address]));
      }
      await core.connect(attacker).multicall(calls);
    }
    const [, shares1] = await core.position(id, attacker.address);
    const gained = (await usdc.token.balanceOf(attacker.address)) - b0;
    const m = await core.market(id);
    const debtAdded = toAssetsDown(shares1 - shares0, m.totalBorrowAssets, m.totalBorrowShares);
    // Borrowing mints debt rounded up, repaying burns it rounded down: the attacker's debt only grows.
    expect(gained).to.equal(0n);
    expect(shares1).to.be.gt(shares0);
    expect(debtAdded).to.be.gte(0n);
  });
});

export const _ethers = ethers;
