/**
 * The keeper's flash mode on the real Uniswap v3 bytecode: FlashLiquidator sells the seized collateral through
 * UniswapV3Swapper into a pool seeded by depth; the keeper's profit check quotes that pool (QuoterV2) and skips,
 * saying why, a liquidation the pool would not pay for.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployMarketFixture } from "../helpers/fixtures";
import { FlashLiquidator__factory, UniswapV3Swapper__factory } from "../../typechain-types";
import { Keeper } from "../../keeper/keeper";
import { wad } from "../../scripts/lib/protocol";
import { deployUniswap } from "../../deploy/uniswap/contracts";
import { seedPool } from "../../deploy/uniswap/pool";
import { uniswapVet } from "../../replay/agents/keeper-quote";
import { uniswapQuote } from "../../keeper/quote-uniswap";
import type { Venue } from "../../replay/world/venue";
import { lossTotals } from "../../sdk/losses";

const USDC = (x: number) => BigInt(Math.round(x * 1e6));

/** Bob borrows $1600 against 1 WETH ($2000); the WETH/USDC pool is seeded at `poolUsd` with `depth`. */
async function fixture(poolUsd: number, depth: number) {
  const f = await deployMarketFixture();
  const { core, id, usdc, weth, alice, bob, frank, deployer } = f;
  await core.connect(alice).supply(id, USDC(1_000_000), 0, alice.address);
  await core.connect(bob).supplyCollateral(id, 0, wad("1"), bob.address);
  await core.connect(bob).borrow(id, USDC(1600), 0, bob.address, bob.address);
  const [w, u] = [await weth.token.getAddress(), await usdc.token.getAddress()];
  const uni = await deployUniswap(deployer, w);
  const seeded = await seedPool(uni, deployer, {
    collateral: { token: w, decimals: 18, usd: poolUsd },
    loan: { token: u, decimals: 6, usd: 1 },
    depthUsd2Pct: depth,
  });
  const swapper = await new UniswapV3Swapper__factory(deployer).deploy(uni.factory, deployer.address);
  await swapper.setPool(w, u, 3000);
  const liquidator = await new FlashLiquidator__factory(deployer).deploy(await core.getAddress(), frank.address);
  const venue = { uni, swapper, pools: [{ ...seeded, collateral: w, loan: u }] } as unknown as Venue;
  const quote = uniswapVet(venue, 30, () => USDC(2000));
  const flash = {
    core,
    marketId: id,
    signer: frank,
    mode: "flash" as const,
    liquidator,
    swapper: await swapper.getAddress(),
  };
  const keeper = new Keeper({ ...flash, swapFee: wad("0.003"), vet: quote.vet });
  const pair = new Set([w.toLowerCase(), u.toLowerCase()]);
  const feeOf = (a: string, b: string) => (a !== b && pair.has(a) && pair.has(b) ? 3000 : undefined);
  const quoted = new Keeper({ ...flash, quote: uniswapQuote(ethers.provider, uni.quoter, feeOf) });
  return { ...f, keeper, quoted, quote, liquidator, swapper };
}

const deepPoolAt2000 = () => fixture(2000, 5_000_000);
const poolAt1000 = () => fixture(1000, 5_000_000);

describe("scenario: keeper flash mode through Uniswap v3", function () {
  it("with the Uniswap QuoteFn (KeeperOptions.quote), the keeper prices the sale at the pool and skips it as unprofitable", async function () {
    const { core, id, weth, bob, quoted } = await loadFixture(poolAt1000);
    await weth.feed.updateAnswer(1800n * 10n ** 8n);
    const positionBefore = await core.position(id, bob.address);
    const res = await quoted.tick();
    expect(res.liquidations).to.deep.equal([]);
    expect(res.skipped.map((s) => s.code)).to.deep.equal(["unprofitable"]);
    expect(await core.position(id, bob.address)).to.deep.equal(positionBefore);
  });

  it("liquidates through the real pool: the debt closes and the keeper keeps what the sale paid above the repayment", async function () {
    const { core, id, weth, usdc, bob, frank, keeper, liquidator } = await loadFixture(deepPoolAt2000);
    await weth.feed.updateAnswer(1800n * 10n ** 8n); // HF 0.956: liquidatable, collateral still covers the debt
    const before = await usdc.token.balanceOf(frank.address);
    const [, sharesBefore] = await core.position(id, bob.address);
    const res = await keeper.tick();
    expect(res.liquidations.map((l) => l.borrower)).to.deep.equal([bob.address.toLowerCase()]);
    expect(res.failed).to.deep.equal([]);
    const [ev] = await liquidator.queryFilter(liquidator.filters.FlashLiquidated(id));
    expect(ev!.args.profit).to.be.greaterThan(0n);
    expect((await usdc.token.balanceOf(frank.address)) - before).to.equal(ev!.args.profit);
    const [, sharesAfter] = await core.position(id, bob.address);
    expect(sharesAfter).to.be.lessThan(sharesBefore);
    expect((await lossTotals(core, id)).socialized).to.equal(0n);
  });

  it("skips a liquidation the pool would not pay for, says why, and changes nothing", async function () {
    const { core, id, weth, usdc, bob, frank, keeper, quote } = await loadFixture(poolAt1000);
    await weth.feed.updateAnswer(1800n * 10n ** 8n); // the oracle says 1800, the pool pays ~1000
    const positionBefore = await core.position(id, bob.address);
    const before = await usdc.token.balanceOf(frank.address);
    const res = await keeper.tick();
    expect(res.liquidations).to.deep.equal([]);
    expect(res.skipped).to.have.length(1);
    // Said from the pool's price bound (no QuoterV2 call needed) or from the quote: either way with the figures.
    expect(res.skipped[0]!.reason).to.match(
      /^unprofitable on uniswap-v3: (the pool pays at most|pool pays) \d+ < repay \d+ \+ gas \d+$/,
    );
    expect(quote.skips()).to.equal(1);
    expect(await core.position(id, bob.address)).to.deep.equal(positionBefore);
    expect(await usdc.token.balanceOf(frank.address)).to.equal(before);
  });
});
