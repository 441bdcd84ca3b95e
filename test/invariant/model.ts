/**
 * Reference model of the invariant suite: the whole protocol state the suite can observe (market totals, positions,
 * loss totals, configuration, token balances, the insurance fund's storage, feeds and time), and a transition for
 * every operation that predicts, from the state before it, whether the call succeeds or which custom error it
 * reverts with, and the exact state after it. All arithmetic is the SDK's (sdk/math.ts), which mirrors the
 * contracts' roundings; the order of checks mirrors BallastCore, LiquidationLogic, InsuranceFund and the adapters.
 */
import {
  WAD,
  PRICE_SCALE,
  MarketState,
  RateModel,
  accrueMarketDetailed,
  toSharesDown,
  toSharesUp,
  toAssetsDown,
  toAssetsUp,
  mulDivDown,
  min,
  zeroFloorSub,
  valuation,
  maxBorrow,
  shortfallEstimate,
  liquidationAmounts,
  uncoveredShortfall,
  drawBounds,
  fundExitKeepsCover,
  setFlag,
  fundLimits,
  supplyPricing,
  cash,
  debtOf as debtOfShares,
  PAUSE,
  MAX_UINT256,
  MAX_TOTAL,
  MAX_SUPPLY_ASSETS,
} from "../../sdk/math";

export const MAX_UINT128 = (1n << 128n) - 1n;

// ------------------------------------------------------------------------------------------------ state

export interface Feed {
  answer: bigint;
  updatedAt: bigint;
}

/** A ChainlinkPriceAdapter over one MockV3Aggregator (no fallback, no sequencer). */
export interface AdapterCfg {
  maxAge: bigint;
  minPrice: bigint; // WAD, USD per whole token
  maxPrice: bigint;
  toWad: bigint; // 10^(18 - feed decimals)
  wadToPrice: bigint; // 10^(18 - token decimals)
}

export interface Pos {
  supplyShares: bigint;
  borrowShares: bigint;
  shortfall: bigint;
  collateral: bigint[];
}

export interface ColState {
  token: number;
  totalSupplied: bigint;
  protocolBalance: bigint;
  ltv: bigint;
  liquidationThreshold: bigint;
  liquidationBonus: bigint;
  supplyCap: bigint;
}

export interface Loss {
  badDebtRealized: bigint;
  fromReserves: bigint;
  fromInsurance: bigint;
  socialized: bigint;
}

export interface Cfg {
  paused: number;
  supplyCap: bigint;
  borrowCap: bigint;
  minBorrow: bigint;
  minLeftover: bigint;
  reserveFactor: bigint;
  insurancePremiumFactor: bigint;
  closeFactorHfThreshold: bigint;
  protocolBonusShare: bigint;
  liquidationGracePeriod: bigint;
  rateModel: RateModel;
  reserveFloor: bigint;
}

export interface MarketModel {
  id: bigint;
  loan: number; // token index
  hasFund: boolean;
  m: MarketState;
  loss: Loss;
  cfg: Cfg;
  cols: ColState[];
  pos: Pos[]; // by user index
}

export interface FundModel {
  totalSupply: bigint;
  bucketIndex: bigint;
  currentBucket: bigint;
  previousBucket: bigint;
  shares: bigint[];
  cooling: bigint[]; // shares in cooldown (the snapshot of InsuranceFund.cooldown(shares))
  cooldownStart: bigint[];
  // governance parameters (not changed by the fuzzer)
  maxDrawPerEvent: bigint;
  windowShare: bigint;
  windowLength: bigint;
  cooldown: bigint;
  unstakeWindow: bigint;
}

export interface World {
  now: bigint; // timestamp of the last block
  markets: MarketModel[];
  tokenSupply: bigint[];
  balances: bigint[][]; // [token][holder]
  fund: FundModel; // insures markets[0]
  feeds: Feed[]; // by token
  adapters: AdapterCfg[]; // by token
}

/** Holder indexes: users 0..U-1, then these. */
export interface Layout {
  users: number;
  admin: number;
  outsider: number;
  core: number;
  fund: number;
}

export function clone<T>(x: T): T {
  return structuredClone(x);
}

// ------------------------------------------------------------------------------------------------ outcomes

export type Outcome = { ok: true } | { ok: false; error: string };
export const OK: Outcome = { ok: true };
export const err = (error: string): Outcome => ({ ok: false, error });

export class Revert extends Error {
  constructor(public readonly error: string) {
    super(error);
  }
}

/** Facts a step reports to the invariant checks. */
export interface StepFacts {
  badDebt?: {
    amount: bigint;
    fromReserves: bigint;
    fromInsurance: bigint;
    writtenOff: bigint;
    socialized: bigint;
    reservesBefore: bigint;
    maxDraw: bigint;
  };
  liquidation?: {
    repaid: bigint;
    seized: bigint;
    loanPrice: bigint;
    colPrice: bigint;
    bonus: bigint;
    unhealthy: boolean;
  };
  roundTrip?: { paidIn: bigint; paidOut: bigint; kind: string };
  oracleInvalid?: boolean; // a price the action needs is invalid
}

// ------------------------------------------------------------------------------------------------ prices

export const ORACLE_ERRORS = new Set([
  "StalePrice",
  "PriceOutOfBounds",
  "NonPositivePrice",
  "FeedReverted",
  "FuturePrice",
  "SequencerDown",
  "GracePeriodNotOver",
  "FallbackDeviationTooHigh",
  "NoFallbackReference",
]);

/** ChainlinkPriceAdapter.price() at `now`, or the error it reverts with. */
export function priceOf(w: World, token: number, now: bigint): bigint {
  const f = w.feeds[token]!;
  const a = w.adapters[token]!;
  if (f.answer <= 0n) throw new Revert("NonPositivePrice");
  const priceWad = f.answer * a.toWad;
  if (priceWad < a.minPrice || priceWad > a.maxPrice) throw new Revert("PriceOutOfBounds");
  if (f.updatedAt > now) throw new Revert("FuturePrice");
  if (f.updatedAt === 0n || now - f.updatedAt > a.maxAge) throw new Revert("StalePrice");
  return priceWad * a.wadToPrice;
}

export function priceValid(w: World, token: number, now: bigint): boolean {
  try {
    priceOf(w, token, now);
    return true;
  } catch {
    return false;
  }
}

/** Prices read by PositionLib.valuation, in its order: the loan asset, then each held collateral. */
function positionPrices(w: World, mk: MarketModel, pos: Pos, now: bigint): { loan: bigint; collaterals: bigint[] } {
  const loan = priceOf(w, mk.loan, now);
  const collaterals = mk.cols.map((c, i) => ((pos.collateral[i] ?? 0n) === 0n ? 0n : priceOf(w, c.token, now)));
  return { loan, collaterals };
}

const risks = (mk: MarketModel) =>
  mk.cols.map((c) => ({
    ltv: c.ltv,
    liquidationThreshold: c.liquidationThreshold,
    liquidationBonus: c.liquidationBonus,
  }));

const sdkPos = (p: Pos) => ({ borrowShares: p.borrowShares, collateral: p.collateral, shortfall: p.shortfall });

// ------------------------------------------------------------------------------------------------ fund

export function drawnInWindow(f: FundModel, now: bigint): bigint {
  const idx = now / f.windowLength;
  if (idx === f.bucketIndex) return f.currentBucket + f.previousBucket;
  if (idx === f.bucketIndex + 1n) return f.currentBucket;
  return 0n;
}

export function fundGross(w: World, L: Layout): bigint {
  const mk = w.markets[0]!;
  return w.balances[mk.loan]![L.fund]! + mk.m.premiumOwed;
}

/** The fund's state as the SDK takes it (balance, window, caps). */
export function fundState(w: World, L: Layout, now: bigint, extraGross = 0n) {
  const f = w.fund;
  return {
    balance: w.balances[w.markets[0]!.loan]![L.fund]! + extraGross,
    drawnInWindow: drawnInWindow(f, now),
    maxDrawPerEvent: f.maxDrawPerEvent,
    windowShare: f.windowShare,
  };
}

/** What InsuranceFund.coverLimited caps a draw on: the premiumOwed the core passes (parked cash and premium) and
 * the window, never the fund's own token balance (0 at rest: deposits and exits park it). */
function drawState(w: World, L: Layout, now: bigint) {
  return { ...fundState(w, L, now), balance: 0n };
}

export function fundMaxDraw(w: World, L: Layout, now: bigint, extraGross = 0n): bigint {
  return fundLimits(fundState(w, L, now, extraGross), w.markets[0]!.m.premiumOwed).maxDraw;
}

/** InsuranceFund.drawBounds of market 0. */
export function fundDrawBounds(w: World, L: Layout, now: bigint) {
  const m = w.markets[0]!.m;
  return drawBounds(m, fundLimits(fundState(w, L, now), m.premiumOwed), w.fund.maxDrawPerEvent);
}

/** InsuranceFund.expectedDraw: the most the pending shortfall can draw. */
export function fundExpectedDraw(w: World, L: Layout, now: bigint): bigint {
  return fundDrawBounds(w, L, now).most;
}

export function fundTotalAssets(w: World, L: Layout, now: bigint): bigint {
  return fundGross(w, L) - fundExpectedDraw(w, L, now);
}

function rollFund(f: FundModel, now: bigint): void {
  const idx = now / f.windowLength;
  if (idx === f.bucketIndex) return;
  f.previousBucket = idx === f.bucketIndex + 1n ? f.currentBucket : 0n;
  f.currentBucket = 0n;
  f.bucketIndex = idx;
}

export function marketMaxDraw(w: World, L: Layout, mi: number, now: bigint): bigint {
  return w.markets[mi]!.hasFund ? fundMaxDraw(w, L, now) : 0n;
}

/** BallastCore._uncovered: the most uncovered for an exit (the fund's least draw), the least for an entry. */
export function uncovered(w: World, L: Layout, mi: number, now: bigint, exit = true): bigint {
  const mk = w.markets[mi]!;
  if (!mk.hasFund) return uncoveredShortfall(mk.m, 0n);
  const b = fundDrawBounds(w, L, now);
  return uncoveredShortfall(mk.m, exit ? b.least : b.most);
}

// ------------------------------------------------------------------------------------------------ helpers

function transfer(w: World, token: number, from: number, to: number, amount: bigint): void {
  const b = w.balances[token]!;
  if (b[from]! < amount) throw new Revert("ERC20InsufficientBalance");
  b[from] = b[from]! - amount;
  b[to] = b[to]! + amount;
}

/** The core's `_accrue`: every action settles (lastUpdate = now); `accrueInterest` carries the unpaid seconds. */
export function accrue(w: World, mi: number, now: bigint, carry = false): void {
  const mk = w.markets[mi]!;
  const a = accrueMarketDetailed(mk.m, { ...mk.cfg, insuranceFund: mk.hasFund ? "fund" : null }, now, carry);
  mk.m = a.market;
}

function whenNotPaused(mk: MarketModel, flag: number): void {
  if ((mk.cfg.paused & flag) !== 0) throw new Revert("ActionPaused");
}

function checkOneOf(assets: bigint, shares: bigint): void {
  if ((assets === 0n) === (shares === 0n)) throw new Revert("InconsistentInput");
}

function u128(x: bigint): bigint {
  if (x > MAX_UINT128) throw new Revert("SafeCastOverflowedUintDowncast");
  return x;
}

/** The market's asset totals are uint96 (IBallastCore.Market). */
function u96(x: bigint): bigint {
  if (x > MAX_TOTAL) throw new Revert("SafeCastOverflowedUintDowncast");
  return x;
}

/** `total += shares.toUint120()` in the core: SafeCast's error for the shares, a checked-add panic for the sum. */
function addU120(total: bigint, shares: bigint): bigint {
  if (shares >= 1n << 120n) throw new Revert("SafeCastOverflowedUintDowncast");
  if (total + shares >= 1n << 120n) throw new Revert("Panic");
  return total + shares;
}

export function debtOf(mk: MarketModel, u: number): bigint {
  return debtOfShares(mk.m, mk.pos[u]!.borrowShares);
}

function setShortfall(mk: MarketModel, u: number, amount: bigint): void {
  const p = mk.pos[u]!;
  setFlag(mk.m, p.shortfall, amount);
  p.shortfall = amount;
}

/** PositionLib.shortfall at valid prices (throws the oracle error otherwise). */
function shortfallOf(w: World, mk: MarketModel, u: number, now: bigint) {
  const pos = mk.pos[u]!;
  const prices = positionPrices(w, mk, pos, now);
  const v = valuation(mk.m, sdkPos(pos), risks(mk), prices);
  return { ...shortfallEstimate(v, prices.loan), debt: v.debt };
}

/** BallastCore._refreshShortfall: best effort, never reverts. */
function refreshShortfall(w: World, mk: MarketModel, u: number, now: bigint): void {
  const pos = mk.pos[u]!;
  if (pos.borrowShares === 0n) return setShortfall(mk, u, 0n);
  try {
    setShortfall(mk, u, shortfallOf(w, mk, u, now).estimate);
  } catch (e) {
    if (!(e instanceof Revert)) throw e;
  }
}

function requireWithinLtv(w: World, mk: MarketModel, u: number, now: bigint): void {
  const pos = mk.pos[u]!;
  const v = valuation(mk.m, sdkPos(pos), risks(mk), positionPrices(w, mk, pos, now));
  if (v.debtValue > v.borrowPower) throw new Revert("BorrowAboveLtv");
}

/** Whether the position is liquidatable (HF < 1) at valid prices now; null if a price is invalid. */
export function isUnhealthy(w: World, mk: MarketModel, u: number, now: bigint): boolean | null {
  const pos = mk.pos[u]!;
  if (pos.borrowShares === 0n) return false;
  try {
    const v = valuation(mk.m, sdkPos(pos), risks(mk), positionPrices(w, mk, pos, now));
    return v.liquidationValue < v.debtValue;
  } catch {
    return null;
  }
}

/** Whether the position is within its borrow LTV at valid prices (null if a price is invalid). */
export function withinLtv(w: World, mk: MarketModel, u: number, now: bigint): boolean | null {
  const pos = mk.pos[u]!;
  if (pos.borrowShares === 0n) return true;
  try {
    const v = valuation(mk.m, sdkPos(pos), risks(mk), positionPrices(w, mk, pos, now));
    return v.debtValue <= v.borrowPower;
  } catch {
    return null;
  }
}

/** Assets a borrow could take now by the liquidity check (stored totals). */
export function liquidity(w: World, mi: number): bigint {
  const m = w.markets[mi]!.m;
  return zeroFloorSub(m.totalSupplyAssets, m.totalBorrowAssets);
}

/** The largest borrow the LTV allows now (0 if a price is invalid), for sizing fuzzed borrows. */
export function borrowRoom(w: World, mi: number, u: number, now: bigint): bigint {
  const mk = clone(w.markets[mi]!);
  const m0 = clone(w);
  m0.markets[mi] = mk;
  accrue(m0, mi, now);
  const pos = mk.pos[u]!;
  try {
    const prices = positionPrices(m0, mk, pos, now);
    const v = valuation(mk.m, sdkPos(pos), risks(mk), prices);
    return maxBorrow(mk.m, sdkPos(pos), v, prices.loan);
  } catch {
    return 0n;
  }
}

// ------------------------------------------------------------------------------------------------ core operations
// Each mutates `w` (a clone owned by the caller) as the contract would, or throws Revert before any write the
// caller keeps (the caller discards the clone on a revert, as the EVM does).

export function supply(w: World, L: Layout, mi: number, u: number, assets: bigint, shares: bigint, now: bigint): void {
  const mk = w.markets[mi]!;
  whenNotPaused(mk, PAUSE.SUPPLY);
  checkOneOf(assets, shares);
  accrue(w, mi, now);
  const { totalAssets: ta, totalShares: ts } = supplyPricing(mk.m, uncovered(w, L, mi, now, false));
  if (assets > 0n) {
    shares = toSharesDown(assets, ta, ts);
    if (shares === 0n) throw new Revert("ZeroShares");
  } else {
    assets = toAssetsUp(shares, ta, ts);
  }
  const newTotal = mk.m.totalSupplyAssets + assets;
  if (newTotal > min(mk.cfg.supplyCap, MAX_SUPPLY_ASSETS)) throw new Revert("SupplyCapExceeded");
  mk.m.totalSupplyAssets = u96(newTotal);
  mk.m.totalSupplyShares = addU120(mk.m.totalSupplyShares, shares);
  mk.pos[u]!.supplyShares = u128(mk.pos[u]!.supplyShares + shares);
  transfer(w, mk.loan, u, L.core, assets);
}

/** Returns the assets paid out. */
export function withdraw(
  w: World,
  L: Layout,
  mi: number,
  u: number,
  assets: bigint,
  shares: bigint,
  now: bigint,
): bigint {
  const mk = w.markets[mi]!;
  whenNotPaused(mk, PAUSE.WITHDRAW);
  checkOneOf(assets, shares);
  accrue(w, mi, now);
  const { totalAssets: ta, totalShares: ts } = supplyPricing(mk.m, uncovered(w, L, mi, now));
  if (assets > 0n) shares = toSharesUp(assets, ta, ts);
  else assets = toAssetsDown(shares, ta, ts);
  const pos = mk.pos[u]!;
  if (shares > pos.supplyShares) throw new Revert("InsufficientBalance");
  pos.supplyShares -= shares;
  mk.m.totalSupplyShares -= shares;
  const supplied = mk.m.totalSupplyAssets;
  if (assets > supplied || mk.m.totalBorrowAssets > supplied - assets) throw new Revert("InsufficientLiquidity");
  mk.m.totalSupplyAssets = supplied - assets;
  transfer(w, mk.loan, L.core, u, assets);
  return assets;
}

export function supplyCollateral(
  w: World,
  L: Layout,
  mi: number,
  u: number,
  c: number,
  assets: bigint,
  now: bigint,
): void {
  const mk = w.markets[mi]!;
  whenNotPaused(mk, PAUSE.COLLATERAL_IN);
  if (c >= mk.cols.length) throw new Revert("InvalidCollateralIndex");
  if (assets === 0n) throw new Revert("ZeroAmount");
  const col = mk.cols[c]!;
  const newTotal = col.totalSupplied + assets;
  if (newTotal > col.supplyCap) throw new Revert("CollateralCapExceeded");
  const pos = mk.pos[u]!;
  // A collateral new to a position with debt needs a valid price (issue 13, finding 5).
  if (pos.collateral[c]! === 0n && pos.borrowShares !== 0n) priceOf(w, col.token, now);
  col.totalSupplied = u128(newTotal);
  pos.collateral[c] = u128(pos.collateral[c]! + assets);
  if (pos.shortfall !== 0n) refreshShortfall(w, mk, u, now); // stored (not accrued) totals, as the core
  transfer(w, col.token, u, L.core, assets);
}

export function withdrawCollateral(
  w: World,
  L: Layout,
  mi: number,
  u: number,
  c: number,
  assets: bigint,
  now: bigint,
): void {
  const mk = w.markets[mi]!;
  whenNotPaused(mk, PAUSE.COLLATERAL_OUT);
  if (c >= mk.cols.length) throw new Revert("InvalidCollateralIndex");
  if (assets === 0n) throw new Revert("ZeroAmount");
  accrue(w, mi, now);
  const pos = mk.pos[u]!;
  const bal = pos.collateral[c]!;
  if (assets > bal) throw new Revert("InsufficientBalance");
  pos.collateral[c] = bal - assets;
  mk.cols[c]!.totalSupplied -= assets;
  if (pos.borrowShares !== 0n) requireWithinLtv(w, mk, u, now);
  transfer(w, mk.cols[c]!.token, L.core, u, assets);
}

/** Returns [assets, shares]. */
export function borrow(
  w: World,
  L: Layout,
  mi: number,
  u: number,
  assets: bigint,
  shares: bigint,
  now: bigint,
): [bigint, bigint] {
  const mk = w.markets[mi]!;
  whenNotPaused(mk, PAUSE.BORROW);
  checkOneOf(assets, shares);
  accrue(w, mi, now);
  if (assets > 0n) shares = toSharesUp(assets, mk.m.totalBorrowAssets, mk.m.totalBorrowShares);
  else assets = toAssetsDown(shares, mk.m.totalBorrowAssets, mk.m.totalBorrowShares);
  const newBorrow = mk.m.totalBorrowAssets + assets;
  if (newBorrow > mk.cfg.borrowCap) throw new Revert("BorrowCapExceeded");
  if (newBorrow > mk.m.totalSupplyAssets) throw new Revert("InsufficientLiquidity");
  const pos = mk.pos[u]!;
  pos.borrowShares = u128(pos.borrowShares + shares);
  mk.m.totalBorrowShares = addU120(mk.m.totalBorrowShares, shares);
  mk.m.totalBorrowAssets = u96(newBorrow);
  const debt = toAssetsUp(pos.borrowShares, newBorrow, mk.m.totalBorrowShares);
  if (debt < mk.cfg.minBorrow) throw new Revert("DebtBelowMinimum");
  requireWithinLtv(w, mk, u, now);
  transfer(w, mk.loan, L.core, u, assets);
  return [assets, shares];
}

/** Returns the assets pulled from the payer. */
export function repay(
  w: World,
  L: Layout,
  mi: number,
  payer: number,
  u: number,
  assets: bigint,
  shares: bigint,
  now: bigint,
): bigint {
  const mk = w.markets[mi]!;
  checkOneOf(assets, shares);
  accrue(w, mi, now);
  const pos = mk.pos[u]!;
  const posShares = pos.borrowShares;
  if (posShares === 0n) throw new Revert("NoDebt");
  if (assets > 0n) {
    shares = toSharesDown(assets, mk.m.totalBorrowAssets, mk.m.totalBorrowShares);
    if (shares === 0n) throw new Revert("ZeroShares");
  } else {
    assets = toAssetsUp(shares, mk.m.totalBorrowAssets, mk.m.totalBorrowShares);
  }
  if (shares > posShares) throw new Revert("InsufficientBalance");
  const left = posShares - shares;
  pos.borrowShares = left;
  mk.m.totalBorrowShares -= shares;
  mk.m.totalBorrowAssets = zeroFloorSub(mk.m.totalBorrowAssets, assets);
  if (left !== 0n) {
    const debtLeft = toAssetsUp(left, mk.m.totalBorrowAssets, mk.m.totalBorrowShares);
    if (debtLeft < mk.cfg.minLeftover) throw new Revert("DebtBelowMinimum");
  }
  if (pos.shortfall !== 0n) refreshShortfall(w, mk, u, now);
  transfer(w, mk.loan, payer, L.core, assets);
  return assets;
}

export function liquidate(
  w: World,
  L: Layout,
  mi: number,
  liq: number,
  u: number,
  c: number,
  repayAssets: bigint,
  now: bigint,
  facts: StepFacts,
): void {
  const mk = w.markets[mi]!;
  if (repayAssets === 0n) throw new Revert("ZeroAmount");
  whenNotPaused(mk, PAUSE.LIQUIDATE);
  if (c >= mk.cols.length) throw new Revert("InvalidCollateralIndex");
  if (now < mk.m.liquidationGraceUntil) throw new Revert("LiquidationGracePeriod");
  accrue(w, mi, now);
  const pos = mk.pos[u]!;
  if (pos.borrowShares === 0n) throw new Revert("NoDebt");
  if (pos.collateral[c]! === 0n) throw new Revert("InsufficientBalance");
  let prices;
  try {
    prices = positionPrices(w, mk, pos, now);
  } catch (e) {
    facts.oracleInvalid = true;
    throw e;
  }
  const maxDraw = mk.hasFund ? fundMaxDraw(w, L, now) : null;
  const r = liquidationAmounts({
    market: mk.m,
    position: sdkPos(pos),
    risks: risks(mk),
    prices,
    index: c,
    repayAssets,
    closeFactorHfThreshold: mk.cfg.closeFactorHfThreshold,
    minLeftover: mk.cfg.minLeftover,
    protocolBonusShare: mk.cfg.protocolBonusShare,
    fundMaxDraw: maxDraw,
    fund: mk.hasFund ? drawState(w, L, now) : undefined,
  });
  if (!r.ok) throw new Revert(r.error.name);
  const reservesBefore = mk.m.reserves;
  mk.m = r.marketAfter;
  pos.borrowShares = r.positionAfter.borrowShares;
  pos.collateral = r.positionAfter.collateral;
  pos.shortfall = r.positionAfter.shortfall;
  const col = mk.cols[c]!;
  col.protocolBalance += r.protocolSeized;
  col.totalSupplied -= r.seized;
  facts.liquidation = {
    repaid: r.repaid,
    seized: r.seized,
    loanPrice: prices.loan,
    colPrice: prices.collaterals[c]!,
    bonus: col.liquidationBonus,
    unhealthy: true,
  };
  if (r.badDebt) {
    const b = r.badDebt;
    mk.loss.badDebtRealized += b.amount;
    mk.loss.fromReserves += b.fromReserves;
    mk.loss.fromInsurance += b.fromInsurance;
    mk.loss.socialized += b.socialized;
    facts.badDebt = { ...b, reservesBefore, maxDraw: maxDraw ?? 0n };
    const drawn = b.fromInsurance - b.writtenOff; // premium written off first is never drawn
    if (drawn !== 0n) {
      // InsuranceFund.coverLimited: roll, count. The fund's cash is parked in the core (premiumOwed), so the draw
      // lowered premiumOwed by all of it (fromPremium == drawn) and no token moves.
      if (b.fromPremium !== drawn) throw new Error(`model: a draw of ${drawn} not all from premiumOwed`);
      rollFund(w.fund, now);
      w.fund.currentBucket += drawn;
    }
  }
  // Interactions: collateral to the receiver (the liquidator), then the repaid assets from the liquidator.
  transfer(w, col.token, L.core, liq, r.seized - r.protocolSeized);
  transfer(w, mk.loan, liq, L.core, r.repaid);
}

export function flagShortfall(w: World, mi: number, u: number, now: bigint, facts: StepFacts): void {
  const mk = w.markets[mi]!;
  accrue(w, mi, now);
  if (mk.pos[u]!.borrowShares === 0n) throw new Revert("NoDebt");
  let s;
  try {
    s = shortfallOf(w, mk, u, now);
  } catch (e) {
    facts.oracleInvalid = true;
    throw e;
  }
  if (s.estimate === 0n) throw new Revert("NotShort");
  setShortfall(mk, u, s.estimate);
}

export function clearShortfall(w: World, mi: number, u: number, now: bigint): void {
  const mk = w.markets[mi]!;
  accrue(w, mi, now);
  const pos = mk.pos[u]!;
  if (pos.shortfall === 0n) throw new Revert("NotFlagged");
  if (pos.borrowShares !== 0n) {
    const s = shortfallOf(w, mk, u, now);
    if (s.estimate !== 0n) throw new Revert("StillShort");
  }
  setShortfall(mk, u, 0n);
}

/** BallastCore.claimPremium called by `caller`: only the market's fund may (`NotInsuranceFund`, after the accrual,
 * which the revert undoes). It is paid what the core holds for it, premiumOwed, as far as the market's cash allows. */
export function claimPremium(w: World, L: Layout, mi: number, caller: number, now: bigint): void {
  const mk = w.markets[mi]!;
  accrue(w, mi, now);
  if (!mk.hasFund || caller !== L.fund) throw new Revert("NotInsuranceFund");
  const claimed = min(mk.m.premiumOwed, cash(mk.m));
  if (claimed === 0n) return;
  mk.m.premiumOwed -= claimed;
  transfer(w, mk.loan, L.core, L.fund, claimed);
}

/** BallastCore.storeFund by the fund of market 0 (InsuranceFund.park): its whole token balance joins premiumOwed,
 * within the supply bound. Nothing when the balance is 0. */
export function park(w: World, L: Layout): void {
  const mk = w.markets[0]!;
  const idle = w.balances[mk.loan]![L.fund]!;
  if (idle === 0n) return;
  if (mk.m.premiumOwed + idle > MAX_SUPPLY_ASSETS) throw new Revert("SupplyCapExceeded");
  mk.m.premiumOwed += idle;
  transfer(w, mk.loan, L.fund, L.core, idle);
}

export function withdrawReserves(w: World, L: Layout, mi: number, amount: bigint, now: bigint): void {
  const mk = w.markets[mi]!;
  accrue(w, mi, now);
  const r = mk.m.reserves;
  if (amount > r || r - amount < mk.cfg.reserveFloor) throw new Revert("ReserveFloorBreached");
  if (amount > cash(mk.m)) throw new Revert("InsufficientLiquidity");
  mk.m.reserves = r - amount;
  transfer(w, mk.loan, L.core, L.admin, amount);
}

// ------------------------------------------------------------------------------------------------ insurance fund

export function stake(w: World, L: Layout, u: number, assets: bigint, now: bigint): void {
  const f = w.fund;
  const m0 = w.markets[0]!.m; // stored values, as the fund reads them
  if (m0.pendingShortfall > m0.reserves) throw new Revert("DepositDuringShortfall");
  const shares = mulDivDown(assets, f.totalSupply + 10n ** 6n, fundTotalAssets(w, L, now) + 1n);
  transfer(w, w.markets[0]!.loan, u, L.fund, assets);
  f.totalSupply += shares;
  f.shares[u] = f.shares[u]! + shares;
  park(w, L); // the new cash is parked in the core
}

/** InsuranceFund.cooldown(shares). */
export function cooldown(w: World, u: number, shares: bigint, now: bigint): void {
  if (shares === 0n) throw new Revert("NothingToStake");
  if (shares > w.fund.shares[u]!) throw new Revert("CooldownSharesExceeded");
  w.fund.cooling[u] = shares;
  w.fund.cooldownStart[u] = now;
}

function checkUnlocked(f: FundModel, u: number, shares: bigint, now: bigint): void {
  if (f.cooling[u]! === 0n) throw new Revert("CooldownNotStarted");
  const opensAt = f.cooldownStart[u]! + f.cooldown;
  if (now < opensAt) throw new Revert("CooldownNotElapsed");
  if (now > opensAt + f.unstakeWindow) throw new Revert("UnstakeWindowExpired");
  if (shares > f.cooling[u]!) throw new Revert("CooldownSharesExceeded");
}

/** InsuranceFund.redeem(shares, u, u); returns the assets paid. */
export function unstake(w: World, L: Layout, u: number, shares: bigint, now: bigint): bigint {
  const f = w.fund;
  const mk = w.markets[0]!;
  checkUnlocked(f, u, shares, now);
  accrue(w, 0, now, true); // the fund's accrueInterest: the exit is priced on the market accrued to now
  const assets = mulDivDown(shares, fundTotalAssets(w, L, now) + 1n, f.totalSupply + 10n ** 6n);
  // The cover is checked on what the core holds for the fund before any cash moves, then the fund claims.
  if (!fundExitKeepsCover(mk.m, fundState(w, L, now), assets)) throw new Revert("ExitLowersCover");
  if (w.balances[mk.loan]![L.fund]! < assets) claimPremium(w, L, 0, L.fund, now); // the fund's own claim
  if (w.balances[mk.loan]![L.fund]! < assets) throw new Revert("FundCashShort");
  if (shares > f.shares[u]!) throw new Revert("ERC4626ExceededMaxRedeem");
  f.shares[u] = f.shares[u]! - shares;
  f.totalSupply -= shares;
  f.cooling[u] = f.cooling[u]! - shares;
  if (f.cooling[u] === 0n) f.cooldownStart[u] = 0n;
  transfer(w, mk.loan, L.fund, u, assets);
  park(w, L); // what the claim brought in beyond the payout goes back to the core
  return assets;
}

// ------------------------------------------------------------------------------------------------ governance

export function setPaused(w: World, mi: number, paused: number, now: bigint): void {
  const mk = w.markets[mi]!;
  if ((paused & PAUSE.REPAY) !== 0) throw new Revert("RepayCannotBePaused");
  if ((paused & ~0x77) !== 0) throw new Revert("ParameterOutOfBounds");
  if ((paused & PAUSE.COLLATERAL_IN) !== 0 && (paused & PAUSE.LIQUIDATE) === 0) {
    throw new Revert("LiquidationWithoutCure");
  }
  if ((mk.cfg.paused & PAUSE.LIQUIDATE) !== 0 && (paused & PAUSE.LIQUIDATE) === 0) {
    mk.m.liquidationGraceUntil = now + mk.cfg.liquidationGracePeriod;
  }
  mk.cfg.paused = paused;
}

/** ConstantsLib.CUT_UNIT: factors and thresholds carry at most 9 decimals. */
const CUT_UNIT = 10n ** 9n;

export function checkCollateralRisk(ltv: bigint, lt: bigint, bonus: bigint): void {
  if (lt > (WAD * 95n) / 100n || lt === 0n || lt % CUT_UNIT !== 0n) throw new Revert("ParameterOutOfBounds");
  if (ltv >= lt) throw new Revert("ParameterOutOfBounds");
  if (bonus > WAD / 5n) throw new Revert("ParameterOutOfBounds");
  if ((lt * (WAD + bonus) + WAD - 1n) / WAD >= WAD) throw new Revert("ParameterOutOfBounds");
}

export function checkFactors(rf: bigint, pf: bigint): void {
  if (rf > WAD / 2n || pf > WAD / 2n || rf % CUT_UNIT !== 0n || pf % CUT_UNIT !== 0n) {
    throw new Revert("ParameterOutOfBounds");
  }
}

export function checkRateModel(r: RateModel): void {
  if (r.baseRate > WAD || r.slope1 > 10n * WAD || r.slope2 > 10n * WAD) throw new Revert("ParameterOutOfBounds");
  if (r.targetUtilization < WAD / 100n || r.targetUtilization > (WAD * 99n) / 100n) {
    throw new Revert("ParameterOutOfBounds");
  }
}

export function checkLiquidationParams(cf: bigint, share: bigint, grace: bigint): void {
  if (cf < WAD / 2n || cf > WAD) throw new Revert("ParameterOutOfBounds");
  if (share > WAD / 2n) throw new Revert("ParameterOutOfBounds");
  if (grace > 4n * 3600n) throw new Revert("ParameterOutOfBounds");
}

export { PRICE_SCALE, WAD, MAX_UINT256, toAssetsDown, toAssetsUp, min, cash as marketCash };
