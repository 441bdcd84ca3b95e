/**
 * An episode's prices on the fork: the real series of ../shared/data (replay/prices) over a short crash window,
 * turned into Chainlink rounds by the episode's feed rules (replay/episodes.ts) and published to the replay
 * aggregators behind the real feed proxies. Only the collaterals the market lists are replayed; the loan asset (a USD
 * stablecoin) is pegged at 1 with heartbeat rounds (episodes.ts's stated assumption).
 */
import { network } from "hardhat";
import { episode as episodeSpec, type AssetSpec } from "../../../replay/episodes";
import { pricePoints, type PricePoint } from "../../../replay/prices/data";
import { constantRounds, roundsFor, type Round } from "../../../replay/prices/feed";
import type { FeedName } from "../../../replay/mainnet";
import type { ForkWorld } from "./world";
import type { ForkMarket } from "./markets";

export interface EpisodeAsset {
  symbol: string;
  index: number;
  feed: FeedName;
  spec: AssetSpec;
  /** Real price points (closes and lows) and the rounds the feed publishes from them. */
  points: PricePoint[];
  rounds: Round[];
}

export interface ForkEpisode {
  name: string;
  assets: EpisodeAsset[];
  /** The loan asset's feed and its rounds (the peg). */
  loanFeed: FeedName;
  usd: Round[];
  start: number;
  end: number;
  /** Data times of the replay's steps: every round of any feed. */
  times: number[];
}

/** A short crash window of an episode: [from, to) in ISO times, every n-th row. */
export interface ForkWindow {
  from: string;
  to: string;
  every?: number;
}

/** The episode's series over `w`, restricted to the collaterals `market` lists. */
export function forkEpisode(name: string, w: ForkWindow, market: ForkMarket): ForkEpisode {
  const e = episodeSpec(name);
  const window = { from: Date.parse(w.from) / 1000, to: Date.parse(w.to) / 1000, every: w.every };
  const assets: EpisodeAsset[] = [];
  for (const spec of e.collaterals) {
    const m = market.collaterals[spec.symbol];
    if (!m || !spec.file) continue;
    const points = pricePoints(spec.file, { useLow: e.useLow ?? true, ...window });
    assets.push({
      symbol: spec.symbol,
      index: m.index,
      feed: m.feed,
      spec,
      points,
      rounds: roundsFor(points, spec.rule),
    });
  }
  if (assets.length === 0) throw new Error(`episode ${name} has no collateral market ${market.id} lists`);
  const start = Math.min(...assets.map((a) => a.points[0]!.time));
  const end = Math.max(...assets.map((a) => a.points[a.points.length - 1]!.time));
  const usd = constantRounds("1", e.loan.rule, start, end);
  const times = [...new Set(assets.flatMap((a) => a.rounds.map((r) => r.time)))].sort((a, b) => a - b);
  return { name, assets, loanFeed: market.loanFeed, usd, start, end, times };
}

/** The latest real price point of `a` at or before data time t (the price the arbitrageur trades toward). */
export function priceAt(a: EpisodeAsset, t: number): number {
  let p = Number(a.points[0]!.price);
  for (const x of a.points) {
    if (x.time > t) break;
    p = Number(x.price);
  }
  return p;
}

/** The latest round of `rounds` at or before t. */
export function roundAt(rounds: Round[], t: number): Round | undefined {
  let r: Round | undefined;
  for (const x of rounds) {
    if (x.time > t) break;
    r = x;
  }
  return r;
}

/** Publishes each feed's rounds up to data time t (chain time t + offset), each once. */
export class Publisher {
  private readonly done = new Map<FeedName, number>();
  private readonly roundId = new Map<FeedName, bigint>();
  /** Republishing: rounds are dated now (t + offset), not at their own data time. */
  private fresh = false;

  /** `offset`: chain time minus data time (may change between phases, e.g. after a warm-up). */
  constructor(
    private readonly w: ForkWorld,
    private readonly ep: ForkEpisode,
    public offset: number,
  ) {}

  /** Moves the chain to t + offset (if behind) and publishes every round due by t. */
  async at(t: number): Promise<void> {
    const latest = (await network.provider.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as {
      timestamp: string;
    };
    if (t + this.offset > Number(latest.timestamp)) {
      await network.provider.request({ method: "evm_setNextBlockTimestamp", params: [t + this.offset] });
    }
    const series: [FeedName, Round[]][] = [
      [this.ep.loanFeed, this.ep.usd],
      ...this.ep.assets.map((a) => [a.feed, a.rounds] as [FeedName, Round[]]),
    ];
    for (const [feed, rounds] of series) await this.publish(feed, rounds, t);
  }

  /** Re-publishes the latest round of every feed at chain time t + offset (a fresh round at the same answer). */
  async refresh(t: number): Promise<void> {
    this.done.clear();
    this.fresh = true;
    try {
      await this.at(t);
    } finally {
      this.fresh = false;
    }
  }

  private async publish(feed: FeedName, rounds: Round[], t: number): Promise<void> {
    const r = roundAt(rounds, t);
    if (!r) return;
    const idx = rounds.indexOf(r);
    if (this.done.get(feed) === idx) return;
    this.done.set(feed, idx);
    const agg = this.w.feeds[feed];
    const id = (this.roundId.get(feed) ?? (await agg.latestRound())) + 1n;
    this.roundId.set(feed, id);
    const at = (this.fresh ? t : r.time) + this.offset;
    await (await agg.updateRoundData(id, r.answer, at, at)).wait();
  }
}
