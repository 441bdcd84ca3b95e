/**
 * SDK helpers for dApps: a multicall bundle (supply collateral and borrow in one transaction after the approval),
 * setAuthorizationWithSig signed by the authorizer and relayed by someone else, InsufficientBalance restated with
 * assets, an unpriceable health factor as undefined, and getDeployment's local folder and unknown-chain error.
 */
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { deployMarketFixture } from "../helpers/fixtures";
import {
  BallastClient,
  CoreError,
  MAX_UINT256,
  bundleCalls,
  healthFactorOf,
  isLiquidatable,
  buildSetAuthorizationWithSig,
  loadDeployments,
  signAuthorization,
} from "../../sdk";
import { getDeployment } from "../../deployments";
import { BallastLens__factory } from "../../typechain-types";

const U = 10n ** 6n;
const E18 = 10n ** 18n;

describe("SDK: bundles, signed authorizations, readable balances", function () {
  it("bundles supplyCollateral + borrow into one multicall transaction after the approval", async function () {
    const { core, id, usdc, weth, alice } = await loadFixture(deployMarketFixture);
    await core.connect(alice).supply(id, 100_000n * U, 0, alice.address);
    const user = (await ethers.getSigners())[9]!;
    await weth.token.mint(user.address, 2n * E18);
    const client = new BallastClient({ core: await core.getAddress(), runner: user });
    const calls = bundleCalls(await core.getAddress(), [
      ...(await client.buildSupplyCollateral(id, 0, 2n * E18)),
      ...(await client.buildBorrow(id, 1_000n * U)),
    ]);
    expect(calls.map((c) => c.description.split(" ")[0])).to.deep.equal(["approve", "multicall:"]);
    const receipts = await client.send(calls);
    expect(receipts).to.have.length(2);
    expect(await usdc.token.balanceOf(user.address)).to.equal(1_000n * U);
    const p = await core.position(id, user.address);
    expect(p.collaterals[0]).to.equal(2n * E18);
    expect(p.borrowShares).to.be.greaterThan(0n);
    expect(bundleCalls(await core.getAddress(), calls.slice(1))).to.deep.equal(calls.slice(1)); // one call: as is
  });

  it("setAuthorizationWithSig: the authorizer signs, a relayer sends, the authorized account then acts for it", async function () {
    const { core, id, alice, bob, carol } = await loadFixture(deployMarketFixture);
    const coreAddr = await core.getAddress();
    await core.connect(alice).supply(id, 1_000n * U, 0, alice.address);
    const signed = await signAuthorization(coreAddr, alice, bob.address, true, BigInt(await time.latest()) + 600n);
    expect(signed.authorization.nonce).to.equal(0n);
    const relay = buildSetAuthorizationWithSig(coreAddr, signed);
    await (await carol.sendTransaction({ to: relay.to, data: relay.data })).wait();
    expect(await core.isAuthorized(alice.address, bob.address)).to.equal(true);
    expect(await core.nonce(alice.address)).to.equal(1n);
    await core.connect(bob).withdraw(id, 100n * U, 0, alice.address, bob.address); // bob acts for alice
    // The same signature again: refused with InvalidNonce.
    await expect(carol.sendTransaction({ to: relay.to, data: relay.data }))
      .to.be.revertedWithCustomError(core, "InvalidNonce")
      .withArgs(1n, 0n);
  });

  it("InsufficientBalance on a withdraw by shares reads in shares and in the assets they are worth", async function () {
    const { core, id, alice } = await loadFixture(deployMarketFixture);
    await core.connect(alice).supply(id, 1_000n * U, 0, alice.address);
    const shares = (await core.position(id, alice.address)).supplyShares;
    const client = new BallastClient({ core: await core.getAddress(), runner: alice });
    let caught: unknown;
    await client.withdraw(id, { shares: shares * 2n }).catch((e: unknown) => (caught = e));
    expect(caught).to.be.instanceOf(CoreError);
    expect((caught as CoreError).message).to.equal(
      `InsufficientBalance: supply balance ${shares} shares (${1_000n * U} assets) is less than the ` +
        `${shares * 2n} shares (${2_000n * U} assets) requested`,
    );
  });

  it("getDeployment(31337, { dir }) reads a local node's folder; an unknown chain says how to add one; book.json is skipped", function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ballast-deployments-"));
    try {
      const local = {
        network: "localhost",
        chainId: 31337,
        block: 5,
        contracts: { BallastCore: "0x" + "01".repeat(20) },
      };
      fs.writeFileSync(path.join(dir, "localhost.json"), JSON.stringify(local));
      fs.writeFileSync(path.join(dir, "book.json"), JSON.stringify({ "31337": local }));
      expect(getDeployment(31337, { dir }).block).to.equal(5);
      expect(Object.keys(loadDeployments(dir))).to.deep.equal(["31337"]);
      expect(() => getDeployment(31337)).to.throw(
        /^Ballast is not deployed on chain 31337 \(known: .*\)\. For a local node, pass the folder of its deployment file: getDeployment\(31337, \{ dir: /,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("SDK: a health factor that cannot be priced is undefined, never 0", function () {
  it("the lens reports 0 under a stale feed; healthFactorOf says undefined; no debt is infinite whatever the prices", async function () {
    const { core, id, alice, bob, deployer } = await loadFixture(deployMarketFixture);
    const lens = await new BallastLens__factory(deployer).deploy(await core.getAddress());
    await core.connect(alice).supply(id, 100_000n * U, 0, alice.address);
    await core.connect(bob).supplyCollateral(id, 0, E18, bob.address);
    await core.connect(bob).borrow(id, 1_000n * U, 0, bob.address, bob.address);
    await core.connect(alice).supplyCollateral(id, 0, E18, alice.address);
    expect(healthFactorOf(await lens.position(id, bob.address))).to.equal(
      (await lens.position(id, bob.address)).healthFactor,
    );
    await time.increase(3 * 86_400); // every feed stale
    const p = await lens.position(id, bob.address);
    expect([p.pricesValid, p.healthFactor]).to.deep.equal([false, 0n]);
    expect(healthFactorOf(p)).to.equal(undefined);
    expect(isLiquidatable(p)).to.equal(undefined);
    expect(healthFactorOf(await lens.position(id, alice.address))).to.equal(MAX_UINT256); // collateral, no debt
  });
});
