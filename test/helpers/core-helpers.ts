/**
 * Shared helpers of the unit and integration tests of the core and the oracle adapter: exact TypeScript models of
 * the on-chain math (so tests can assert exact outcomes), small deploy helpers and time helpers.
 */
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { Signer } from "ethers";
import type { BallastCore, ChainlinkPriceAdapter, MockFeed } from "../../typechain-types";
import { MockFeed__factory } from "../../typechain-types";
import { DEFAULT_RATE_MODEL, MAX_UINT128, deployAdapter, wad, type PricedToken } from "../../scripts/lib/protocol";
import { MockV3Aggregator__factory } from "../../typechain-types/factories/@chainlink/contracts/src/v0.8/tests/MockV3Aggregator__factory";
import { deployMarketFixture } from "./fixtures";

export const WAD = 10n ** 18n;
export const RAY = 10n ** 27n;
export const VIRTUAL_SHARES = 10n ** 6n;
export const VIRTUAL_ASSETS = 1n;
export const SECONDS_PER_YEAR = 365n * 24n * 3600n;
export const U6 = 10n ** 6n;
export const E18 = 10n ** 18n;
export const E8 = 10n ** 8n;

/** Pause flags (ConstantsLib). */
export const PAUSE = {
  supply: 1,
  withdraw: 2,
  borrow: 4,
  repay: 8,
  collateralIn: 16,
  collateralOut: 32,
  liquidate: 64,
} as const;

/** bytes32 name of a parameter as the core's ParameterOutOfBounds reports it. */
export const b32 = (s: string): string => ethers.encodeBytes32String(s);

// ------------------------------------------------------------------ math models (exact bigint replicas)

export const mulDivDown = (x: bigint, y: bigint, d: bigint): bigint => (x * y) / d;
export const mulDivUp = (x: bigint, y: bigint, d: bigint): bigint => (x * y + d - 1n) / d;
export const wMulDown = (x: bigint, y: bigint): bigint => (x * y) / WAD;
export const wMulUp = (x: bigint, y: bigint): bigint => (x * y + WAD - 1n) / WAD;
export const wDivDown = (x: bigint, y: bigint): bigint => (x * WAD) / y;
export const wDivUp = (x: bigint, y: bigint): bigint => (x * WAD + y - 1n) / y;

export const toSharesDown = (a: bigint, ta: bigint, ts: bigint): bigint =>
  mulDivDown(a, ts + VIRTUAL_SHARES, ta + VIRTUAL_ASSETS);
export const toSharesUp = (a: bigint, ta: bigint, ts: bigint): bigint =>
  mulDivUp(a, ts + VIRTUAL_SHARES, ta + VIRTUAL_ASSETS);
export const toAssetsDown = (s: bigint, ta: bigint, ts: bigint): bigint =>
  mulDivDown(s, ta + VIRTUAL_ASSETS, ts + VIRTUAL_SHARES);
export const toAssetsUp = (s: bigint, ta: bigint, ts: bigint): bigint =>
  mulDivUp(s, ta + VIRTUAL_ASSETS, ts + VIRTUAL_SHARES);

/** MathLib.rpowUp: (1 + r)^n in RAY by binary exponentiation, each product rounded up. */
export function rpowUp(ratePerSecondRay: bigint, n: bigint): bigint {
  let x = RAY + ratePerSecondRay;
  let z = RAY;
  while (n !== 0n) {
    if ((n & 1n) !== 0n) z = (z * x + RAY - 1n) / RAY;
    n >>= 1n;
    if (n !== 0n) x = (x * x + RAY - 1n) / RAY;
  }
  return z;
}

export interface RateModelT {
  baseRate: bigint;
  slope1: bigint;
  slope2: bigint;
  targetUtilization: bigint;
}

export function utilization(borrow: bigint, supply: bigint): bigint {
  if (supply === 0n) return 0n;
  const u = wDivDown(borrow, supply);
  return u > WAD ? WAD : u;
}

export function borrowRate(m: RateModelT, u: bigint): bigint {
  if (u <= m.targetUtilization) return m.baseRate + mulDivDown(m.slope1, u, m.targetUtilization);
  return m.baseRate + m.slope1 + mulDivDown(m.slope2, u - m.targetUtilization, WAD - m.targetUtilization);
}

export function compoundedInterest(borrow: bigint, annualRate: bigint, elapsed: bigint): bigint {
  const perSecondRay = (annualRate * 10n ** 9n) / SECONDS_PER_YEAR;
  const factor = rpowUp(perSecondRay, elapsed);
  return mulDivUp(borrow, factor - RAY, RAY);
}

/** e^x for x in WAD, returned with `scale` precision (Taylor series, exact enough for 1e-30 relative). */
export function expScaled(xWad: bigint, scale: bigint = 10n ** 40n): bigint {
  const x = (xWad * scale) / WAD;
  let term = scale;
  let sum = scale;
  for (let k = 1n; k < 200n; k++) {
    term = (term * x) / (scale * k);
    if (term === 0n) break;
    sum += term;
  }
  return sum;
}

/** |a - b| / b as a JS number (for relative-error assertions). */
export function relErr(a: bigint, b: bigint): number {
  const d = a > b ? a - b : b - a;
  return Number((d * 10n ** 30n) / b) / 1e30;
}

export interface AccruedMarket {
  totalSupplyAssets: bigint;
  totalSupplyShares: bigint;
  totalBorrowAssets: bigint;
  totalBorrowShares: bigint;
  reserves: bigint;
  premiumOwed: bigint;
  rate: bigint;
  interest: bigint;
  toReserves: bigint;
  toInsurance: bigint;
}

/** The market as `_accrue` leaves it at block timestamp `ts` (exact model of BallastCore._accrue). */
export async function accruedMarket(core: BallastCore, id: bigint, ts: bigint): Promise<AccruedMarket> {
  const m = await core.market(id);
  const c = await core.config(id);
  const out: AccruedMarket = {
    totalSupplyAssets: m.totalSupplyAssets,
    totalSupplyShares: m.totalSupplyShares,
    totalBorrowAssets: m.totalBorrowAssets,
    totalBorrowShares: m.totalBorrowShares,
    reserves: m.reserves,
    premiumOwed: m.premiumOwed,
    rate: 0n,
    interest: 0n,
    toReserves: 0n,
    toInsurance: 0n,
  };
  const elapsed = ts - m.lastUpdate;
  if (elapsed <= 0n || m.totalBorrowAssets === 0n || m.totalBorrowShares === 0n) return out;
  const rm = c.rateModel;
  out.rate = borrowRate(
    { baseRate: rm.baseRate, slope1: rm.slope1, slope2: rm.slope2, targetUtilization: rm.targetUtilization },
    utilization(m.totalBorrowAssets, m.totalSupplyAssets),
  );
  out.interest = compoundedInterest(m.totalBorrowAssets, out.rate, elapsed);
  if (out.interest === 0n) return out;
  out.toReserves = wMulDown(out.interest, c.reserveFactor);
  out.toInsurance = c.insuranceFund === ethers.ZeroAddress ? 0n : wMulDown(out.interest, c.insurancePremiumFactor);
  out.totalBorrowAssets += out.interest;
  out.totalSupplyAssets += out.interest - out.toReserves - out.toInsurance;
  out.reserves += out.toReserves;
  out.premiumOwed += out.toInsurance;
  return out;
}

/** Sets the next block's timestamp to now + `dt` seconds and returns it. */
export async function nextTs(dt = 1n): Promise<bigint> {
  const t = BigInt(await time.latest()) + dt;
  await time.setNextBlockTimestamp(t);
  return t;
}

/** A position's debt in loan assets (rounded up), from stored totals. */
export async function debtOf(core: BallastCore, id: bigint, user: string): Promise<bigint> {
  const m = await core.market(id);
  const [, borrowShares] = await core.position(id, user);
  return toAssetsUp(borrowShares, m.totalBorrowAssets, m.totalBorrowShares);
}

/** A supplier's withdrawable assets (rounded down), from stored totals. */
export async function suppliedOf(core: BallastCore, id: bigint, user: string): Promise<bigint> {
  const m = await core.market(id);
  const [supplyShares] = await core.position(id, user);
  return toAssetsDown(supplyShares, m.totalSupplyAssets, m.totalSupplyShares);
}

/** Cash identity of a market that holds only its own loan token: cash + borrowed == supplied + reserves + premium. */
export async function expectedCash(core: BallastCore, id: bigint): Promise<bigint> {
  const m = await core.market(id);
  return m.totalSupplyAssets + m.reserves + m.premiumOwed - m.totalBorrowAssets;
}

export interface SettableFeeds {
  primary: MockFeed;
  fallback: MockFeed;
  sequencer: MockFeed;
  adapter: ChainlinkPriceAdapter;
}

/**
 * An adapter over settable MockFeed feeds: primary and fallback (both `feedDecimals`, answering `price`), and an L2
 * sequencer feed that has been up for 2 hours (grace 1 hour). Max age 1 hour + 10 minutes on both feeds.
 */
export async function deploySettableAdapter(
  deployer: Signer,
  token: string,
  price: string,
  opts: { feedDecimals?: number; maxDeviation?: bigint; withFallback?: boolean; withSequencer?: boolean } = {},
): Promise<SettableFeeds> {
  const dec = opts.feedDecimals ?? 8;
  const answer = ethers.parseUnits(price, dec);
  const primary = await new MockFeed__factory(deployer).deploy(dec, answer);
  const fallback = await new MockFeed__factory(deployer).deploy(dec, answer);
  const sequencer = await new MockFeed__factory(deployer).deploy(0, 0);
  const now = BigInt(await time.latest());
  await sequencer.set(0, now - 7200n);
  const adapter = await deployAdapter(deployer, {
    token,
    owner: await deployer.getAddress(),
    primary: await primary.getAddress(),
    maxAge: 4200,
    ...(opts.withFallback === false
      ? {}
      : {
          fallbackFeed: await fallback.getAddress(),
          fallbackMaxAge: 4200,
          maxFallbackDeviation: opts.maxDeviation ?? wad("0.02"),
        }),
    ...(opts.withSequencer === false ? {} : { sequencer: await sequencer.getAddress(), sequencerGracePeriod: 3600 }),
    minPrice: wad("0.000001"),
    maxPrice: wad("10000000"),
  });
  return { primary, fallback, sequencer, adapter };
}

/** deployMarketFixture plus liquidity: alice supplies 100,000 USDC, carol supplies 10 WETH ($20,000) as collateral. */
export async function fundedMarketFixture() {
  const f = await deployMarketFixture();
  await f.core.connect(f.alice).supply(f.id, 100_000n * U6, 0, f.alice.address);
  await f.core.connect(f.carol).supplyCollateral(f.id, 0, 10n * E18, f.carol.address);
  return f;
}

/** fundedMarketFixture plus a borrow: carol owes 5,000 USDC and 30 days of interest have accrued. */
export async function borrowedMarketFixture() {
  const f = await fundedMarketFixture();
  await f.core.connect(f.carol).borrow(f.id, 5_000n * U6, 0, f.carol.address, f.carol.address);
  await time.increase(30 * 86400);
  await refreshFeeds(f);
  await f.core.accrueInterest(f.id);
  return f;
}

/** Re-publishes the fixture's prices (USDC $1, WETH $2,000, WBTC $60,000) so they are fresh after a time jump. */
export async function refreshFeeds(f: { usdc: PricedToken; weth: PricedToken; wbtc: PricedToken }) {
  await f.usdc.feed.updateAnswer(E8);
  await f.weth.feed.updateAnswer(2000n * E8);
  await f.wbtc.feed.updateAnswer(60000n * E8);
}

/** Chainlink's MockV3Aggregator at `price` (USD) and a ChainlinkPriceAdapter over it for an existing token. */
export async function deployAdapterFor(
  deployer: Signer,
  token: string,
  price: string,
  feedDecimals = 8,
  maxAge = 4200,
) {
  const feed = await new MockV3Aggregator__factory(deployer).deploy(
    feedDecimals,
    ethers.parseUnits(price, feedDecimals),
  );
  const adapter = await deployAdapter(deployer, {
    token,
    owner: await deployer.getAddress(),
    primary: await feed.getAddress(),
    maxAge,
    minPrice: wad("0.000001"),
    maxPrice: wad("10000000"),
  });
  return { feed, adapter };
}

/** MarketParams for createMarket with one or more collaterals (defaults: no caps, no minimums, default model). */
export function marketParams(
  loanToken: string,
  loanAdapter: string,
  collaterals: { token: string; adapter: string; ltv?: bigint; lt?: bigint; bonus?: bigint; cap?: bigint }[],
  o: { minBorrow?: bigint; minLeftover?: bigint; reserveFactor?: bigint; rateModel?: RateModelT } = {},
) {
  return {
    loanToken,
    loanAdapter,
    supplyCap: MAX_UINT128,
    borrowCap: MAX_UINT128,
    minBorrow: o.minBorrow ?? 0n,
    minLeftover: o.minLeftover ?? 0n,
    reserveFactor: o.reserveFactor ?? wad("0.1"),
    insurancePremiumFactor: 0n,
    rateModel: o.rateModel ?? DEFAULT_RATE_MODEL,
    collaterals: collaterals.map((c) => ({
      token: c.token,
      adapter: c.adapter,
      ltv: c.ltv ?? wad("0.8"),
      liquidationThreshold: c.lt ?? wad("0.85"),
      liquidationBonus: c.bonus ?? wad("0.05"),
      supplyCap: c.cap ?? MAX_UINT128,
    })),
  };
}

/** Creates a market from `params` and returns its id (from the MarketCreated event). */
export async function createMarketFrom(core: BallastCore, params: ReturnType<typeof marketParams>): Promise<bigint> {
  const id = (await core.marketCount()) + 1n;
  await (await core.createMarket(params)).wait();
  return id;
}
