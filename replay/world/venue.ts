/**
 * The replay's DEX: the real Uniswap v3 contracts (deployed from the npm artifacts), one pool per collateral
 * against the loan asset seeded with `depthUsd2Pct` of liquidity, and the UniswapV3Swapper the FlashLiquidator
 * sells on. Also reads a pool's price in the loan asset per whole collateral token.
 */
import type { Signer } from "ethers";
import { network } from "hardhat";
import { UniswapV3Swapper__factory, type UniswapV3Swapper } from "../../typechain-types";
import { deployUniswap, uniswapArtifact, type UniswapDeployment } from "../../deploy/uniswap/contracts";
import { seedPool, type SeededPool } from "../../deploy/uniswap/pool";
import { priceOfSqrt } from "../../deploy/uniswap/math";
import { Interface } from "ethers";
import type { AssetSpec } from "../episodes";

export interface VenuePool extends SeededPool {
  symbol: string;
  pair: string;
  collateral: string;
  loan: string;
  colDecimals: number;
  loanDecimals: number;
  depthUsd2Pct: number;
}

export interface Venue {
  uni: UniswapDeployment;
  swapper: UniswapV3Swapper;
  pools: VenuePool[];
}

export interface VenueArgs {
  loan: { spec: AssetSpec; token: string; usd: number };
  collaterals: { spec: AssetSpec; token: string; usd: number }[];
  /** Depth per collateral symbol (dollars that move its pool 2%). */
  depthOf: (spec: AssetSpec) => number;
  fee: number;
  rangeOf: (spec: AssetSpec) => number;
}

/** Deploys Uniswap, seeds one pool per collateral and the swapper routing through them. */
export async function deployVenue(deployer: Signer, a: VenueArgs): Promise<Venue> {
  const uni = await deployUniswap(deployer, a.collaterals[0]!.token);
  const swapper = await new UniswapV3Swapper__factory(deployer).deploy(uni.factory, await deployer.getAddress());
  await swapper.waitForDeployment();
  const pools: VenuePool[] = [];
  for (const c of a.collaterals) {
    const depthUsd2Pct = a.depthOf(c.spec);
    const seeded = await seedPool(uni, deployer, {
      collateral: { token: c.token, decimals: c.spec.decimals, usd: c.usd },
      loan: { token: a.loan.token, decimals: a.loan.spec.decimals, usd: a.loan.usd },
      depthUsd2Pct,
      fee: a.fee,
      rangeFactor: a.rangeOf(c.spec),
    });
    await (await swapper.setPool(c.token, a.loan.token, a.fee)).wait();
    pools.push({
      ...seeded,
      symbol: c.spec.symbol,
      pair: `${c.spec.symbol}/${a.loan.spec.symbol}`,
      collateral: c.token,
      loan: a.loan.token,
      colDecimals: c.spec.decimals,
      loanDecimals: a.loan.spec.decimals,
      depthUsd2Pct,
    });
  }
  return { uni, swapper, pools };
}

let poolIface: Interface | undefined;

/** The pool's sqrtPriceX96 (one eth_call). */
export async function poolSqrt(pool: string): Promise<bigint> {
  poolIface ??= new Interface(uniswapArtifact("pool").abi);
  const ret = (await network.provider.request({
    method: "eth_call",
    params: [{ to: pool, data: poolIface.encodeFunctionData("slot0") }, "latest"],
  })) as string;
  return BigInt("0x" + ret.slice(2, 66));
}

/** Loan units per whole collateral token at a pool sqrt price. */
export function poolPrice(p: VenuePool, sqrt: bigint): number {
  const raw = priceOfSqrt(sqrt);
  const loanPerColRaw = p.loanIsToken1 ? raw : 1 / raw;
  return loanPerColRaw * 10 ** (p.colDecimals - p.loanDecimals);
}
