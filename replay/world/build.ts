/**
 * Builds the world a replay runs in: the protocol (world/deploy.ts), the venue (world/venue.ts: real Uniswap v3
 * pools seeded by depth), the FlashLiquidator, the seeded people (world/seed.ts) and the arbitrageur's capital,
 * then accrues `warmupDays` of interest. Blocks are stamped deterministically throughout (world/clock.ts).
 */
import { ethers } from "hardhat";
import { FlashLiquidator__factory } from "../../typechain-types";
import { deployAsset, deployMarket, deployProtocolCore, deploySequencer } from "./deploy";
import { deployVenue } from "./venue";
import { firstUsd, planPopulation } from "./population";
import { seedBorrowers, seedInsurance, seedSuppliers } from "./seed";
import { pinTimestamps } from "./clock";
import { deployReader } from "./reader";
import { DEFAULT_ARBITRAGEUR, fundArbitrageur } from "../agents/arbitrageur";
import { fmtUnits, rpc } from "../util";
import type { EpisodeSpec, RunParams } from "../episodes";
import type { PriceDriver } from "../prices/rounds";
import type { Signer } from "ethers";
import type { SimContext, SimOptions, Stress } from "../types";

/** Accounts: deployer, keeper, flagger, staker, 7 suppliers, arbitrageur, exchange. */
async function accounts() {
  const [deployer, keeperSigner, flagger, staker, ...rest] = await ethers.getSigners();
  if (!deployer || !keeperSigner || !flagger || !staker || rest.length < 9) throw new Error("need 13 accounts");
  return { deployer, keeperSigner, flagger, staker, suppliers: rest.slice(0, 7), arb: rest[7]!, cex: rest[8]! };
}

/** The contracts: protocol, assets and their feeds, the market, the venue, the liquidator and the batch reader. */
async function deployContracts(
  deployer: Signer,
  keeper: string,
  ep: EpisodeSpec,
  params: RunParams,
  stress: Stress,
  driver: PriceDriver,
) {
  const core = await deployProtocolCore(deployer);
  const sequencer = await deploySequencer(deployer, stress);
  const loan = await deployAsset(deployer, ep.loan, driver.loanRounds, stress, sequencer);
  const collaterals = [];
  for (let i = 0; i < ep.collaterals.length; i++)
    collaterals.push(await deployAsset(deployer, ep.collaterals[i]!, driver.colRounds[i]!, stress, sequencer));
  const { id, fund, minLeftover } = await deployMarket(deployer, core, ep, params, loan, collaterals);
  const venue = await deployVenue(deployer, {
    loan: { spec: loan.spec, token: await loan.token.getAddress(), usd: firstUsd(loan) },
    collaterals: await Promise.all(
      collaterals.map(async (c) => ({ spec: c.spec, token: await c.token.getAddress(), usd: firstUsd(c) })),
    ),
    depthOf: (spec) => params.depthUsd2Pct ?? spec.depthUsd2Pct ?? 2_000_000,
    rangeOf: (spec) => spec.poolRange ?? 20,
    fee: Math.round((params.swapFee ?? 0.003) * 1e6),
  });
  const liquidator = await new FlashLiquidator__factory(deployer).deploy(core, keeper);
  await liquidator.waitForDeployment();
  const reader = await deployReader(deployer);
  return { core, sequencer, loan, collaterals, id, fund, minLeftover, venue, liquidator, reader };
}

type Contracts = Awaited<ReturnType<typeof deployContracts>>;
type Accounts = Awaited<ReturnType<typeof accounts>>;

/** Suppliers, insurance, the arbitrageur's capital and the borrowers. */
async function seedPeople(w: Contracts, acc: Accounts, ep: EpisodeSpec, params: RunParams, opts: SimOptions) {
  const { core, id, loan, collaterals } = w;
  const risks = await Promise.all(collaterals.map((_, i) => core.collateral(id, i)));
  const pop = planPopulation(opts.borrowers, opts.seed ?? 42, loan, collaterals, risks, w.minLeftover);
  const { suppliers, supplyTotal } = await seedSuppliers(core, id, loan, acc.suppliers, pop.borrowTotal, params);
  const stake = await seedInsurance(w.fund, loan, acc.staker, supplyTotal, params);
  const arbSpec = { ...DEFAULT_ARBITRAGEUR, ...params.arbitrageur };
  const capital = await fundArbitrageur(arbSpec, w.venue, loan, collaterals, acc.arb, acc.cex);
  const borrowers = await seedBorrowers(acc.deployer, core, id, collaterals, pop);
  const dec = ep.loan.decimals;
  opts.progress?.(
    `${ep.name}: seeded ${borrowers.length} borrowers (debt ${fmtUnits(pop.borrowTotal, dec)}), ` +
      `supply ${fmtUnits(supplyTotal, dec)}, insurance ${fmtUnits(stake, dec)}`,
  );
  return { suppliers, borrowers, arbitrageur: { signer: acc.arb, spec: arbSpec, cex: acc.cex.address, capital } };
}

/** Deploys and seeds everything; `ctx.mine` mines the replay's blocks at explicit chain times. */
export async function buildWorld(ep: EpisodeSpec, params: RunParams, opts: SimOptions, driver: PriceDriver) {
  const acc = await accounts();
  const clock = await pinTimestamps();
  await rpc("evm_setBlockGasLimit", ["0x" + (2n * 10n ** 9n).toString(16)]);
  const fromBlock = (await ethers.provider.getBlockNumber()) + 1;
  const w = await deployContracts(acc.deployer, acc.keeperSigner.address, ep, params, opts.stress ?? {}, driver);
  const people = await seedPeople(w, acc, ep, params, opts);
  const warm = Math.round((params.warmupDays ?? 30) * 86400);
  if (warm > 0) {
    await clock.skip(warm);
    await (await w.core.accrueInterest(w.id)).wait();
  }
  clock.release();
  const latest = (await ethers.provider.getBlock("latest"))!;
  const ctx: SimContext = {
    ...w,
    ...people,
    deployer: acc.deployer,
    keeperSigner: acc.keeperSigner,
    flagger: acc.flagger,
    swapper: w.venue.swapper,
    staker: acc.staker,
    offset: latest.timestamp + 120 - driver.start,
    fromBlock,
    lastMined: latest.timestamp,
    mine: async (chainTime: number) => {
      const ts = Math.max(chainTime, ctx.lastMined + 1);
      await rpc("evm_mine", [ts]);
      ctx.lastMined = ts;
    },
  };
  return { ctx, startTimestamp: latest.timestamp };
}
