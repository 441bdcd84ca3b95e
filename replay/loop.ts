/**
 * The replay loop. Per price step at data time t (chain time t + offset):
 *   the price block (t):       the feeds' new rounds, the arbitrageur re-aligning the pools with the real price;
 *   follow-up blocks (t+1...): every agent acts on the keeper's observation (flagger, leavers, keeper; the
 *                              arbitrageur first, repairing what the last block's sales did), while an agent that
 *                              drives has something to do (at most `passes` blocks).
 * A step whose prices only rose, after an observation that found nothing liquidatable, short or flagged, is not
 * observed (interest alone moves health far less than a round; the next falling round catches it).
 * Automine is off and blocks are mined at explicit times, so a run is deterministic.
 */
import { WAD } from "../sdk/math";
import { ethers } from "hardhat";
import { publishRounds, stepsOf, type StepRound } from "./prices/publish";
import { chartPoint } from "./chart";
import { fmtUnits, lastPriceOf, rpc } from "./util";
import { closePhase } from "./phase-state";
import { phaseName } from "./tally";
import type { Agent } from "./agents/agent";
import type { RunState } from "./state";

interface LoopState {
  quiet: boolean;
  lastAnswer: Map<unknown, bigint>;
  chartEvery: number;
  lastChartStep: number;
}

/** Checks the receipts of the transactions sent since the last call (counts reverts). */
export async function collect(run: RunState): Promise<void> {
  for (const h of run.pending.splice(0)) {
    const r = await ethers.provider.getTransactionReceipt(h);
    if (!r) throw new Error(`transaction ${h} not mined`);
    if (r.status !== 1) run.failedTx++;
  }
}

function notePrices(run: RunState, rounds: StepRound[], t: number): void {
  const ph = run.tally.phaseOf(t);
  for (const c of run.ctx.collaterals) {
    const last = [...rounds].reverse().find((r) => r.asset === c);
    if (!last) continue;
    const p = Number(last.round.price);
    const cur = ph.price[c.spec.symbol];
    ph.price[c.spec.symbol] = { close: p, min: cur ? Math.min(cur.min, p) : p };
  }
}

function risingOnly(run: RunState, ls: LoopState, rounds: StepRound[]): boolean {
  const rising =
    ls.quiet &&
    rounds.length > 0 &&
    rounds.every(({ asset, round }) => {
      const prev = ls.lastAnswer.get(asset);
      return prev !== undefined && (asset === run.ctx.loan ? round.answer <= prev : round.answer >= prev);
    });
  for (const { asset, round } of rounds) ls.lastAnswer.set(asset, round.answer);
  return rising && !run.opts.onStep;
}

/** The price block of step k. */
async function priceBlock(run: RunState, agents: Agent[], k: number, t: number, rounds: StepRound[]) {
  const { ctx } = run;
  ctx.lastDataTime = t;
  await publishRounds(ctx, run.stress, rounds, t);
  for (const a of agents) if (a.onPriceBlock) run.pending.push(...(await a.onPriceBlock(k, t)));
  await ctx.mine(t + ctx.offset);
  run.blocks++;
  notePrices(run, rounds, t);
  if (run.opts.onStep) {
    const step = { index: k, dataTime: t, chainTime: t + ctx.offset };
    await run.opts.onStep(ctx, {
      ...step,
      rounds: rounds.map((r) => ({ symbol: r.asset.spec.symbol, round: r.round })),
    });
  }
}

/** Follow-up blocks of step k: observe, let every agent act, mine, until no driving agent sends anything. */
async function followUps(run: RunState, agents: Agent[], ls: LoopState, k: number, t: number) {
  const passes = run.opts.passes ?? 3;
  for (let pass = 0; pass <= passes; pass++) {
    const { view, health } = await run.keeper.observe();
    run.tally.add(run.keeper.lastLogs, t);
    ls.quiet =
      view.priceErrors.length === 0 &&
      health.every((h) => !h.invalid && h.hf >= WAD && h.shortfall === 0n && h.flagged === 0n);
    if (pass === 0 && (k - ls.lastChartStep >= ls.chartEvery || health.some((h) => h.hf < WAD))) {
      run.chart.push(await chartPoint(run, view, t));
      ls.lastChartStep = k;
    }
    const sent = new Map<Agent, string[]>();
    for (const a of agents.filter((x) => x.drives)) sent.set(a, await a.act({ k, t, pass, view, health }));
    if (![...sent.values()].some((h) => h.length > 0)) break;
    for (const a of agents.filter((x) => !x.drives)) sent.set(a, await a.act({ k, t, pass, view, health }));
    for (const h of sent.values()) run.pending.push(...h);
    await run.ctx.mine(t + run.ctx.offset + pass + 1);
    run.blocks++;
    await collect(run);
    for (const a of agents) if (a.afterBlock) await a.afterBlock(t);
  }
}

/** Replays every step of the episode; returns the number of steps. */
export async function replaySteps(run: RunState, agents: Agent[]): Promise<number> {
  const steps = stepsOf([run.ctx.loan, ...run.ctx.collaterals], run.stress, run.opts.extraSteps);
  const ls: LoopState = {
    quiet: false,
    lastAnswer: new Map(),
    chartEvery: Math.max(1, Math.floor(steps.size / 500)),
    lastChartStep: -Infinity,
  };
  const times = [...steps.keys()];
  const main = run.ctx.collaterals[0]!;
  await rpc("evm_setAutomine", [false]);
  try {
    for (let k = 0; k < times.length; k++) {
      const t = times[k]!;
      const rounds = steps.get(t)!;
      if (k > 0 && phaseName(t) !== phaseName(times[k - 1]!)) await closePhase(run, times[k - 1]!);
      await priceBlock(run, agents, k, t, rounds);
      if (!risingOnly(run, ls, rounds)) await followUps(run, agents, ls, k, t);
      if (k % 50 === 0 || k === times.length - 1) {
        run.opts.progress?.(
          `  [${run.flag ? "flags" : "no flags"}] step ${k + 1}/${times.length} ${new Date(t * 1000).toISOString().slice(0, 16)} ` +
            `${main.spec.symbol} ${lastPriceOf(main, t)} liquidations ${run.tally.liquidations} bad debt ${fmtUnits(run.tally.cum.badDebt, run.ep.loan.decimals)}`,
        );
      }
    }
    await run.keeper.sync();
    await collect(run);
    const last = times[times.length - 1] ?? run.driver.end;
    run.tally.add(run.keeper.lastLogs, last);
    await closePhase(run, last);
  } finally {
    await rpc("evm_setAutomine", [true]);
  }
  return times.length;
}
