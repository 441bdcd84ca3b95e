/**
 * The episode's venue at the real Uniswap v3 addresses: the market's pools (deploy/config/mainnet.ts names WETH/USDC
 * 0.05% and WBTC/USDC 0.3%), the UniswapV3Swapper routing through them, an arbitrageur that steers each pool to the
 * episode's real price before each keeper tick, and the pool's measured depth (the loan asset that selling
 * collateral takes out while moving the pool 2% down, from QuoterV2).
 *
 * - Replica: each pool is created and seeded at the episode's first real price with liquidity `depthUsd2Pct`
 *   (the stated per-asset assumption of replay/episodes.ts), in one position over [price / 20, price x 20].
 * - Real fork: the pools are the real ones with today's liquidity; the arbitrageur moves them to the episode's
 *   price through that liquidity, so the replay shows what today's real depth would have done.
 *
 * ASSUMPTION (stated): the arbitrageur has unlimited capital (its balances are written through storage, as a
 * centralized exchange would refill it), acts in the block of each price step (latency 0) and leaves a pool alone
 * within 30 bps of the real price (the band of replay/episodes.ts's default arbitrageur).
 */
import { ethers } from "hardhat";
import { Interface, MaxUint256 } from "ethers";
import { UniswapV3Swapper__factory, type UniswapV3Swapper } from "../../../typechain-types";
import { uniswapArtifact, uniswapAt } from "../../../deploy/uniswap/contracts";
import { seedPool } from "../../../deploy/uniswap/pool";
import { DEPTH_MOVE, priceOfSqrt, rawPrice, sqrtPriceX96 } from "../../../deploy/uniswap/math";
import { MAINNET, type TokenName } from "../../../replay/mainnet";
import type { Venue } from "../../../replay/world/venue";
import type { ForkWorld } from "./world";
import type { EpisodeAsset } from "./prices";
import type { ForkMarket } from "./markets";

export const ARBITRAGEUR_BAND_BPS = 30;
const BIG = 10n ** 36n; // the arbitrageur's and the seeding account's balance of each token (base units)

export interface ForkPool {
  asset: EpisodeAsset;
  pool: string;
  fee: number;
  collateral: string;
  decimals: number;
  loan: { symbol: string; address: string; decimals: number };
  loanIsToken1: boolean;
}

/** Creates and seeds the pool of `a` against the market's loan asset (replica only; a real fork has it). */
async function pool(w: ForkWorld, a: EpisodeAsset, market: ForkMarket): Promise<ForkPool> {
  const { fee } = market.collaterals[a.symbol]!;
  const loanToken = { symbol: market.loan, ...MAINNET.tokens[market.loan] };
  const collateral = MAINNET.tokens[a.symbol as TokenName].address;
  const decimals = a.spec.decimals;
  if (w.replica) {
    const lp = w.s.deployer;
    for (const t of [collateral, loanToken.address]) await w.give(lp, t, BIG);
    await seedPool(w.uni, lp, {
      collateral: { token: collateral, decimals, usd: Number(a.points[0]!.price) },
      loan: { token: loanToken.address, decimals: loanToken.decimals, usd: 1 },
      depthUsd2Pct: depthOf(a),
      fee,
      mintTokens: false,
    });
  }
  const address = (await uniswapAt("factory", w.uni.factory, w.s.deployer).getFunction("getPool")(
    collateral,
    loanToken.address,
    fee,
  )) as string;
  const loanIsToken1 = BigInt(loanToken.address) > BigInt(collateral);
  const loan = { symbol: market.loan, address: loanToken.address, decimals: loanToken.decimals };
  return { asset: a, pool: address, fee, collateral, decimals, loan, loanIsToken1 };
}

/** The stated depth of an asset's seeded pool (replay/episodes.ts), dollars per 2%. */
export function depthOf(a: EpisodeAsset): number {
  return a.spec.depthUsd2Pct ?? 2_000_000;
}

export interface ForkVenue {
  pools: ForkPool[];
  swapper: UniswapV3Swapper;
  /** The shape replay/agents/keeper-quote.ts's profit check reads (pools by collateral index). */
  venue: Venue;
}

/** The episode's pools, a swapper routing through them, and the arbitrageur's approvals. */
export async function forkVenue(w: ForkWorld, assets: EpisodeAsset[], market: ForkMarket): Promise<ForkVenue> {
  const pools: ForkPool[] = [];
  for (const a of assets) pools.push(await pool(w, a, market));
  const loanToken = MAINNET.tokens[market.loan].address;
  const me = await w.s.deployer.getAddress();
  const swapper = await new UniswapV3Swapper__factory(w.s.deployer).deploy(w.uni.factory, me);
  await swapper.waitForDeployment();
  const byIndex: Venue["pools"] = [];
  for (const p of pools) {
    await (await swapper.setPool(p.collateral, loanToken, p.fee)).wait();
    // The fields the profit check reads: the pool (its price bounds a sale before QuoterV2 prices it), tokens, fee.
    const { collateral, fee, loanIsToken1 } = p;
    byIndex[p.asset.index] = { collateral, loan: loanToken, fee, pool: p.pool, loanIsToken1 } as Venue["pools"][number];
  }
  for (const t of [...pools.map((p) => p.collateral), loanToken]) {
    await w.give(w.s.arbitrageur, t, BIG, w.uni.router);
  }
  return { pools, swapper, venue: { uni: w.uni, swapper, pools: byIndex } };
}

let poolIface: Interface | undefined;

/** Loan units (whole) per whole collateral token at the pool's current price. */
export async function poolUsd(p: ForkPool): Promise<number> {
  poolIface ??= new Interface(uniswapArtifact("pool").abi);
  const ret = await ethers.provider.call({ to: p.pool, data: poolIface.encodeFunctionData("slot0") });
  const raw = priceOfSqrt(BigInt(ret.slice(0, 66)));
  return (p.loanIsToken1 ? raw : 1 / raw) * 10 ** (p.decimals - p.loan.decimals);
}

/** sqrtPriceX96 at which the pool quotes `usd` loan units per whole collateral token. */
function sqrtAt(p: ForkPool, usd: number): bigint {
  const raw = p.loanIsToken1
    ? rawPrice(usd, p.decimals, 1, p.loan.decimals)
    : rawPrice(1, p.loan.decimals, usd, p.decimals);
  return sqrtPriceX96(raw);
}

/** Largest price move of one steering swap (a real pool's ticks between far-apart prices do not fit one block). */
const STEER_STEP = 1.25;

/**
 * Swaps the pool to `usd` through the real SwapRouter, in swaps of at most STEER_STEP each (one on the replica; a
 * real pool moved to a historical price takes several). Throws if it cannot get within the band.
 */
export async function steer(w: ForkWorld, p: ForkPool, usd: number): Promise<number> {
  const router = uniswapAt("router", w.uni.router, w.s.arbitrageur);
  const me = await w.s.arbitrageur.getAddress();
  for (let swaps = 0; swaps < 60; swaps++) {
    const now = await poolUsd(p);
    if ((Math.abs(now - usd) / usd) * 1e4 <= ARBITRAGEUR_BAND_BPS) return swaps;
    const [tokenIn, tokenOut] = now > usd ? [p.collateral, p.loan.address] : [p.loan.address, p.collateral];
    const limit = Math.min(now * STEER_STEP, Math.max(now / STEER_STEP, usd));
    await w.give(w.s.arbitrageur, tokenIn, BIG);
    const params = [tokenIn, tokenOut, p.fee, me, MaxUint256, BIG / 1000n, 0n, sqrtAt(p, limit)];
    await (await router.getFunction("exactInputSingle")(params, { gasLimit: 15_000_000n })).wait();
  }
  throw new Error(`the arbitrageur could not move the ${p.asset.symbol}/${p.loan.symbol} pool to ${usd}`);
}

/** Loan units that selling collateral into the pool takes out while moving it DEPTH_MOVE (2%) down (QuoterV2). */
export async function measuredDepth(w: ForkWorld, p: ForkPool): Promise<number> {
  const now = await poolUsd(p);
  const quoter = new Interface(uniswapArtifact("quoter").abi);
  const data = quoter.encodeFunctionData("quoteExactInputSingle", [
    {
      tokenIn: p.collateral,
      tokenOut: p.loan.address,
      amountIn: BIG / 1000n,
      fee: p.fee,
      sqrtPriceLimitX96: sqrtAt(p, now * (1 - DEPTH_MOVE)),
    },
  ]);
  const ret = await ethers.provider.call({ to: w.uni.quoter, data });
  const out = quoter.decodeFunctionResult("quoteExactInputSingle", ret)[0] as bigint;
  return Number(out) / 10 ** p.loan.decimals;
}
