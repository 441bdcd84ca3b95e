import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployMarketFixture } from "../helpers/fixtures";
import { wad } from "../../scripts/lib/protocol";
import { BallastLens__factory } from "../../typechain-types";
import {
  BallastError,
  CoreError,
  InsuranceFundError,
  OpenZeppelinError,
  OracleError,
  PanicError,
  RevertStringError,
  UnknownRevertError,
  decodeError,
  decodeRevertData,
  errorsInterface,
  withDecodedErrors,
} from "../../sdk";

const U = 10n ** 6n;
const E18 = 10n ** 18n;

async function errorsFixture() {
  const f = await deployMarketFixture();
  const lens = await new BallastLens__factory(f.deployer).deploy(await f.core.getAddress());
  await f.core.connect(f.alice).supply(f.id, 100_000n * U, 0, f.alice.address);
  await f.core.connect(f.carol).supplyCollateral(f.id, 0, E18, f.carol.address);
  return { ...f, lens };
}

/** Runs `fn`, expects it to throw, and returns the decoded error. */
async function decoded(fn: () => Promise<unknown>): Promise<BallastError> {
  try {
    await fn();
  } catch (e) {
    const d = decodeError(e);
    expect(d, `no revert data in ${String(e)}`).to.be.instanceOf(BallastError);
    return d!;
  }
  throw new Error("expected a revert");
}

describe("SDK errors: decoding real reverts", function () {
  it("decodes a core custom error with its arguments and a readable message", async function () {
    const { core, id, carol } = await loadFixture(errorsFixture);
    // 1 WETH at $2000 x 80% LTV = $1600 of borrow power.
    const e = await decoded(() => core.connect(carol).borrow(id, 1_700n * U, 0, carol.address, carol.address));
    expect(e).to.be.instanceOf(CoreError);
    expect(e.errorName).to.equal("BorrowAboveLtv");
    expect(e.args).to.deep.equal([id, carol.address, 1_700n * E18, 1_600n * E18]);
    expect(e.namedArgs.maxDebtValue).to.equal(1_600n * E18);
    expect(e.signature).to.equal("BorrowAboveLtv(uint256,address,uint256,uint256)");
    expect(e.source).to.equal("core");
    expect(e.message).to.equal(
      `BorrowAboveLtv: position ${carol.address} in market 1 would owe $1700.0 but may owe at most $1600.0 (LTV)`,
    );
    expect(e.toJSON().name).to.equal("BorrowAboveLtv");

    const paused = await (async () => {
      await core.setPaused(id, 4);
      return decoded(() => core.connect(carol).borrow(id, 100n * U, 0, carol.address, carol.address));
    })();
    expect(paused.errorName).to.equal("ActionPaused");
    expect(paused.message).to.equal("ActionPaused: borrow is paused in market 1");
  });

  it("decodes errors raised by the linked libraries and by parameter bounds (bytes32 names)", async function () {
    const { core, id, carol, eve } = await loadFixture(errorsFixture);
    await core.connect(carol).borrow(id, 1_000n * U, 0, carol.address, carol.address);
    const healthy = await decoded(() =>
      core.connect(eve).liquidate(id, carol.address, 0, ethers.MaxUint256, eve.address, "0x"),
    );
    expect(healthy).to.be.instanceOf(CoreError);
    expect(healthy.errorName).to.equal("HealthyPosition");
    expect(healthy.args).to.deep.equal([id, carol.address]);
    const bounds = await decoded(() => core.setFactors(id, wad("0.6"), 0n));
    expect(bounds.errorName).to.equal("ParameterOutOfBounds");
    expect(bounds.message).to.equal(`ParameterOutOfBounds: parameter reserveFactor = ${wad("0.6")} is out of bounds`);
    const notShort = await decoded(() => core.flagShortfall(id, carol.address));
    expect(notShort.errorName).to.equal("NotShort");
  });

  it("decodes an oracle error bubbled by the core and by the lens", async function () {
    const { core, lens, id, carol, weth } = await loadFixture(errorsFixture);
    await core.connect(carol).borrow(id, 100n * U, 0, carol.address, carol.address);
    await weth.feed.updateAnswer(-1);
    const feed = await weth.feed.getAddress();
    const e = await decoded(() => core.connect(carol).borrow(id, 100n * U, 0, carol.address, carol.address));
    expect(e).to.be.instanceOf(OracleError);
    expect(e.errorName).to.equal("NonPositivePrice");
    expect(e.args).to.deep.equal([feed, -1n]);
    expect(e.message).to.equal(`NonPositivePrice: price feed ${feed} answered -1 (not positive)`);
    const fromLens = await decoded(() => lens.healthFactor(id, carol.address));
    expect(fromLens).to.be.instanceOf(OracleError);
    expect(fromLens.args).to.deep.equal([feed, -1n]);
    const m = await decoded(() => lens.market(77));
    expect(m).to.be.instanceOf(CoreError);
    expect(m.errorName).to.equal("MarketNotCreated");
    expect(m.args).to.deep.equal([77n]);
  });

  it("decodes insurance fund and OpenZeppelin errors", async function () {
    const { core, fund, id, bob, frank, deployer } = await loadFixture(errorsFixture);
    await fund.connect(bob).deposit(1_000n * U, bob.address);
    const cooldown = await decoded(() => fund.connect(bob).redeem(1n, bob.address, bob.address));
    expect(cooldown).to.be.instanceOf(InsuranceFundError);
    expect(cooldown.errorName).to.equal("CooldownNotStarted");
    expect(cooldown.args).to.deep.equal([bob.address]);
    expect(cooldown.message).to.contain("call cooldown(shares) first");

    const role = await decoded(() => core.connect(frank).setCaps(id, 1n, 1n));
    expect(role).to.be.instanceOf(OpenZeppelinError);
    expect(role.errorName).to.equal("AccessControlUnauthorizedAccount");
    expect(role.args).to.deep.equal([frank.address, ethers.id("BALLAST_RISK_ROLE")]);

    // The deployer never approved the core: the token's ERC-20 error bubbles through SafeERC20.
    const allowance = await decoded(() => core.connect(deployer).supply(id, 5n * U, 0, deployer.address));
    expect(allowance).to.be.instanceOf(OpenZeppelinError);
    expect(allowance.errorName).to.equal("ERC20InsufficientAllowance");
    expect(allowance.args).to.deep.equal([await core.getAddress(), 0n, 5n * U]);
  });

  it("decodes Panic, Error(string), unknown data and no data; withDecodedErrors rethrows typed errors", async function () {
    const coder = errorsInterface().getAbiCoder();
    const panic = decodeRevertData("0x4e487b71" + coder.encode(["uint256"], [0x11]).slice(2));
    expect(panic).to.be.instanceOf(PanicError);
    expect(panic.errorName).to.equal("Panic");
    expect(panic.message).to.equal("panic 0x11: arithmetic overflow or underflow");
    const str = decodeRevertData("0x08c379a0" + coder.encode(["string"], ["nope"]).slice(2));
    expect(str).to.be.instanceOf(RevertStringError);
    expect(str.args).to.deep.equal(["nope"]);
    const unknown = decodeRevertData("0xdeadbeef");
    expect(unknown).to.be.instanceOf(UnknownRevertError);
    expect(unknown.errorName).to.equal("Unknown");
    expect(decodeRevertData("0x").message).to.equal("reverted without data");
    expect(decodeError(new Error("network down"))).to.equal(undefined);

    const { core, id, carol } = await loadFixture(errorsFixture);
    let caught: unknown;
    try {
      await withDecodedErrors(() => core.connect(carol).withdraw(id, 1n, 0, carol.address, carol.address));
    } catch (e) {
      caught = e;
    }
    expect(caught).to.be.instanceOf(CoreError);
    expect((caught as CoreError).errorName).to.equal("InsufficientBalance");
    expect((caught as CoreError).args).to.deep.equal([0n, 10n ** 6n]); // 1 unit burns 1e6 shares (up)
  });
});
