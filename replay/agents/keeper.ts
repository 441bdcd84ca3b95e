/**
 * The keeper: liquidates through the FlashLiquidator, selling on the Uniswap pools, every `keeperEvery` price
 * steps. Before each liquidation it quotes the pool (agents/keeper-quote.ts) and skips what would not pay after
 * slippage, fee and gas at the stated gas price. Its observation of the chain (positions tracked from events,
 * valued off-chain) is the one every agent sees. Price errors that stop it are counted per reason.
 */
import { wad } from "../../scripts/lib/protocol";
import type { Keeper, TickResult } from "../../keeper/keeper";
import { BatchKeeper } from "./batch-keeper";
import { uniswapVet } from "./keeper-quote";
import { lastPriceOf } from "../util";
import type { RunState } from "../state";
import type { AgentFactory, AgentSpec } from "./agent";

/** Loan base units per ETH for the gas cost: the WETH series when the episode has one, else a stated price. */
function loanPerEth(run: RunState): bigint {
  const { ctx, params } = run;
  const unit = 10 ** ctx.loan.spec.decimals;
  if (ctx.loan.spec.symbol === "WETH") return BigInt(unit);
  const weth = ctx.collaterals.find((c) => c.spec.symbol === "WETH");
  const usd = weth ? Number(lastPriceOf(weth, ctx.lastDataTime ?? 0)) : (params.ethUsdForGas ?? 2000);
  return BigInt(Math.round(usd * unit));
}

/** The liquidating keeper, created before the agents (it is also the replay's observer). */
export async function makeKeeper(run: RunState): Promise<Keeper> {
  const { ctx, params } = run;
  run.quote = uniswapVet(ctx.venue, params.gasPriceGwei ?? 50, () => loanPerEth(run));
  return new BatchKeeper(
    {
      core: ctx.core,
      marketId: ctx.id,
      startBlock: ctx.fromBlock,
      fireAndForget: true,
      rawSend: true,
      signer: ctx.keeperSigner,
      mode: "flash",
      liquidator: ctx.liquidator,
      swapper: await ctx.swapper.getAddress(),
      swapFee: wad(String(params.swapFee ?? 0.003)),
      vet: run.quote.vet,
      flag: false,
      gasLimit: 2_500_000n,
      liquidationTip: 1n * 10n ** 9n,
      maxLiquidationsPerTick: params.keeperMaxPerTick,
      log: run.opts.keeperLog,
    },
    ctx.reader,
  );
}

function countHalts(run: RunState, res: TickResult): void {
  for (const f of res.skipped) {
    const why = f.reason.split("(")[0]!;
    if (why.includes("price invalid")) run.priceHalts[why] = (run.priceHalts[why] ?? 0) + 1;
  }
  if (res.view.priceErrors.length && res.health.some((h) => h.invalid)) {
    for (const e of res.view.priceErrors) {
      const name = e.split(": ")[1]?.split("(")[0] ?? e;
      run.priceHalts[name] = (run.priceHalts[name] ?? 0) + 1;
    }
  }
}

export const keeper: AgentFactory = async (run) => {
  const every = Math.max(1, run.params.keeperEvery ?? 1);
  return {
    name: "keeper",
    drives: true,
    act: async ({ k, view, health }) => {
      if (k % every !== 0) return [];
      const res = await run.keeper.act(view, health);
      countHalts(run, res);
      return res.sent.map((s) => s.hash);
    },
  };
};

export const agent: AgentSpec = { order: 40, make: keeper };
