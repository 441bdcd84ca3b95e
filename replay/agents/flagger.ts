/**
 * The flagger: flags every position the keeper's observation finds short (and clears those that recovered), in
 * every block, ahead of withdrawals; it never liquidates. It also checkpoints adapters that have a fallback feed.
 * Off when the run replays without flags.
 */
import { Keeper } from "../../keeper/keeper";
import type { AgentFactory, AgentSpec } from "./agent";

export const flagger: AgentFactory = async (run) => {
  const { ctx } = run;
  const k = new Keeper({
    core: ctx.core,
    marketId: ctx.id,
    startBlock: ctx.fromBlock,
    fireAndForget: true,
    rawSend: true,
    signer: ctx.flagger,
    mode: "flash",
    flag: run.flag,
    gasLimit: 500_000n,
    flagTip: 3n * 10n ** 9n,
    maxLiquidationsPerTick: 0,
    checkpointAdapters: await Promise.all(
      ctx.collaterals.filter((c) => c.fallbackFeed).map((c) => c.adapter.getAddress()),
    ),
    log: run.opts.keeperLog,
  });
  return {
    name: "flagger",
    drives: true,
    act: async ({ view, health }) => (await k.act(view, health)).sent.map((s) => s.hash),
  };
};

export const agent: AgentSpec = { order: 20, make: flagger };
