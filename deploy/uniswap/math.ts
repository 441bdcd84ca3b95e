/**
 * Uniswap v3 price and liquidity arithmetic for seeding and steering pools (JavaScript numbers where the result
 * is a target, bigints where it is an on-chain amount). Deterministic: the same inputs give the same integers.
 *
 * Prices are "raw": token1 base units per token0 base unit, the way a pool stores them (sqrtPriceX96 = sqrt(raw) x 2^96).
 */
export const Q96 = 2n ** 96n;
export const MIN_TICK = -887272;
export const MAX_TICK = 887272;
/** Sqrt prices a swap may not reach (TickMath.MIN_SQRT_RATIO + 1 and MAX_SQRT_RATIO - 1). */
export const MIN_SQRT_LIMIT = 4295128739n + 1n;
export const MAX_SQRT_LIMIT = 1461446703485210103287273052203988822378723970342n - 1n;
/** Tick spacing of each standard fee tier (UniswapV3Factory 1.0.1 constructor). */
export const TICK_SPACING: Record<number, number> = { 500: 10, 3000: 60, 10000: 200 };
/** The price move `depthUsd2Pct` is defined over: selling collateral lowers its pool price by 2%. */
export const DEPTH_MOVE = 0.02;

/** Token order of a pool: token0 is the lower address. */
export function sortTokens(a: string, b: string): [string, string] {
  return BigInt(a) < BigInt(b) ? [a, b] : [b, a];
}

/** Raw pool price (token1 base units per token0 base unit) from USD prices and decimals. */
export function rawPrice(usd0: number, dec0: number, usd1: number, dec1: number): number {
  return (usd0 / usd1) * 10 ** (dec1 - dec0);
}

/** sqrtPriceX96 of a raw price, clamped inside the range a swap may reach. */
export function sqrtPriceX96(raw: number): bigint {
  const s = BigInt(Math.floor(Math.sqrt(raw) * 2 ** 96));
  if (s < MIN_SQRT_LIMIT) return MIN_SQRT_LIMIT;
  if (s > MAX_SQRT_LIMIT) return MAX_SQRT_LIMIT;
  return s;
}

/** Raw price of a sqrtPriceX96. */
export function priceOfSqrt(sqrtX96: bigint): number {
  const s = Number(sqrtX96) / 2 ** 96;
  return s * s;
}

/** Tick at or below a raw price, rounded down to `spacing`, clamped to the usable range. */
export function tickFor(raw: number, spacing: number): number {
  const t = Math.floor(Math.log(raw) / Math.log(1.0001));
  const lo = Math.ceil(MIN_TICK / spacing) * spacing;
  const hi = Math.floor(MAX_TICK / spacing) * spacing;
  return Math.min(hi, Math.max(lo, Math.floor(t / spacing) * spacing));
}

/**
 * Liquidity L such that selling collateral into the pool until its price falls by DEPTH_MOVE pays
 * `depthUsd` of the loan asset: loan out = L x (1 - sqrt(1 - DEPTH_MOVE)) x (sqrtP if the loan is token1, else 1/sqrtP).
 */
export function liquidityForDepth(p: {
  depthUsd: number;
  raw: number;
  loanIsToken1: boolean;
  loanUsd: number;
  loanDecimals: number;
}): bigint {
  const s = Math.sqrt(p.raw);
  const perL = (1 - Math.sqrt(1 - DEPTH_MOVE)) * (p.loanIsToken1 ? s : 1 / s);
  const loanRaw = (p.depthUsd / p.loanUsd) * 10 ** p.loanDecimals;
  return BigInt(Math.floor(loanRaw / perL));
}

/** Token amounts (rounded up) that hold liquidity L between two ticks at a raw price inside them. */
export function amountsForLiquidity(L: bigint, raw: number, tickLower: number, tickUpper: number): [bigint, bigint] {
  const s = Math.sqrt(raw);
  const sa = Math.sqrt(1.0001 ** tickLower);
  const sb = Math.sqrt(1.0001 ** tickUpper);
  const l = Number(L);
  const a0 = s < sb ? l * (1 / Math.max(s, sa) - 1 / sb) : 0;
  const a1 = s > sa ? l * (Math.min(s, sb) - sa) : 0;
  // 0.1% more than needed: the position manager mints the liquidity the scarcer amount allows.
  return [BigInt(Math.ceil(a0 * 1.001)) + 1n, BigInt(Math.ceil(a1 * 1.001)) + 1n];
}
