/**
 * One read of everything the economic properties need (EconomicsProbe), decoded, and the value of an actor in a
 * common unit.
 */
import type { MarketState } from "../../sdk/math";
import { DECIMALS, EconEnv } from "./econ-world";
import { rpc } from "./world";

export interface Account {
  supplyShares: bigint;
  borrowShares: bigint;
  shortfall: bigint;
  col: [bigint, bigint];
  bal: bigint[]; // USDC, WETH, WBTC
  fundValue: bigint; // previewRedeem of the fund shares
  fundShares: bigint;
  estimate: bigint | null; // shortfall estimate now; null: no valid price
}

export interface Snap {
  ts: bigint;
  /** The market's totals (the SDK's shape, without its clock fields) and the uncovered pending shortfall. */
  m: Omit<MarketState, "lastUpdate" | "liquidationGraceUntil" | "flaggedPositions"> & { uncovered: bigint };
  f: {
    gross: bigint;
    totalAssets: bigint;
    totalSupply: bigint;
    maxDraw: bigint;
    drawn: bigint;
    perEvent: bigint;
    windowShare: bigint;
  };
  acc: Account[];
  prices: bigint[]; // feed answers, 8 decimals
}

const NO_PRICE = (1n << 256n) - 1n;

/** Reads the chain at block time `ts` (the suite sets every block's time). */
export async function readSnap(env: EconEnv, ts: bigint): Promise<Snap> {
  const data = env.probe.interface.encodeFunctionData("read", [
    env.coreAddr,
    env.id,
    env.fundAddr,
    env.accounts,
    env.tokenAddrs,
    env.feedAddrs,
    env.borrowers.map((b) => env.accounts[b]!),
  ]);
  const ret = await rpc<string>("eth_call", [{ to: env.probeAddr, data }, "latest"]);
  const r = (env.probe.interface.decodeFunctionResult("read", ret)[0] as bigint[]).map((x) => BigInt(x));
  let k = 0;
  const next = () => r[k++]!;
  const m = {
    totalSupplyAssets: next(),
    totalSupplyShares: next(),
    totalBorrowAssets: next(),
    totalBorrowShares: next(),
    reserves: next(),
    premiumOwed: next(),
    pendingShortfall: next(),
    uncovered: next(),
  };
  const f = {
    gross: next(),
    totalAssets: next(),
    totalSupply: next(),
    maxDraw: next(),
    drawn: next(),
    perEvent: next(),
    windowShare: next(),
  };
  const acc: Account[] = env.accounts.map(() => ({
    supplyShares: next(),
    borrowShares: next(),
    shortfall: next(),
    col: [next(), next()],
    bal: env.tokenAddrs.map(() => next()),
    fundValue: next(),
    fundShares: next(),
    estimate: null,
  }));
  const prices = env.feedAddrs.map(() => next());
  for (const b of env.borrowers) {
    const e = next();
    acc[b]!.estimate = e === NO_PRICE ? null : e;
  }
  return { ts, m, f, acc, prices };
}

/** Value unit: 1e-26 USD, so every token amount times its 8-decimal price is an exact integer. */
export const VALUE_SCALE = 26;
export const valueOf = (amount: bigint, token: number, prices: bigint[]): bigint =>
  amount * prices[token]! * 10n ** BigInt(VALUE_SCALE - 8 - DECIMALS[token]!);
/** One USDC base unit in value units (at $1). */
export const USDC_UNIT = 10n ** BigInt(VALUE_SCALE - 8 - 6) * 10n ** 8n;

/** What `shares` of supply would withdraw now: the core's own answer (eth_call), else the share formula. */
export async function supplyExitValue(env: EconEnv, s: Snap, who: number): Promise<bigint> {
  const shares = s.acc[who]!.supplyShares;
  if (shares === 0n) return 0n;
  const a = env.accounts[who]!;
  try {
    const data = env.core.interface.encodeFunctionData("withdraw", [env.id, 0n, shares, a, a]);
    const ret = await rpc<string>("eth_call", [{ from: a, to: env.coreAddr, data }, "latest"]);
    return env.core.interface.decodeFunctionResult("withdraw", ret)[0] as bigint;
  } catch {
    const assets = s.m.totalSupplyAssets > s.m.uncovered ? s.m.totalSupplyAssets - s.m.uncovered : 0n;
    return (shares * (assets + 1n)) / (s.m.totalSupplyShares + 10n ** 6n);
  }
}

/** An actor's value: wallet tokens at the oracle price, supply at its exit value, fund shares at previewRedeem;
 * `pos` is the part the loss pricing moves (supply and fund shares). */
export async function actorValue(env: EconEnv, s: Snap, who: number): Promise<{ all: bigint; pos: bigint }> {
  const a = s.acc[who]!;
  let wallet = 0n;
  a.bal.forEach((b, t) => (wallet += valueOf(b, t, s.prices)));
  const pos = valueOf((await supplyExitValue(env, s, who)) + a.fundValue, 0, s.prices);
  return { all: wallet + pos, pos };
}
