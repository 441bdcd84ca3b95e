/**
 * Creates a Uniswap v3 pool of a collateral against a loan asset and seeds it with concentrated liquidity set by
 * one figure, `depthUsd2Pct`: the dollars of loan asset that selling collateral takes out of the pool while moving
 * its price down 2% (at the initial price). The liquidity is one position of constant L between initialPrice /
 * rangeFactor and initialPrice x rangeFactor: as the price falls, the dollars per 2% fall with sqrt(price), and
 * outside the range there is no liquidity at all.
 */
import { Contract, MaxUint256, type Signer } from "ethers";
import { uniswapAt, type UniswapDeployment } from "./contracts";
import {
  amountsForLiquidity,
  liquidityForDepth,
  rawPrice,
  sortTokens,
  sqrtPriceX96,
  tickFor,
  TICK_SPACING,
} from "./math";

const ERC20 = [
  "function approve(address,uint256) returns (bool)",
  "function mint(address,uint256)",
  "function decimals() view returns (uint8)",
];

export interface PoolSide {
  token: string;
  decimals: number;
  /** USD (or the market's unit of account) per whole token at seeding. */
  usd: number;
}

export interface SeedPoolArgs {
  collateral: PoolSide;
  loan: PoolSide;
  /** Dollars that move the collateral's pool price 2% down. */
  depthUsd2Pct: number;
  /** Fee tier (500, 3000, 10000). Default 3000. */
  fee?: number;
  /** The position covers [price / rangeFactor, price x rangeFactor]. Default 20. */
  rangeFactor?: number;
  /** Mint the two amounts to the signer first (test tokens with open minting). Default true. */
  mintTokens?: boolean;
}

export interface SeededPool {
  pool: string;
  fee: number;
  token0: string;
  token1: string;
  loanIsToken1: boolean;
  liquidity: bigint;
  tickLower: number;
  tickUpper: number;
}

/** Creates (or reuses) the pool, initializes it at the USD ratio and adds the position. */
export async function seedPool(uni: UniswapDeployment, signer: Signer, a: SeedPoolArgs): Promise<SeededPool> {
  const fee = a.fee ?? 3000;
  const spacing = TICK_SPACING[fee];
  if (!spacing) throw new Error(`fee tier ${fee} is not one of ${Object.keys(TICK_SPACING).join(", ")}`);
  if (!(a.depthUsd2Pct > 0)) throw new Error(`depthUsd2Pct must be positive, got ${a.depthUsd2Pct}`);
  const [token0, token1] = sortTokens(a.collateral.token, a.loan.token);
  const loanIsToken1 = token1 === a.loan.token;
  const [s0, s1] = loanIsToken1 ? [a.collateral, a.loan] : [a.loan, a.collateral];
  const raw = rawPrice(s0.usd, s0.decimals, s1.usd, s1.decimals);
  const factory = uniswapAt("factory", uni.factory, signer);
  const npm = uniswapAt("positionManager", uni.positionManager, signer);
  await (await npm.getFunction("createAndInitializePoolIfNecessary")(token0, token1, fee, sqrtPriceX96(raw))).wait();
  const pool = (await factory.getFunction("getPool")(token0, token1, fee)) as string;
  const range = Math.log(a.rangeFactor ?? 20) / Math.log(1.0001);
  const tick = Math.log(raw) / Math.log(1.0001);
  const tickLower = tickFor(1.0001 ** (tick - range), spacing);
  const tickUpper = tickFor(1.0001 ** (tick + range), spacing) + spacing;
  const L = liquidityForDepth({
    depthUsd: a.depthUsd2Pct,
    raw,
    loanIsToken1,
    loanUsd: a.loan.usd,
    loanDecimals: a.loan.decimals,
  });
  const [amount0, amount1] = amountsForLiquidity(L, raw, tickLower, tickUpper);
  const me = await signer.getAddress();
  for (const [token, amount] of [
    [token0, amount0],
    [token1, amount1],
  ] as const) {
    const erc20 = new Contract(token, ERC20, signer);
    if (a.mintTokens ?? true) await (await erc20.getFunction("mint")(me, amount)).wait();
    await (await erc20.getFunction("approve")(uni.positionManager, MaxUint256)).wait();
  }
  const params = [token0, token1, fee, tickLower, tickUpper, amount0, amount1, 0n, 0n, me, MaxUint256];
  await (await npm.getFunction("mint")(params)).wait();
  const liquidity = (await uniswapAt("pool", pool, signer).getFunction("liquidity")()) as bigint;
  return { pool, fee, token0, token1, loanIsToken1, liquidity, tickLower, tickUpper };
}
