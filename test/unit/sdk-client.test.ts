import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { deployMarketFixture } from "../helpers/fixtures";
import { BallastLens__factory } from "../../typechain-types";
import {
  BallastClient,
  CoreError,
  InsuranceFundError,
  MAX_UINT256,
  addressOf,
  buildAddressBook,
  deploymentFor,
  loadDeployments,
  parseDeployment,
} from "../../sdk";
import { lossTotals } from "../../sdk/losses";

const U = 10n ** 6n;
const E18 = 10n ** 18n;

async function clientFixture() {
  const f = await deployMarketFixture();
  const lens = await new BallastLens__factory(f.deployer).deploy(await f.core.getAddress());
  const addresses = parseDeployment({
    chainId: 31337,
    block: 1,
    contracts: { BallastCore: await f.core.getAddress(), BallastLens: await lens.getAddress() },
  });
  return { ...f, lens, addresses };
}

describe("SDK client and addresses", function () {
  it("sends every operation with the approvals it needs and reads what the lens reads", async function () {
    const { core, lens, id, usdc, weth, fund, addresses, carol, eve } = await loadFixture(clientFixture);
    // A fresh account without any approval: the client adds them.
    const user = (await ethers.getSigners())[9]!;
    await usdc.token.mint(user.address, 1_000_000n * U);
    await weth.token.mint(user.address, 10n * E18);
    const client = BallastClient.fromAddresses(addresses, user);

    const supplied = await client.supply(id, 100_000n * U);
    expect(supplied.length).to.equal(2); // approve + supply
    expect((await core.position(id, user.address)).supplyShares).to.equal(100_000n * U * 10n ** 6n);
    const again = await client.buildSupply(id, 1n * U); // the exact approval was used up
    expect(again.map((c) => c.description.split(" ")[0])).to.deep.equal(["approve", "supply"]);
    await client.supplyCollateral(id, 0, 2n * E18);
    await client.borrow(id, 1_000n * U);
    expect(await usdc.token.balanceOf(user.address)).to.equal(901_000n * U);

    const view = await client.readPosition(id);
    const direct = await lens.position(id, user.address);
    expect(view.debt).to.equal(direct.debt);
    expect(view.healthFactor).to.equal(direct.healthFactor);
    expect((await client.readMarket(id)).totalBorrowAssets).to.equal((await lens.market(id)).totalBorrowAssets);
    expect((await client.solvency(id)).totalDebt).to.equal((await lens.solvency(id)).totalDebt);

    await client.repay(id, { all: true });
    expect((await core.position(id, user.address)).borrowShares).to.equal(0n);
    await client.withdrawCollateral(id, 0, 2n * E18);
    expect(await weth.token.balanceOf(user.address)).to.equal(10n * E18);
    const pos = await core.position(id, user.address);
    await client.withdraw(id, { shares: pos.supplyShares / 2n });
    expect((await core.position(id, user.address)).supplyShares).to.equal(pos.supplyShares - pos.supplyShares / 2n);

    // Insurance fund: stake, cooldown, unstake in the window.
    const staked = await client.stake(id, 5_000n * U);
    expect(staked.length).to.equal(2);
    const shares = await fund.balanceOf(user.address);
    expect(shares).to.equal(5_000n * U * 10n ** 6n);
    await expect(client.unstake(id)).to.be.rejectedWith(InsuranceFundError, "CooldownNotStarted");
    await client.cooldown(id);
    // A stake after the cooldown does not join it: only the cooled shares leave in the window.
    await client.stake(id, 1_000n * U);
    const later = (await fund.balanceOf(user.address)) - shares;
    await time.increase(10 * 86_400);
    const cd = await client.cooldownOf(id);
    expect([cd.shares, cd.redeemableNow, cd.balance]).to.deep.equal([shares, shares, shares + later]);
    expect(cd.closesAt - cd.opensAt).to.equal(2n * 86_400n);
    const balBefore = await usdc.token.balanceOf(user.address);
    await client.unstake(id);
    expect(await fund.balanceOf(user.address)).to.equal(later);
    expect(await usdc.token.balanceOf(user.address)).to.equal(balBefore + 5_000n * U);
    expect((await client.cooldownOf(id)).shares).to.equal(0n);

    // Flag and liquidate carol after a crash, through the client of a keeper (eve).
    for (const t of [usdc, weth]) await t.feed.updateAnswer(await t.feed.latestAnswer()); // fresh rounds
    await core.connect(carol).supplyCollateral(id, 0, E18, carol.address);
    await core.connect(carol).borrow(id, 1_500n * U, 0, carol.address, carol.address);
    await weth.feed.updateAnswer(1_000n * 10n ** 8n);
    const keeper = new BallastClient({ core: await core.getAddress(), lens: await lens.getAddress(), runner: eve });
    await keeper.flagShortfall(id, carol.address);
    expect((await core.position(id, carol.address)).shortfall).to.be.greaterThan(0n);
    const liq = await keeper.buildLiquidate(id, carol.address, 0, MAX_UINT256);
    expect(liq.length).to.equal(1); // eve approved the core in the fixture
    await keeper.send(liq);
    expect((await core.position(id, carol.address)).borrowShares).to.equal(0n);
    expect((await lossTotals(core, id)).badDebtRealized).to.be.greaterThan(0n);

    // Reverts come back decoded; a provider-only client reads but cannot send.
    await expect(client.borrow(id, 50n * U)).to.be.rejectedWith(CoreError, "BorrowAboveLtv"); // no collateral left
    const readOnly = BallastClient.fromAddresses(addresses, ethers.provider);
    expect((await readOnly.readMarket(id)).id).to.equal(id);
    await expect(readOnly.supply(id, 1n)).to.be.rejectedWith(Error, "a Signer is needed");
  });

  it("validates deployment records, indexes them by chain id and loads a folder", function () {
    const a = parseDeployment(
      { chainId: "11155111", block: 7, contracts: { BallastCore: "0x" + "ab".repeat(20) } },
      "sepolia",
    );
    expect(a.chainId).to.equal(11155111n);
    expect(a.network).to.equal("sepolia");
    expect(a.contracts.BallastCore).to.equal(ethers.getAddress("0x" + "ab".repeat(20)));
    expect(() => parseDeployment({ block: 1, contracts: {} })).to.throw("chainId missing");
    expect(() => parseDeployment({ chainId: 1, contracts: { X: "0x1234" } }, "mainnet")).to.throw(
      'deployment "mainnet": address of X (0x1234) is invalid',
    );
    const older = { chainId: 31337, block: 1, contracts: { BallastCore: "0x" + "01".repeat(20) } };
    const newer = { chainId: 31337, block: 9, contracts: { BallastCore: "0x" + "02".repeat(20) } };
    const book = buildAddressBook([newer, older, a]);
    expect(deploymentFor(book, 31337).block).to.equal(9);
    expect(addressOf(book, 11155111n, "BallastCore")).to.equal(a.contracts.BallastCore);
    expect(() => deploymentFor(book, 5)).to.throw("no Ballast deployment for chain 5 (known: 31337, 11155111)");
    expect(() => addressOf(book, 31337, "BallastLens")).to.throw('has no contract "BallastLens"');

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ballast-deployments-"));
    try {
      fs.writeFileSync(path.join(dir, "localhost.json"), JSON.stringify(newer));
      fs.writeFileSync(path.join(dir, "notes.txt"), "ignored");
      const loaded = loadDeployments(dir);
      expect(Object.keys(loaded)).to.deep.equal(["31337"]);
      expect(loaded["31337"]!.network).to.equal("localhost");
      expect(loadDeployments(path.join(dir, "missing"))).to.deep.equal({});
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
