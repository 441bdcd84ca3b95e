/**
 * A crash replay on the EVM, end to end: builds the world (protocol, real Uniswap v3 pools, seeded borrowers,
 * suppliers and insurance; world/), replays the episode's real prices through Chainlink-like feeds with the agents
 * acting in every block (agents/, loop.ts), checks the accounting invariants (checks.ts) and returns the result
 * (outcome.ts). Unless disabled, it replays the same seeded state again without flags, for the fairness comparison.
 */
import { ethers } from "hardhat";
import { DEFAULT_PARAMS, episode as getEpisode, type RunParams } from "./episodes";
import { priceDriver, type PriceDriver } from "./prices/rounds";
import { buildWorld } from "./world/build";
import { HF_DISTRIBUTION } from "./world/population";
import { makeKeeper } from "./agents/keeper";
import { AGENTS } from "./agents";
import { replaySteps } from "./loop";
import { tokenSnapshot, type StartPoint } from "./checks";
import { runResult } from "./outcome";
import { Tally } from "./tally";
import { rpc } from "./util";
import { canRunInChild, replayWithoutFlagsInChild } from "./parallel";
import type { EpisodeSpec } from "./episodes";
import type { RunState } from "./state";
import type { RunResult, SimContext, SimOptions, SimResult } from "./types";
import { lossTotals } from "../sdk/losses";

export { HF_BANDS, HF_DISTRIBUTION } from "./world/population";
export { fmtUnits } from "./util";
export type * from "./types";

async function startPoint(ctx: SimContext): Promise<StartPoint> {
  const l = await lossTotals(ctx.core, ctx.id);
  return {
    startBlock: (await ethers.provider.getBlockNumber()) + 1,
    supplyAtStart: (await ctx.core.market(ctx.id)).totalSupplyAssets,
    lossAtStart: {
      badDebtRealized: l.badDebtRealized,
      fromReserves: l.fromReserves,
      fromInsurance: l.fromInsurance,
      socialized: l.socialized,
    },
    tokens: await tokenSnapshot(ctx),
  };
}

/** One replay of the episode from the world's current state. */
async function replayOnce(
  ctx: SimContext,
  ep: EpisodeSpec,
  params: RunParams,
  opts: SimOptions,
  driver: PriceDriver,
  flag: boolean,
): Promise<RunResult> {
  const run = { ctx, ep, params, opts, driver, flag, stress: opts.stress ?? {} } as RunState;
  Object.assign(run, { chart: [], priceHalts: {}, pending: [], failedTx: 0, blocks: 0 });
  run.keeper = await makeKeeper(run);
  ctx.keeper = run.keeper;
  const agents = [];
  for (const make of AGENTS) agents.push(await make(run));
  if (opts.beforeReplay) await opts.beforeReplay(ctx);
  const start = await startPoint(ctx);
  run.tally = new Tally(start.startBlock);
  const steps = await replaySteps(run, agents);
  return runResult(run, start, steps);
}

/** The venue and the agents' stated parameters, as the report gives them. */
function liquidityOf(ctx: SimContext, params: RunParams): SimResult["liquidity"] {
  return {
    venue: "uniswap-v3",
    pools: ctx.venue.pools.map((p) => ({ pair: p.pair, depthUsd2Pct: p.depthUsd2Pct })),
    arbitrageur: ctx.arbitrageur.spec,
    keeperEveryBlocks: Math.max(1, params.keeperEvery ?? 1),
    gasPriceGwei: params.gasPriceGwei ?? 50,
  };
}

/** The comparison replay without flags from the seeded state (snapshot taken before the main replay). */
async function replayAgain(w: World, snapshot: string): Promise<RunResult> {
  await rpc("evm_revert", [snapshot]);
  w.ctx.lastMined = w.startTimestamp;
  for (const a of [w.ctx.loan, ...w.ctx.collaterals]) a.roundId = 1n;
  w.opts.progress?.(`${w.ep.name}: replaying again without flags (fairness comparison)`);
  return replayOnce(w.ctx, w.ep, w.params, w.opts, w.driver, false);
}

interface World {
  ctx: SimContext;
  startTimestamp: number;
  ep: EpisodeSpec;
  params: RunParams;
  opts: SimOptions;
  driver: PriceDriver;
}

/**
 * Runs one episode and, unless disabled, the same episode without flags from the same seeded state: in a second
 * process at the same time when `opts.parallel` allows (replay/parallel.ts), else after the main replay.
 */
export async function runEpisode(opts: SimOptions): Promise<SimResult> {
  const t0 = Date.now();
  const ep = typeof opts.episode === "string" ? getEpisode(opts.episode) : opts.episode;
  const params: RunParams = { ...DEFAULT_PARAMS, ...(opts.params ?? {}) };
  const flag = opts.flag ?? true;
  const compare = opts.compareWithoutFlags ?? true;
  if (opts.fresh) await rpc("hardhat_reset");
  const inChild = compare && flag && canRunInChild(opts) ? replayWithoutFlagsInChild(opts) : undefined;
  inChild?.catch(() => undefined); // awaited below; no unhandled rejection while the main replay runs
  const driver = priceDriver(ep, opts);
  const gasLimitBefore = (await ethers.provider.getBlock("latest"))!.gasLimit;
  const { ctx, startTimestamp } = await buildWorld(ep, params, opts, driver);
  const w: World = { ctx, startTimestamp, ep, params, opts, driver };
  const snapshot = (await rpc("evm_snapshot")) as string;
  const main = await replayOnce(ctx, ep, params, opts, driver, flag);
  let withoutFlags: RunResult | undefined;
  if (inChild) withoutFlags = await inChild;
  else if (compare && flag) withoutFlags = await replayAgain(w, snapshot);
  else if (compare) withoutFlags = main;
  await rpc("evm_setBlockGasLimit", ["0x" + gasLimitBefore.toString(16)]);
  return {
    episode: ep.name,
    title: ep.title,
    source: [...new Set(ep.collaterals.map((c) => c.file).filter((f): f is string => f !== null))],
    borrowers: opts.borrowers,
    params,
    hfDistribution: HF_DISTRIBUTION,
    main,
    withoutFlags,
    compared: compare || !flag,
    seconds: (Date.now() - t0) / 1000,
    liquidity: liquidityOf(ctx, params),
    ctx,
  };
}
