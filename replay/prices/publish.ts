/**
 * Publishes one price step's rounds into the pending price block: each feed's new round (a primary feed under a
 * `primaryDies` stress starts reverting at its time while its fallback keeps publishing), and the sequencer's
 * status changes under a sequencer stress. Feed rounds go at a 4 gwei tip.
 */
import type { MockV3Aggregator } from "../../typechain-types/@chainlink/contracts/src/v0.8/tests/MockV3Aggregator";
import type { MockFeed } from "../../typechain-types";
import { sendFrom } from "../util";
import type { Round } from "./feed";
import type { SimAsset, SimContext, Stress } from "../types";

export type StepRound = { asset: SimAsset; round: Round };

const TIP = 4n * 10n ** 9n;

async function publishOne(ctx: SimContext, stress: Stress, r: StepRound, t: number, chainT: number): Promise<void> {
  const { asset, round } = r;
  const feed = asset.feed;
  if ("updateRoundData" in feed) {
    const data = (feed as MockV3Aggregator).interface.encodeFunctionData("updateRoundData", [
      asset.roundId,
      round.answer,
      chainT,
      chainT,
    ]);
    await sendFrom(await ctx.deployer.getAddress(), await feed.getAddress(), data, TIP);
  } else {
    const dies = stress.primaryDies;
    if (dies && t >= dies.at) {
      if (!(await (feed as MockFeed).reverts())) await (feed as MockFeed).setReverts(true, { gasLimit: 100_000n });
    } else {
      await (feed as MockFeed).set(round.answer, chainT, { gasLimit: 200_000n });
    }
    await asset.fallbackFeed!.updateRoundData(asset.roundId, round.answer, chainT, chainT, { gasLimit: 200_000n });
  }
  asset.roundId++;
}

export async function publishRounds(ctx: SimContext, stress: Stress, rounds: StepRound[], t: number): Promise<void> {
  const chainT = t + ctx.offset;
  for (const r of rounds) await publishOne(ctx, stress, r, t, chainT);
  if (stress.sequencer && ctx.sequencer) {
    const s = stress.sequencer;
    if (t === s.downAt) await ctx.sequencer.set(1, chainT, { gasLimit: 100_000n });
    if (t === s.upAt) await ctx.sequencer.set(0, chainT, { gasLimit: 100_000n });
  }
}

/** Every data time with a round (plus the sequencer's and the caller's extra times), with its rounds. */
export function stepsOf(assets: SimAsset[], stress: Stress, extra: number[] = []): Map<number, StepRound[]> {
  const byTime = new Map<number, StepRound[]>();
  for (const asset of assets) {
    for (const round of asset.rounds) {
      const list = byTime.get(round.time) ?? [];
      list.push({ asset, round });
      byTime.set(round.time, list);
    }
  }
  const more = stress.sequencer ? [stress.sequencer.downAt, stress.sequencer.upAt, ...extra] : extra;
  for (const t of more) if (!byTime.has(t)) byTime.set(t, []);
  return new Map([...byTime.entries()].sort((x, y) => x[0] - y[0]));
}
