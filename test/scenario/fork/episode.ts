/**
 * One crash episode on the fork: a handful of borrowers in one market, supply at 75% utilization, 3%
 * of the supply staked in the insurance fund and 30 days of interest before the window (replay/episodes.ts's
 * defaults), then every price step: the feeds publish, the arbitrageur re-aligns the pools, and the keeper (flash
 * mode: FlashLiquidator selling through UniswapV3Swapper at the real pools, QuoterV2 profit check at 50 gwei)
 * acts. Returns what the tests assert and what the log reports.
 */
import { ethers } from "hardhat";
import type { Signer } from "ethers";
import { Keeper } from "../../../keeper/keeper";
import { uniswapVet } from "../../../replay/agents/keeper-quote";
import { MAINNET, type TokenName } from "../../../replay/mainnet";
import { DEFAULT_PARAMS } from "../../../replay/episodes";
import { wad } from "../../../scripts/lib/protocol";
import { forkEpisode, priceAt, Publisher, roundAt, type ForkEpisode, type ForkWindow } from "./prices";
import { forkVenue, measuredDepth, poolUsd, steer, type ForkVenue } from "./pools";
import { chainNow, type ForkWorld } from "./world";
import type { ForkMarket } from "./markets";
import { episodeOutcome, type EpisodeOutcome } from "./outcome";

const WAD = 1e18;
// replay/episodes.ts's stated defaults: warm-up, utilization, insurance stake, the keeper's gas price, and the ETH
// price of the gas cost when an episode has no ETH series.
const WARMUP = (DEFAULT_PARAMS.warmupDays ?? 30) * 86_400;
const UTILIZATION = DEFAULT_PARAMS.utilization;
const INSURANCE_SHARE = DEFAULT_PARAMS.insuranceShare;
const GAS_PRICE_GWEI = DEFAULT_PARAMS.gasPriceGwei ?? 50;
const ETH_USD_FOR_GAS = DEFAULT_PARAMS.ethUsdForGas ?? 2000;
/** Collateral of each borrower, in dollars at the episode's first price (a stated size). */
const POSITION_USD = 250_000;

export interface ForkRun {
  market: ForkMarket;
  ep: ForkEpisode;
  venue: ForkVenue;
  fromBlock: number;
  borrowers: string[];
  /** Measured at the episode's start: USDC per 2% move of each pool. */
  depths: { pair: string; depthUsd2Pct: number }[];
  /** Real fork: each pool's depth at today's price, before the arbitrageur moved it to the episode's. */
  depthsToday?: { pair: string; depthUsd2Pct: number }[];
  maxPoolDeviationBps: number;
  unprofitableSkips: number;
  keeperFailures: string[];
}

/** Borrower i's target health factor: from just above LT/LTV (a borrow at the LTV) upward in steps of 0.04. */
function targetHf(lt: number, ltv: number, i: number): number {
  return (lt / ltv) * 1.002 + 0.04 * i;
}

/** A collateral's liquidation threshold and LTV, read from the market. */
async function risk(w: ForkWorld, m: ForkMarket, index: number): Promise<{ lt: number; ltv: number }> {
  const c = await w.core.collateral(m.id, index);
  return { lt: Number(c.liquidationThreshold) / WAD, ltv: Number(c.ltv) / WAD };
}

/** Opens `n` positions (collaterals in turn) at the episode's first prices; returns the total debt (loan units). */
async function openPositions(w: ForkWorld, m: ForkMarket, ep: ForkEpisode, borrowers: Signer[]): Promise<bigint> {
  const core = await w.core.getAddress();
  const loanDecimals = MAINNET.tokens[m.loan].decimals;
  let total = 0n;
  for (let i = 0; i < borrowers.length; i++) {
    const b = borrowers[i]!;
    const a = ep.assets[i % ep.assets.length]!;
    const c = await risk(w, m, a.index);
    const price = Number(a.points[0]!.price);
    const units =
      BigInt(Math.floor((POSITION_USD / price) * 10 ** Math.min(a.spec.decimals, 8))) *
      10n ** BigInt(Math.max(0, a.spec.decimals - 8));
    const hf = targetHf(c.lt, c.ltv, Math.floor(i / ep.assets.length));
    const debt = BigInt(Math.floor(((POSITION_USD * c.lt) / hf) * 10 ** loanDecimals));
    const me = await b.getAddress();
    await w.give(b, MAINNET.tokens[a.symbol as TokenName].address, units, core);
    await (await w.core.connect(b).supplyCollateral(m.id, a.index, units, me)).wait();
    await (await w.core.connect(b).borrow(m.id, debt, 0, me, me)).wait();
    total += debt;
  }
  return total;
}

/** Supply for the stated utilization and the insurance stake, before the borrowers. */
async function supplyAndStake(w: ForkWorld, m: ForkMarket, plannedDebt: bigint): Promise<void> {
  const core = await w.core.getAddress();
  const loan = MAINNET.tokens[m.loan].address;
  const supply = (plannedDebt * 100n) / BigInt(UTILIZATION * 100);
  const stake = (supply * BigInt(INSURANCE_SHARE * 1000)) / 1000n;
  await w.give(w.s.supplier, loan, supply, core);
  await (await w.core.connect(w.s.supplier).supply(m.id, supply, 0, await w.s.supplier.getAddress())).wait();
  await w.give(w.s.staker, loan, stake, await m.fund.getAddress());
  await (await m.fund.connect(w.s.staker).deposit(stake, await w.s.staker.getAddress())).wait();
}

/** The keeper of the replay: flash mode through the real pools, from the deployment's block. */
function forkKeeper(w: ForkWorld, run: ForkRun, ethUsd: () => number) {
  const unit = 10 ** MAINNET.tokens[run.market.loan].decimals;
  const quote = uniswapVet(run.venue.venue, GAS_PRICE_GWEI, () => BigInt(Math.round(ethUsd() * unit)));
  const keeper = new Keeper({
    core: w.core.connect(w.s.keeper),
    marketId: run.market.id,
    signer: w.s.keeper,
    mode: "flash",
    liquidator: w.liquidator.connect(w.s.keeper),
    swapper: run.venue.swapper.target as string,
    // The oracle estimate's fee (the highest pool fee tier); the QuoterV2 check (`vet`) then prices the real sale.
    swapFee: wad(String(Math.max(...run.venue.pools.map((p) => p.fee)) / 1e6)),
    vet: quote.vet,
    startBlock: w.record.block,
  });
  return { keeper, quote };
}

/** Each pool's measured depth now. */
async function depthsOf(w: ForkWorld, venue: ForkVenue): Promise<ForkRun["depths"]> {
  const out: ForkRun["depths"] = [];
  for (const p of venue.pools) {
    out.push({ pair: `${p.asset.symbol}/${p.loan.symbol}`, depthUsd2Pct: await measuredDepth(w, p) });
  }
  return out;
}

/** Sets the episode up: venue, supply, positions, warm-up; returns the run and the feed publisher. */
async function setUp(w: ForkWorld, market: ForkMarket, name: string, window: ForkWindow, opts: ForkRunOptions) {
  const ep = forkEpisode(name, window, market);
  const depth = opts.depthUsd2Pct;
  if (depth !== undefined) for (const a of ep.assets) a.spec = { ...a.spec, depthUsd2Pct: depth };
  const pub = new Publisher(w, ep, (await chainNow()) + 60 - ep.start);
  await pub.refresh(ep.start);
  const venue = await forkVenue(w, ep.assets, market);
  const depthsToday = w.replica ? undefined : await depthsOf(w, venue);
  for (const p of venue.pools) await steer(w, p, priceAt(p.asset, ep.start)); // real fork: to the episode's price
  const depths = await depthsOf(w, venue);
  const n = opts.borrowers;
  const borrowers = w.s.borrowers.slice(0, n);
  const maxLt = Math.max(...(await Promise.all(ep.assets.map((a) => risk(w, market, a.index)))).map((r) => r.lt));
  const unit = 10 ** MAINNET.tokens[market.loan].decimals;
  await supplyAndStake(w, market, BigInt(Math.ceil(POSITION_USD * maxLt * n * unit)));
  await openPositions(w, market, ep, borrowers);
  pub.offset = (await chainNow()) + WARMUP - ep.start;
  const fromBlock = await ethers.provider.getBlockNumber();
  const run: ForkRun = {
    market,
    ep,
    venue,
    fromBlock,
    borrowers: await Promise.all(borrowers.map((b) => b.getAddress())),
    depths,
    depthsToday,
    maxPoolDeviationBps: 0,
    unprofitableSkips: 0,
    keeperFailures: [],
  };
  return { run, pub };
}

export interface ForkRunOptions {
  borrowers: number;
  /** The keeper acts every n-th price step (replay/episodes.ts's keeperEvery; default 1: every step). */
  keeperEvery?: number;
  /** The replica's pools: dollars that move each 2% (default: replay/episodes.ts's per-asset assumption). A real
   * fork's pools keep their real depth. */
  depthUsd2Pct?: number;
}

/** Replays the episode's window in `market`; returns the run's outcome. */
export async function runForkEpisode(
  w: ForkWorld,
  market: ForkMarket,
  name: string,
  window: ForkWindow,
  opts: ForkRunOptions,
): Promise<EpisodeOutcome> {
  const { run, pub } = await setUp(w, market, name, window, opts);
  const every = Math.max(1, opts.keeperEvery ?? 1);
  const { ep, venue } = run;
  const eth = ep.assets.find((a) => a.symbol === "WETH");
  let t = ep.start;
  const { keeper, quote } = forkKeeper(w, run, () => (eth ? priceAt(eth, t) : ETH_USD_FOR_GAS));
  await pub.refresh(ep.start);
  for (const [k, time] of ep.times.entries()) {
    t = time;
    await pub.at(t);
    for (const p of venue.pools) await steer(w, p, priceAt(p.asset, t));
    if ((k + 1) % every !== 0) continue;
    const res = await keeper.tick();
    run.keeperFailures.push(...res.failed.map((f) => f.reason));
    // The pools after the keeper's sales against the oracle (the arbitrageur re-aligns them next step).
    for (const p of venue.pools) {
      const oracle = Number(roundAt(p.asset.rounds, t)?.price ?? p.asset.points[0]!.price);
      const bps = (Math.abs((await poolUsd(p)) - oracle) / oracle) * 1e4;
      run.maxPoolDeviationBps = Math.max(run.maxPoolDeviationBps, bps);
    }
  }
  run.unprofitableSkips = quote.skips();
  return episodeOutcome(w, run);
}
