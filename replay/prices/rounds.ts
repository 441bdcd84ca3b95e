/**
 * The price driver of a run: the episode's real series inside the replayed window, and the Chainlink-like rounds
 * each feed publishes from them (with the run's stress: a stalled feed, a floored feed).
 */
import { pricePoints, type PricePoint } from "./data";
import { constantRounds, roundsFor, type Round } from "./feed";
import type { AssetSpec, EpisodeSpec } from "../episodes";
import type { SimOptions, Stress } from "../types";

export interface PriceDriver {
  /** Data-time bounds of the collaterals' series. */
  start: number;
  end: number;
  /** The replayed series of each collateral (the arbitrageur's real price). */
  colPoints: PricePoint[][];
  loanRounds: Round[];
  colRounds: Round[][];
}

function roundsOf(a: AssetSpec, pts: PricePoint[], stress: Stress, start: number, end: number): Round[] {
  const rule = { ...a.rule };
  if (stress.floor && stress.floor.symbol === a.symbol) rule.minAnswer = stress.floor.minAnswer;
  let rounds = a.file ? roundsFor(pts, rule, end) : constantRounds("1", rule, start, end);
  if (stress.outage && stress.outage.symbol === a.symbol) {
    const o = stress.outage;
    rounds = rounds.filter((r) => r.time < o.from || r.time >= o.to);
  }
  return rounds;
}

export function priceDriver(ep: EpisodeSpec, opts: SimOptions): PriceDriver {
  const window = opts.window ?? (opts.testWindow ? ep.testWindow : undefined) ?? {};
  const from = window.from ?? ep.from;
  const to = window.to ?? ep.to;
  const pointsOf = (a: AssetSpec): PricePoint[] =>
    a.file ? pricePoints(a.file, { useLow: ep.useLow ?? true, from, to, every: window.every }) : [];
  const colPoints = ep.collaterals.map(pointsOf);
  const start = Math.min(...colPoints.map((p) => p[0]?.time ?? Infinity));
  const end = Math.max(...colPoints.map((p) => p[p.length - 1]?.time ?? 0));
  if (!Number.isFinite(start)) throw new Error(`${ep.name}: no data in the window`);
  const stress = opts.stress ?? {};
  return {
    start,
    end,
    colPoints,
    loanRounds: roundsOf(ep.loan, [], stress, start, end),
    colRounds: ep.collaterals.map((a, i) => roundsOf(a, colPoints[i]!, stress, start, end)),
  };
}

/** The last price of collateral `i`'s replayed series at data time t. */
export function realPriceReader(points: PricePoint[][]): (i: number, t: number) => number {
  const cursor = points.map(() => 0);
  return (i, t) => {
    const pts = points[i]!;
    let k = cursor[i]!;
    if (k > 0 && pts[k]!.time > t) k = 0; // a second replay starts over
    while (k + 1 < pts.length && pts[k + 1]!.time <= t) k++;
    cursor[i] = k;
    return pts.length ? Number(pts[k]!.price) : NaN;
  };
}
