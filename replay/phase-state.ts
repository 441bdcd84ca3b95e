/**
 * The market's state at the end of each phase (a UTC day of data time) for the app's risk charts: the collateral
 * the core holds for the market per collateral (token base units), its value at the oracle's last round of the
 * phase, the total debt and the total supply (loan base units), as stored on chain after the phase's last block.
 */
import { lastRoundOf } from "./util";
import type { RunState } from "./state";
import type { PhaseEnd } from "./types";

/** Value in the oracle's unit (USD; ETH in the stETH market) of `amount` base units at a feed answer, in cents. */
function cents(amount: bigint, decimals: number, answer: bigint, feedDecimals: number): bigint {
  return (amount * answer * 100n) / 10n ** BigInt(decimals + feedDecimals);
}

/** Reads the market at the chain's latest block; `t` is the data time of the phase's last price step. */
export async function phaseEnd(run: RunState, t: number): Promise<PhaseEnd> {
  const { ctx } = run;
  const m = await ctx.core.market(ctx.id);
  const collateral: Record<string, bigint> = {};
  let value = 0n;
  for (let i = 0; i < ctx.collaterals.length; i++) {
    const c = ctx.collaterals[i]!;
    const held = (await ctx.core.collateral(ctx.id, i)).totalSupplied;
    collateral[c.spec.symbol] = held;
    const round = lastRoundOf(c, t);
    if (round) value += cents(held, c.spec.decimals, round.answer, c.spec.rule.decimals);
  }
  return {
    collateral,
    collateralValueUsd: Number(value) / 100,
    debt: m.totalBorrowAssets,
    supply: m.totalSupplyAssets,
  };
}

/** Records the end state of the phase holding data time `t`. */
export async function closePhase(run: RunState, t: number): Promise<void> {
  run.tally.phaseOf(t).end = await phaseEnd(run, t);
}
