/**
 * Helpers of the liquidation, waterfall, insurance, shortfall and fairness suites: bigint mirrors of the core's
 * documented rounding (the SDK's MathLib, SharesMathLib and InterestLib mirrors, re-exported from sdk/math.ts, and
 * the LiquidationLogic and PositionLib steps the suites check one by one), and small fixtures built on
 * deployMarketFixture. Expected figures are computed here from inputs, never read back.
 */
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse } from "ethers";
import { deployMarketFixture } from "./fixtures";
import type { PricedToken } from "../../scripts/lib/protocol";
import {
  WAD,
  SECONDS_PER_YEAR,
  compoundedInterest,
  borrowRate as sdkBorrowRate,
  fundLimits,
  mulDivDown,
  mulDivUp,
  wMulDown,
  min,
  zeroFloorSub,
  toSharesDown,
  toSharesUp,
  toAssetsUp,
  utilization,
  seizedFor as sdkSeizedFor,
  repaidForAll as sdkRepaidForAll,
  type RateModel,
} from "../../sdk/math";

// The MathLib, SharesMathLib and InterestLib mirrors are the SDK's (sdk/math.ts, tested against the contracts).
export { WAD, RAY, VIRTUAL_SHARES, VIRTUAL_ASSETS, SECONDS_PER_YEAR as YEAR, MAX_UINT256 as MAX } from "../../sdk/math";
export { mulDivDown, mulDivUp, wMulDown, wMulUp, wDivDown, wDivUp, min, zeroFloorSub } from "../../sdk/math"; // MathLib
export { toSharesDown, toSharesUp, toAssetsDown, toAssetsUp } from "../../sdk/math"; // SharesMathLib
export { rpowUp, compoundedInterest, type RateModel } from "../../sdk/math"; // InterestLib

export const U = 10n ** 6n; // one USDC
export const E = 10n ** 18n; // one WETH
export const B = 10n ** 8n; // one WBTC

// ------------------------------------------------------------------ rate models

export const ZERO_RATE: RateModel = { baseRate: 0n, slope1: 0n, slope2: 0n, targetUtilization: 8n * 10n ** 17n };
/** A flat 10% a year whatever the utilization: simple to mirror. */
export const FLAT_10: RateModel = { baseRate: WAD / 10n, slope1: 0n, slope2: 0n, targetUtilization: 8n * 10n ** 17n };

/** The model's annual rate at the utilization of `borrowed` over `supplied` (the SDK's borrowRate). */
export function borrowRate(m: RateModel, borrowed: bigint, supplied: bigint): bigint {
  return sdkBorrowRate(m, utilization(borrowed, supplied));
}

/** The split of one accrual: interest (up), reserves (down), premium (down), suppliers (rest). */
export function accrual(
  m: RateModel,
  borrowed: bigint,
  supplied: bigint,
  elapsed: bigint,
  reserveFactor: bigint,
  premiumFactor: bigint,
) {
  const interest = compoundedInterest(borrowed, borrowRate(m, borrowed, supplied), elapsed);
  const toReserves = wMulDown(interest, reserveFactor);
  const toPremium = wMulDown(interest, premiumFactor);
  return { interest, toReserves, toPremium, toSuppliers: interest - toReserves - toPremium };
}

// ------------------------------------------------------------------ prices

/** Feed answer (8 decimals) of a decimal USD string. */
export function feedAnswer(usd: string): bigint {
  const [w = "0", f = ""] = usd.split(".");
  return BigInt(w + f.padEnd(8, "0"));
}

/** The adapter's price (USD per base unit x 1e36) for a feed answer with 8 decimals and a token's decimals. */
export const adapterPrice = (answer: bigint, tokenDecimals: number): bigint =>
  answer * 10n ** 10n * 10n ** BigInt(18 - tokenDecimals);

/** USD value with 18 decimals, rounded down (collateral) as the core does. */
export const valueDown = (amount: bigint, price: bigint): bigint => mulDivDown(amount, price, WAD);
export const valueUp = (amount: bigint, price: bigint): bigint => mulDivUp(amount, price, WAD);

export const USDC_PRICE = adapterPrice(feedAnswer("1"), 6);

/** Sets a priced token's feed (MockV3Aggregator) to a USD price; the new round is dated now. */
export async function setPrice(t: PricedToken, usd: string): Promise<void> {
  await (await t.feed.updateAnswer(feedAnswer(usd))).wait();
}

/** Seized collateral for `repaid`: repaid x loanPrice x (1 + bonus) / colPrice, rounded down once (the SDK's). */
export const seizedFor = sdkSeizedFor;

/** What the whole balance costs when the seizure is capped: bal x colPrice / (loanPrice x (1 + bonus)), rounded
 * up once (the SDK's, with this suite's argument order). */
export const repaidForAll = (bal: bigint, loanPrice: bigint, colPrice: bigint, bonus: bigint): bigint =>
  sdkRepaidForAll(bal, colPrice, loanPrice, bonus);

/** Recoverable loan assets in full liquidations of every collateral, as the liquidation charges a whole balance:
 * value in loan units (up) / (1 + bonus) (up), summed (PositionLib.shortfall). */
export const recoverableOf = (
  items: { amount: bigint; price: bigint; bonus: bigint }[],
  loanPrice: bigint = USDC_PRICE,
): bigint => {
  let recoverable = 0n;
  for (const it of items) recoverable += repaidForAll(it.amount, loanPrice, it.price, it.bonus);
  return recoverable;
};

// ------------------------------------------------------------------ fixtures

/** deployMarketFixture with interest switched off (rate model all zero), so every figure follows from inputs. */
export async function zeroRateFixture() {
  const f = await deployMarketFixture();
  await (await f.core.setRateModel(f.id, ZERO_RATE)).wait();
  return f;
}

export type Fx = Awaited<ReturnType<typeof deployMarketFixture>>;

/** Block timestamp of a mined transaction. */
export async function txTime(tx: ContractTransactionResponse): Promise<bigint> {
  const r = await tx.wait();
  const block = await ethers.provider.getBlock(r!.blockNumber);
  return BigInt(block!.timestamp);
}

/** Re-dates every feed of the fixture at its current answer (after a time jump made them stale). */
export async function refreshFeeds(f: Fx): Promise<void> {
  for (const t of [f.usdc, f.weth, f.wbtc]) {
    const [, answer] = await t.feed.latestRoundData();
    await (await t.feed.updateAnswer(answer)).wait();
  }
}

/**
 * Makes the market earn reserves and premium: `supplied` by `supplier`, `borrowed` by `borrower` against
 * `colWeth` WETH, then exactly `elapsed` seconds of interest at `model`, after which interest is switched off
 * (zero rate model). Returns the mirrored split of that accrual.
 */
export async function accrueOnce(
  f: Fx,
  p: { supplier: string; borrower: string; supplied: bigint; borrowed: bigint; colWeth: bigint; elapsed: bigint },
  model: RateModel = FLAT_10,
) {
  const { core, id } = f;
  const s = await ethers.getSigner(p.supplier);
  const b = await ethers.getSigner(p.borrower);
  await (await core.setRateModel(id, model)).wait();
  await (await core.connect(s).supply(id, p.supplied, 0, p.supplier)).wait();
  await (await core.connect(b).supplyCollateral(id, 0, p.colWeth, p.borrower)).wait();
  const t0 = await txTime(await core.connect(b).borrow(id, p.borrowed, 0, p.borrower, p.borrower));
  await time.setNextBlockTimestamp(t0 + p.elapsed);
  await (await core.setRateModel(id, ZERO_RATE)).wait();
  await refreshFeeds(f);
  return accrual(model, p.borrowed, p.supplied, p.elapsed, WAD / 10n, WAD / 20n);
}

/** A year of 10% on 50,000 borrowed (Carol, 40 WETH) against Alice's 100,000: premium and reserves to work with. */
export function accrueYearOfPremium(f: Fx) {
  return accrueOnce(f, {
    supplier: f.alice.address,
    borrower: f.carol.address,
    supplied: 100_000n * U,
    borrowed: 50_000n * U,
    colWeth: 40n * E,
    elapsed: SECONDS_PER_YEAR,
  });
}

/** Mirror of the market's borrow totals (one-borrower or many), for expected debts and shares. */
export class BorrowBook {
  tba = 0n;
  tbs = 0n;
  /** Borrow by assets: shares minted rounded up. */
  borrow(assets: bigint): bigint {
    const shares = toSharesUp(assets, this.tba, this.tbs);
    this.tba += assets;
    this.tbs += shares;
    return shares;
  }
  debt(shares: bigint): bigint {
    return toAssetsUp(shares, this.tba, this.tbs);
  }
  /** A liquidation repaying `repaid` of a position holding `posShares`; returns the shares burned. */
  liquidate(repaid: bigint, posShares: bigint): bigint {
    const full = this.debt(posShares) === repaid;
    const burned = full ? posShares : min(toSharesDown(repaid, this.tba, this.tbs), posShares);
    this.tbs -= burned;
    this.tba = zeroFloorSub(this.tba, repaid);
    return burned;
  }
  /** Bad debt of a position left without collateral: its debt rounded up, capped at the total. */
  writeOff(posShares: bigint): bigint {
    const amount = min(toAssetsUp(posShares, this.tba, this.tbs), this.tba);
    this.tbs -= posShares;
    this.tba -= amount;
    return amount;
  }
}

/** alice supplies 100,000 USDC; carol posts `col` WETH and borrows `debt` USDC (at $2000 in the fixture); returns
 * the borrow mirror and carol's debt shares. */
export async function openWeth(f: Fx, col: bigint, debt: bigint) {
  const { core, id, alice, carol } = f;
  await core.connect(alice).supply(id, 100_000n * 10n ** 6n, 0, alice.address);
  await core.connect(carol).supplyCollateral(id, 0, col, carol.address);
  await core.connect(carol).borrow(id, debt, 0, carol.address, carol.address);
  const book = new BorrowBook();
  const shares = book.borrow(debt);
  return { book, shares };
}

/** Mirror of the bad-debt waterfall: reserves, then the fund up to maxDraw (premium owed netted first), then
 * socialized. `maxDraw` is the fund's cap for this event (computed by the caller from its own mirror). */
export function waterfall(amount: bigint, reserves: bigint, premiumOwed: bigint, maxDraw: bigint) {
  const fromReserves = min(amount, reserves);
  const rest = amount - fromReserves;
  const fromInsurance = min(rest, maxDraw);
  const fromPremium = min(fromInsurance, premiumOwed);
  return { fromReserves, fromInsurance, fromPremium, socialized: rest - fromInsurance };
}

/** The fund's per-event and window caps on what the core holds for it (`held`: its parked cash and premium, which
 * is all a draw reaches): min(held x perEvent, (held + drawn) x share - drawn), rounded down. */
export function fundMaxDraw(held: bigint, drawnInWindow = 0n, perEvent = 3n * 10n ** 17n, share = 5n * 10n ** 17n) {
  return fundLimits({ balance: 0n, drawnInWindow, maxDrawPerEvent: perEvent, windowShare: share }, held).maxDraw;
}

/** Signer number `i` of the node, minted 1e30 of each fixture token and approved for the core. */
export async function fundedSigner(f: Fx, i: number) {
  const s = (await ethers.getSigners())[i]!;
  const coreAddr = await f.core.getAddress();
  for (const t of [f.usdc, f.weth, f.wbtc]) {
    await (await t.token.mint(s.address, 10n ** 30n)).wait();
    await (await t.token.connect(s).approve(coreAddr, ethers.MaxUint256)).wait();
  }
  return s;
}

/** OpenZeppelin ERC4626 with a 6-decimal offset: assets for shares, rounded down. */
export const fundAssetsDown = (shares: bigint, totalAssets: bigint, supply: bigint): bigint =>
  mulDivDown(shares, totalAssets + 1n, supply + 10n ** 6n);
/** OpenZeppelin ERC4626 with a 6-decimal offset: shares for assets, rounded down. */
export const fundSharesDown = (assets: bigint, totalAssets: bigint, supply: bigint): bigint =>
  mulDivDown(assets, supply + 10n ** 6n, totalAssets + 1n);

/** Moves the chain to `seconds` past the start of the next day-long bucket and re-dates every feed. */
export async function alignToDay(f: Fx, seconds = 10n): Promise<bigint> {
  const now = BigInt(await time.latest());
  const t = (now / 86400n + 1n) * 86400n + seconds;
  await time.setNextBlockTimestamp(t);
  await refreshFeeds(f);
  return t;
}

/**
 * Two suppliers with equal deposits of 50,000 (alice, bob); carol borrows 15,000 against 10 WETH; WETH falls from
 * $2000 to $1000, so a full liquidation leaves bad debt (no fund stake, no reserves: the loss is the suppliers').
 * Used by the exit-fairness suite and the review's flag regressions.
 */
export async function twoSuppliersCrashFixture() {
  const f = await zeroRateFixture();
  await (await f.core.connect(f.alice).supply(f.id, 50_000n * U, 0, f.alice.address)).wait();
  await (await f.core.connect(f.bob).supply(f.id, 50_000n * U, 0, f.bob.address)).wait();
  await (await f.core.connect(f.carol).supplyCollateral(f.id, 0, 10n * E, f.carol.address)).wait();
  await (await f.core.connect(f.carol).borrow(f.id, 15_000n * U, 0, f.carol.address, f.carol.address)).wait();
  await setPrice(f.weth, "1000");
  return f;
}
