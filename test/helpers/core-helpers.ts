/**
 * Shared helpers of the unit and integration tests of the core and the oracle adapter: the SDK's exact bigint models
 * of the on-chain math (re-exported from sdk/math.ts, so tests can assert exact outcomes), small deploy helpers and
 * time helpers.
 */
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { Signer } from "ethers";
import type { BallastCore, ChainlinkPriceAdapter, MockFeed } from "../../typechain-types";
import { MockFeed__factory } from "../../typechain-types";
import { DEFAULT_RATE_MODEL, MAX_UINT128, deployAdapter, wad, type PricedToken } from "../../scripts/lib/protocol";
import { MockV3Aggregator__factory } from "../../typechain-types/factories/@chainlink/contracts/src/v0.8/tests/MockV3Aggregator__factory";
import { deployMarketFixture } from "./fixtures";
import {
  PAUSE as SDK_PAUSE,
  WAD,
  accrueMarketDetailed,
  cash,
  copyMarket,
  debtOf as debtOfShares,
  max,
  toAssetsDown,
  type Accrual,
  type MarketState,
  type RateModel,
} from "../../sdk/math";

// The exact bigint models of the on-chain math are the SDK's (sdk/math.ts, tested against the contracts).
export { WAD, RAY, VIRTUAL_SHARES, VIRTUAL_ASSETS, SECONDS_PER_YEAR } from "../../sdk/math";
export { mulDivDown, mulDivUp, wMulDown, wMulUp, wDivDown, wDivUp, rpowUp } from "../../sdk/math"; // MathLib
export { toSharesDown, toSharesUp, toAssetsDown, toAssetsUp } from "../../sdk/math"; // SharesMathLib
export { utilization, borrowRate, compoundedInterest } from "../../sdk/math"; // InterestLib

export const U6 = 10n ** 6n;
export const E18 = 10n ** 18n;
export const E8 = 10n ** 8n;

/** Pause flags (ConstantsLib): the SDK's PAUSE under the camelCase names the tests use. */
export const PAUSE = {
  supply: SDK_PAUSE.SUPPLY,
  withdraw: SDK_PAUSE.WITHDRAW,
  borrow: SDK_PAUSE.BORROW,
  repay: SDK_PAUSE.REPAY,
  collateralIn: SDK_PAUSE.COLLATERAL_IN,
  collateralOut: SDK_PAUSE.COLLATERAL_OUT,
  liquidate: SDK_PAUSE.LIQUIDATE,
} as const;

/** bytes32 name of a parameter as the core's ParameterOutOfBounds reports it. */
export const b32 = (s: string): string => ethers.encodeBytes32String(s);

export type RateModelT = RateModel;

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

/** A market's totals after `_accrue`, with the split of that accrual (rate, interest, toReserves, toInsurance). */
export type AccruedMarket = MarketState & Omit<Accrual, "market">;

/** The market as `_accrue` leaves it at block timestamp `ts` (the SDK's exact model of BallastCore._accrue; a `ts`
 * at or before the last update accrues nothing). */
export async function accruedMarket(core: BallastCore, id: bigint, ts: bigint): Promise<AccruedMarket> {
  const m = copyMarket(await core.market(id));
  const { market, ...split } = accrueMarketDetailed(m, await core.config(id), max(ts, m.lastUpdate));
  return { ...market, ...split };
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
  return debtOfShares(m, borrowShares);
}

/** A supplier's withdrawable assets (rounded down), from stored totals. */
export async function suppliedOf(core: BallastCore, id: bigint, user: string): Promise<bigint> {
  const m = await core.market(id);
  const [supplyShares] = await core.position(id, user);
  return toAssetsDown(supplyShares, m.totalSupplyAssets, m.totalSupplyShares);
}

/** Cash identity of a market that holds only its own loan token: cash + borrowed == supplied + reserves + premium. */
export async function expectedCash(core: BallastCore, id: bigint): Promise<bigint> {
  return cash(await core.market(id));
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
  opts: {
    feedDecimals?: number;
    maxDeviation?: bigint;
    maxReferenceAge?: number;
    withFallback?: boolean;
    withSequencer?: boolean;
  } = {},
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
          maxReferenceAge: opts.maxReferenceAge ?? 86_400,
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

/** A market lending `loan` (default the fixture's USDC) against the fixture's WETH only, without an insurance fund. */
export async function createWethMarket(
  f: { core: BallastCore; usdc: PricedToken; weth: PricedToken },
  o: Parameters<typeof marketParams>[3] = {},
  loan: PricedToken = f.usdc,
): Promise<bigint> {
  const weth = { token: await f.weth.token.getAddress(), adapter: await f.weth.adapter.getAddress() };
  return createMarketFrom(
    f.core,
    marketParams(await loan.token.getAddress(), await loan.adapter.getAddress(), [weth], o),
  );
}
