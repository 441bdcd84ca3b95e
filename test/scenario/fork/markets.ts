/**
 * The markets an episode replays in: market 1 of deploy/config/mainnet.ts (USDC borrowed against WETH and WBTC,
 * sold through the WETH/USDC 0.05% and WBTC/USDC 0.3% pools the config names), and, for the USDC depeg of March 2023,
 * a USDT market against USDC collateral that governance lists through the timelock (deploy/config/mainnet.ts has no
 * such market): the mainnet USDT and USDC adapters deployed by Ignition, market 2's caps, minimums, factors and
 * rates, usdc-2023-03's risk parameters (replay/episodes.ts), and its own insurance fund.
 */
import { ZeroHash } from "ethers";
import { InsuranceFund__factory, TimelockController__factory, type InsuranceFund } from "../../../typechain-types";
import { episode } from "../../../replay/episodes";
import { MAINNET, type FeedName, type TokenName } from "../../../replay/mainnet";
import { parseAmount, parseDecimal } from "../../../deploy/config/validate";
import { USDC_MARKET, type ForkWorld } from "./world";
import { post, wait } from "./oracle-setup";

export interface ForkMarket {
  id: bigint;
  loan: TokenName;
  loanFeed: FeedName;
  /** Collaterals by symbol: index in the market, feed, and the fee tier of its pool against the loan asset. */
  collaterals: Record<string, { index: number; feed: FeedName; fee: number }>;
  fund: InsuranceFund;
}

const FEED_OF: Record<string, FeedName> = { WETH: "ETH/USD", WBTC: "BTC/USD", USDC: "USDC/USD", USDT: "USDT/USD" };

/** ASSUMPTION (stated): the USDC/USDT pool the listed market's liquidations sell through is the 0.05% tier. */
export const USDC_USDT_FEE = 500;

/** Market 1 of deploy/config/mainnet.ts, with the pools the config names. */
export function usdcMarket(w: ForkWorld): ForkMarket {
  const m = w.config.markets[0]!;
  const collaterals: ForkMarket["collaterals"] = {};
  m.collaterals.forEach((c, index) => {
    const pool = w.config.uniswap?.pools.find((p) => p.collateral === c.asset && p.loan === m.loan);
    if (pool) collaterals[c.asset] = { index, feed: FEED_OF[c.asset]!, fee: pool.fee };
  });
  return { id: USDC_MARKET, loan: "USDC", loanFeed: "USDC/USD", collaterals, fund: w.fund };
}

/** The createMarket parameters of the USDT market against USDC (see the file header). */
function usdtMarketParams(w: ForkWorld) {
  const m2 = w.config.markets[1]!;
  const c = episode("usdc-2023-03").collaterals[0]!;
  const r = (v: string) => parseDecimal(v, 18)!;
  const usdt = (v: string) => parseAmount(v, MAINNET.tokens.USDT.decimals)!;
  return {
    loanToken: MAINNET.tokens.USDT.address,
    loanAdapter: w.adapters.USDT!.target as string,
    supplyCap: usdt(m2.supplyCap),
    borrowCap: usdt(m2.borrowCap),
    minBorrow: usdt(m2.minBorrow),
    minLeftover: usdt(m2.minLeftover),
    reserveFactor: r(m2.reserveFactor),
    insurancePremiumFactor: r(m2.insurancePremiumFactor),
    rateModel: {
      baseRate: r(m2.rateModel.baseRate),
      slope1: r(m2.rateModel.slope1),
      slope2: r(m2.rateModel.slope2),
      targetUtilization: r(m2.rateModel.targetUtilization),
    },
    collaterals: [
      {
        token: MAINNET.tokens.USDC.address,
        adapter: w.adapters.USDC!.target as string,
        ltv: r(c.ltv),
        liquidationThreshold: r(c.liquidationThreshold),
        liquidationBonus: r(c.liquidationBonus),
        supplyCap: parseAmount("50000000", MAINNET.tokens.USDC.decimals)!,
      },
    ],
  };
}

/** Lists the USDT market through the timelock (one batch: createMarket, setInsuranceFund; the mainnet delay). */
export async function listUsdtMarket(w: ForkWorld): Promise<ForkMarket> {
  const timelock = TimelockController__factory.connect(w.record.contracts.TimelockController!, w.s.proposer);
  const core = await w.core.getAddress();
  const id = (await w.core.marketCount()) + 1n;
  const fund = await new InsuranceFund__factory(w.s.deployer).deploy(
    MAINNET.tokens.USDT.address,
    core,
    id,
    await timelock.getAddress(),
    "Ballast Insurance USDT market (USDC collateral)",
    "bINS-USDT-USDC",
  );
  await fund.waitForDeployment();
  const calls = [
    w.core.interface.encodeFunctionData("createMarket", [usdtMarketParams(w)]),
    w.core.interface.encodeFunctionData("setInsuranceFund", [id, await fund.getAddress()]),
  ];
  const delay = await timelock.getMinDelay();
  await (await timelock.scheduleBatch([core, core], [0, 0], calls, ZeroHash, ZeroHash, delay)).wait();
  await wait(Number(delay));
  // createMarket reads both adapters' prices: the feeds' latest answers, re-dated after the wait.
  for (const f of ["USDC/USD", "USDT/USD"] as FeedName[]) await post(w, f, await w.feeds[f].latestAnswer());
  await (await timelock.executeBatch([core, core], [0, 0], calls, ZeroHash, ZeroHash)).wait();
  return {
    id,
    loan: "USDT",
    loanFeed: "USDT/USD",
    collaterals: { USDC: { index: 0, feed: "USDC/USD", fee: USDC_USDT_FEE } },
    fund,
  };
}
