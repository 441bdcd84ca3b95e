/**
 * Chainlink-like publication rule: a new round only when the price moved by the feed's deviation threshold from
 * the last published answer, or when the heartbeat elapsed since the last round (then the latest known price is
 * published at lastUpdate + heartbeat). Pure: it turns price points into rounds; the driver writes them on chain.
 */
import { parseUnitsExact } from "../../scripts/lib/protocol";
import type { PricePoint } from "./data";

export interface FeedRule {
  /** Relative deviation that triggers a round, e.g. 0.005 for 0.5%. */
  deviation: number;
  /** Seconds after which a round is published even without deviation. */
  heartbeat: number;
  /** Feed decimals (8 for USD feeds, 18 for ETH-denominated ones). */
  decimals: number;
  /** Publish every point as is (real Chainlink round data). */
  oneToOne?: boolean;
  /** Test assumption: the feed never reports below this (a Chainlink minAnswer), decimal string. */
  minAnswer?: string;
}

export interface Round {
  /** Data time of the round (its updatedAt before the chain offset). */
  time: number;
  answer: bigint;
  price: string;
  reason: "deviation" | "heartbeat" | "round" | "first";
  /** True when the answer is the minAnswer clamp rather than the market price. */
  clamped: boolean;
}

/** Fixed-point answer of a decimal price string, truncating digits beyond the feed's decimals. */
export function toAnswer(price: string, decimals: number): bigint {
  const [w = "0", f = ""] = price.split(".");
  return parseUnitsExact(`${w}.${f.slice(0, decimals)}`.replace(/\.$/, ""), decimals);
}

/** Rounds a Chainlink-like feed would publish for these points (in time order). */
export function roundsFor(points: PricePoint[], rule: FeedRule, until?: number): Round[] {
  const rounds: Round[] = [];
  const floor = rule.minAnswer !== undefined ? toAnswer(rule.minAnswer, rule.decimals) : undefined;
  let last: Round | undefined;
  let latest: { price: string; answer: bigint; clamped: boolean } | undefined;
  const push = (time: number, src: { price: string; answer: bigint; clamped: boolean }, reason: Round["reason"]) => {
    last = { time, answer: src.answer, price: src.price, reason, clamped: src.clamped };
    rounds.push(last);
  };
  const heartbeatsUntil = (t: number) => {
    // Heartbeat rounds strictly before t, at the latest known price.
    while (last && latest && last.time + rule.heartbeat < t) push(last.time + rule.heartbeat, latest, "heartbeat");
  };
  for (const p of points) {
    let answer = toAnswer(p.price, rule.decimals);
    let clamped = false;
    if (floor !== undefined && answer < floor) {
      answer = floor;
      clamped = true;
    }
    if (!rule.oneToOne) heartbeatsUntil(p.time);
    latest = { price: p.price, answer, clamped };
    if (rule.oneToOne) {
      push(p.time, latest, "round");
      continue;
    }
    if (!last) {
      push(p.time, latest, "first");
      continue;
    }
    if (last.time + rule.heartbeat <= p.time) {
      push(p.time, latest, "heartbeat");
      continue;
    }
    const prev = Number(last.answer);
    const moved = Math.abs(Number(answer) / prev - 1);
    if (moved >= rule.deviation) push(p.time, latest, "deviation");
  }
  if (until !== undefined && !rule.oneToOne) heartbeatsUntil(until + 1);
  return rounds;
}

/** Rounds of a constant price (a pegged asset with no series): the first at `from`, then one per heartbeat. */
export function constantRounds(price: string, rule: FeedRule, from: number, to: number): Round[] {
  const answer = toAnswer(price, rule.decimals);
  const out: Round[] = [];
  for (let t = from; t <= to; t += rule.heartbeat) {
    out.push({ time: t, answer, price, reason: out.length === 0 ? "first" : "heartbeat", clamped: false });
  }
  return out;
}
