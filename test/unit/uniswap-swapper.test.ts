/**
 * UniswapV3Swapper (swaps on the pool directly) against the real Uniswap v3 bytecode (@uniswap/v3-core 1.0.1, v3-periphery 1.4.4): the pool
 * seeded by `depthUsd2Pct` moves 2% for that many dollars, a swap pays exactly what QuoterV2 quotes, a minimum
 * above it reverts InsufficientOutput and moves nothing, and only pools the factory holds can be routed.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { keccak256 } from "ethers";
import { MockERC20__factory, UniswapV3Swapper__factory } from "../../typechain-types";
import { deployUniswap, POOL_INIT_CODE_HASH, uniswapArtifact, uniswapAt } from "../../deploy/uniswap/contracts";
import { seedPool } from "../../deploy/uniswap/pool";
import { priceOfSqrt } from "../../deploy/uniswap/math";
import { quoteExactIn } from "../../keeper/quote-uniswap";

const DEPTH = 1_000_000; // $1M moves the price 2%

async function fixture() {
  const [deployer, user, other] = await ethers.getSigners();
  const usdc = await new MockERC20__factory(deployer!).deploy("USD Coin", "USDC", 6);
  const weth = await new MockERC20__factory(deployer!).deploy("Wrapped Ether", "WETH", 18);
  const [u, w] = [await usdc.getAddress(), await weth.getAddress()];
  const uni = await deployUniswap(deployer!, w);
  const seeded = await seedPool(uni, deployer!, {
    collateral: { token: w, decimals: 18, usd: 2000 },
    loan: { token: u, decimals: 6, usd: 1 },
    depthUsd2Pct: DEPTH,
  });
  const swapper = await new UniswapV3Swapper__factory(deployer!).deploy(uni.factory, deployer!.address);
  await swapper.setPool(w, u, 3000);
  await weth.mint(user!.address, 10n ** 24n);
  await weth.connect(user!).approve(await swapper.getAddress(), ethers.MaxUint256);
  return { deployer: deployer!, user: user!, other: other!, usdc, weth, u, w, uni, seeded, swapper };
}

/** Collateral price in USD per WETH read from the pool. */
async function poolUsd(pool: string, loanIsToken1: boolean): Promise<number> {
  const [sqrt] = (await uniswapAt("pool", pool, ethers.provider).getFunction("slot0")()) as [bigint];
  const raw = priceOfSqrt(sqrt);
  return loanIsToken1 ? raw * 1e12 : 1e12 / raw;
}

describe("unit: UniswapV3Swapper on the real Uniswap v3 bytecode", function () {
  it("the periphery's pool init code hash is the core pool's creation code hash", async function () {
    expect(keccak256(uniswapArtifact("pool").bytecode)).to.equal(POOL_INIT_CODE_HASH);
  });

  it("the seeded pool starts at the USD ratio and ~depthUsd2Pct moves it 2% down", async function () {
    const { user, usdc, swapper, seeded, w, u } = await loadFixture(fixture);
    expect(await poolUsd(seeded.pool, seeded.loanIsToken1)).to.be.closeTo(2000, 0.01);
    // 1% of the price in WETH sold, repeatedly, until the loan received reaches the depth.
    let out = 0n;
    for (let i = 0; i < 60 && out < BigInt(DEPTH) * 10n ** 6n; i++) {
      const before = await usdc.balanceOf(user.address);
      await swapper.connect(user).swap(w, u, 10n ** 19n, 0, user.address);
      out += (await usdc.balanceOf(user.address)) - before;
    }
    const moved = 1 - (await poolUsd(seeded.pool, seeded.loanIsToken1)) / 2000;
    // The fee (0.3%) stays in the pool, so the price moves slightly less than 2% per depth of loan out.
    expect(moved).to.be.within(0.0195, 0.0215);
  });

  it("a swap pays the QuoterV2 quote to the receiver and holds nothing back", async function () {
    const { user, other, usdc, weth, swapper, uni, w, u, seeded } = await loadFixture(fixture);
    const amountIn = 5n * 10n ** 18n;
    const quoted = await quoteExactIn(ethers.provider, uni.quoter, { tokenIn: w, tokenOut: u, fee: 3000, amountIn });
    expect(quoted).to.be.within(9_900n * 10n ** 6n, 9_970n * 10n ** 6n); // 5 x 2000 less fee and impact
    const wethBefore = await weth.balanceOf(user.address);
    await expect(swapper.connect(user).swap(w, u, amountIn, quoted, other.address))
      .to.emit(swapper, "Swapped")
      .withArgs(w, u, seeded.pool, amountIn, quoted);
    expect(await usdc.balanceOf(other.address)).to.equal(quoted);
    expect(await weth.balanceOf(user.address)).to.equal(wethBefore - amountIn);
    const s = await swapper.getAddress();
    expect(await usdc.balanceOf(s)).to.equal(0n);
    expect(await weth.balanceOf(s)).to.equal(0n);
  });

  it("a minimum above what the pool pays reverts InsufficientOutput and moves nothing", async function () {
    const { user, usdc, weth, swapper, uni, w, u, seeded } = await loadFixture(fixture);
    const amountIn = 100n * 10n ** 18n;
    const quoted = await quoteExactIn(ethers.provider, uni.quoter, { tokenIn: w, tokenOut: u, fee: 3000, amountIn });
    const pool = uniswapAt("pool", seeded.pool, ethers.provider);
    const [sqrtBefore] = (await pool.getFunction("slot0")()) as [bigint];
    const wethBefore = await weth.balanceOf(user.address);
    await expect(swapper.connect(user).swap(w, u, amountIn, quoted + 1n, user.address))
      .to.be.revertedWithCustomError(swapper, "InsufficientOutput")
      .withArgs(quoted, quoted + 1n);
    expect(await weth.balanceOf(user.address)).to.equal(wethBefore);
    expect(await usdc.balanceOf(user.address)).to.equal(0n);
    expect(((await pool.getFunction("slot0")()) as [bigint])[0]).to.equal(sqrtBefore);
  });

  it("routes only pools the factory holds, set by the owner", async function () {
    const { user, swapper, usdc, w, u, seeded } = await loadFixture(fixture);
    await expect(swapper.setPool(w, u, 500))
      .to.be.revertedWithCustomError(swapper, "PoolNotFound")
      .withArgs(w, u, 500);
    await expect(swapper.connect(user).setPool(w, u, 3000))
      .to.be.revertedWithCustomError(swapper, "OwnableUnauthorizedAccount")
      .withArgs(user.address);
    const other = await usdc.getAddress();
    await expect(swapper.connect(user).swap(other, other, 1n, 0n, user.address))
      .to.be.revertedWithCustomError(swapper, "NoPoolForPair")
      .withArgs(other, other);
    expect(await swapper.poolOf(u, w)).to.equal(seeded.pool);
  });

  it("only the pool being swapped on may call the swap callback", async function () {
    const { user, swapper } = await loadFixture(fixture);
    await expect(swapper.connect(user).uniswapV3SwapCallback(1n, 0n, "0x"))
      .to.be.revertedWithCustomError(swapper, "UnexpectedCallback")
      .withArgs(user.address);
  });
});
