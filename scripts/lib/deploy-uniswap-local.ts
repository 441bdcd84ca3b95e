/**
 * Local networks: deploys the real Uniswap v3 contracts from the npm artifacts, seeds one pool per configured
 * pair at the mock feeds' prices with the configured `depthUsd2Pct`, and deploys a UniswapV3Swapper routing
 * through them and a FlashLiquidator owned by account #0, so the keeper's flash mode works on `npm run node`.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { FlashLiquidator__factory, UniswapV3Swapper__factory } from "../../typechain-types";
import type { NetworkDeployConfig } from "../../deploy/config";
import { deployUniswap, type UniswapDeployment } from "../../deploy/uniswap/contracts";
import { seedPool } from "../../deploy/uniswap/pool";
import type { Deployment } from "./deploy-output";

export interface LocalVenue {
  uniswap: UniswapDeployment;
  swapper: string;
  liquidator: string;
  pools: { pair: string; fee: number; pool: string; depthUsd2Pct: number }[];
}

export async function seedUniswapLocal(
  hre: HardhatRuntimeEnvironment,
  d: Deployment,
  config: NetworkDeployConfig,
): Promise<LocalVenue | undefined> {
  const u = config.uniswap;
  if (!u || u.kind !== "deploy") return undefined;
  const [deployer] = await hre.ethers.getSigners();
  if (!deployer) throw new Error("the node has no account #0");
  const address = (sym: string) => {
    const a = d.contracts[sym];
    if (!a) throw new Error(`the deployment has no ${sym} token for its Uniswap pool`);
    return a;
  };
  const asset = (sym: string) => {
    const a = config.assets.find((x) => x.symbol === sym);
    if (!a || a.feed.kind !== "mock") throw new Error(`${sym}: local pools need a mock-priced asset`);
    return { token: address(sym), decimals: a.token.decimals, usd: Number(a.feed.price) };
  };
  const uniswap = await deployUniswap(deployer, address("WETH"));
  const swapper = await new UniswapV3Swapper__factory(deployer).deploy(uniswap.factory, deployer.address);
  await swapper.waitForDeployment();
  const pools: LocalVenue["pools"] = [];
  for (const p of u.pools) {
    const depthUsd2Pct = p.depthUsd2Pct ?? 1_000_000;
    const seeded = await seedPool(uniswap, deployer, {
      collateral: asset(p.collateral),
      loan: asset(p.loan),
      depthUsd2Pct,
      fee: p.fee,
    });
    await (await swapper.setPool(address(p.collateral), address(p.loan), p.fee)).wait();
    pools.push({ pair: `${p.collateral}/${p.loan}`, fee: p.fee, pool: seeded.pool, depthUsd2Pct });
  }
  const liquidator = await new FlashLiquidator__factory(deployer).deploy(d.contracts.BallastCore!, deployer.address);
  await liquidator.waitForDeployment();
  return { uniswap, swapper: await swapper.getAddress(), liquidator: await liquidator.getAddress(), pools };
}

export function describeVenue(v: LocalVenue): string {
  return [
    `Uniswap v3 (npm artifacts): factory ${v.uniswap.factory}, QuoterV2 ${v.uniswap.quoter}, ` +
      `SwapRouter ${v.uniswap.router}, positions ${v.uniswap.positionManager}`,
    ...v.pools.map((p) => `  pool ${p.pair} ${p.fee / 10_000}% ${p.pool}: $${p.depthUsd2Pct} moves it 2%`),
    `Keeper flash mode: LIQUIDATOR=${v.liquidator} SWAPPER=${v.swapper} (owner: account #0)`,
  ].join("\n");
}

/**
 * The deployment record with the local venue in it (deployments/localhost.json): the swapper and the flash
 * liquidator by name, and the QuoterV2 and pools the keeper's flash mode quotes (`npm run keeper -- --mode flash`).
 */
export function withVenue(d: Deployment, v: LocalVenue, config: NetworkDeployConfig): Deployment {
  const pools = config.uniswap?.pools ?? [];
  return {
    ...d,
    contracts: { ...d.contracts, UniswapV3Swapper: v.swapper, FlashLiquidator: v.liquidator },
    uniswap: {
      factory: v.uniswap.factory,
      quoterV2: v.uniswap.quoter,
      pools: pools.map((p) => ({ collateral: p.collateral, loan: p.loan, fee: p.fee })),
    },
  };
}
