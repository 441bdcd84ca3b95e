import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { E18, U6, VIRTUAL_SHARES, fundedMarketFixture } from "../helpers/core-helpers";
import { AUTHORIZATION_TYPES } from "../../sdk/authorization";

describe("integration: multicall", function () {
  it("batches supplyCollateral and borrow in one transaction, each with its event", async function () {
    const { core, usdc, weth, id, dave } = await loadFixture(fundedMarketFixture);
    const calls = [
      core.interface.encodeFunctionData("supplyCollateral", [id, 0, 2n * E18, dave.address]),
      core.interface.encodeFunctionData("borrow", [id, 3_000n * U6, 0, dave.address, dave.address]),
    ];
    const tx = core.connect(dave).multicall(calls);
    await expect(tx)
      .to.emit(core, "SupplyCollateral")
      .withArgs(id, dave.address, dave.address, 0, 2n * E18);
    await expect(tx)
      .to.emit(core, "Borrow")
      .withArgs(id, dave.address, dave.address, dave.address, 3_000n * U6, 3_000n * U6 * VIRTUAL_SHARES);
    await expect(tx).to.changeTokenBalances(usdc.token, [dave], [3_000n * U6]);
    await expect(tx).to.changeTokenBalances(weth.token, [dave], [-2n * E18]);
    const results = await core
      .connect(dave)
      .multicall.staticCall([core.interface.encodeFunctionData("repay", [id, 1_000n * U6, 0, dave.address])]);
    const decoded = core.interface.decodeFunctionResult("repay", results[0]!);
    expect(decoded[0]).to.equal(1_000n * U6);
  });

  it("one failing call reverts the whole batch with its custom error", async function () {
    const { core, weth, id, dave } = await loadFixture(fundedMarketFixture);
    const calls = [
      core.interface.encodeFunctionData("supplyCollateral", [id, 0, E18, dave.address]),
      core.interface.encodeFunctionData("borrow", [id, 1_600n * U6 + 1n, 0, dave.address, dave.address]),
    ];
    // 1 WETH x $2,000 x 80% = $1,600 of borrowing power; the USDC price is 1e30 per unit
    await expect(core.connect(dave).multicall(calls))
      .to.be.revertedWithCustomError(core, "BorrowAboveLtv")
      .withArgs(id, dave.address, (1_600n * U6 + 1n) * 10n ** 12n, 1_600n * E18);
    expect((await core.position(id, dave.address)).collaterals[0]).to.equal(0n);
    expect(await weth.token.balanceOf(await core.getAddress())).to.equal(10n * E18);
  });

  it("a relayer batches an EIP-712 authorization with an action on behalf of the signer", async function () {
    const { core, usdc, id, alice, frank } = await loadFixture(fundedMarketFixture);
    const a = {
      authorizer: alice.address,
      authorized: frank.address,
      isAuthorized: true,
      nonce: 0n,
      deadline: BigInt(await time.latest()) + 3600n,
    };
    const domain = {
      name: "Ballast",
      version: "1",
      chainId: (await ethers.provider.getNetwork()).chainId,
      verifyingContract: await core.getAddress(),
    };
    const sig = ethers.Signature.from(await alice.signTypedData(domain, AUTHORIZATION_TYPES, a));
    const tx = core
      .connect(frank)
      .multicall([
        core.interface.encodeFunctionData("setAuthorizationWithSig", [a, sig.v, sig.r, sig.s]),
        core.interface.encodeFunctionData("withdraw", [id, 500n * U6, 0, alice.address, alice.address]),
      ]);
    await expect(tx)
      .to.emit(core, "Withdraw")
      .withArgs(id, frank.address, alice.address, alice.address, 500n * U6, 500n * U6 * VIRTUAL_SHARES);
    await expect(tx).to.changeTokenBalances(usdc.token, [alice, frank], [500n * U6, 0n]);
    expect(await core.nonce(alice.address)).to.equal(1n);
  });
});
