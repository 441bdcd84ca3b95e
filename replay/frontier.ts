/**
 * The risk frontier of one collateral: over every episode that holds it, by bisection, the highest liquidation
 * threshold (LTV kept at its default gap below it) and the smallest insurance fund (share of supplied assets) for
 * which the episode socializes no loss. The frontier is the tightest episode; each episode's margin is how far
 * its own limit is from the frontier. Writes `reports/frontier-<collateral>.json`.
 */
import fs from "fs";
import path from "path";
import { runEpisode } from "./run";
import { DEFAULT_PARAMS, EPISODES, type AssetSpec, type RunParams } from "./episodes";

export interface FrontierOptions {
  collateral: string;
  borrowers: number;
  depthUsd2Pct?: number;
  keeperEvery?: number;
  testWindow?: boolean;
  /** Bisection stops when the bracket is this narrow (threshold points and insurance share). Default 0.005. */
  tolerance?: number;
  seed?: number;
  /** Each replay on a fresh chain (SimOptions.fresh): the command sets it. */
  fresh?: boolean;
  progress?: (line: string) => void;
}

export interface EpisodeLimit {
  episode: string;
  /** Highest threshold that socializes nothing (null: even the lowest tried socializes). */
  maxLiquidationThreshold: number | null;
  /** Smallest insurance share that socializes nothing at the default threshold (null: not even the largest tried). */
  minInsuranceShare: number | null;
  /** maxLiquidationThreshold - frontier threshold, and frontier insurance - minInsuranceShare. */
  thresholdMargin: number | null;
  insuranceMargin: number | null;
}

export interface FrontierReport {
  collateral: string;
  borrowers: number;
  depthUsd2Pct: number | "episode default";
  keeperEveryBlocks: number;
  defaults: { ltv: string; liquidationThreshold: string; insuranceShare: number };
  frontier: { liquidationThreshold: number | null; ltv: number | null; insuranceShare: number | null };
  episodes: EpisodeLimit[];
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/**
 * Bisection over [lo, hi] for a monotone `ok`: the highest x with ok(x) when ok holds below a limit ("max"), the
 * smallest when it holds above one ("min"); null when no x in the range is ok.
 */
async function bisect(want: "max" | "min", lo: number, hi: number, tol: number, ok: (x: number) => Promise<boolean>) {
  const [good, bad] = want === "max" ? [lo, hi] : [hi, lo];
  if (await ok(bad)) return round4(bad);
  if (!(await ok(good))) return null;
  let [g, b] = [good, bad];
  while (Math.abs(b - g) > tol) {
    const mid = (g + b) / 2;
    if (await ok(mid)) g = mid;
    else b = mid;
  }
  return round4(g);
}

/** Episodes holding the collateral, with its spec in each. */
export function episodesWith(symbol: string): { name: string; spec: AssetSpec }[] {
  const out: { name: string; spec: AssetSpec }[] = [];
  for (const [name, ep] of Object.entries(EPISODES)) {
    const spec = ep.collaterals.find((c) => c.symbol === symbol);
    if (spec) out.push({ name, spec });
  }
  return out;
}

async function socializesNothing(o: FrontierOptions, episode: string, params: RunParams): Promise<boolean> {
  const res = await runEpisode({
    episode,
    borrowers: o.borrowers,
    params: { ...params, keeperEvery: o.keeperEvery ?? 1, depthUsd2Pct: o.depthUsd2Pct },
    testWindow: o.testWindow,
    seed: o.seed,
    compareWithoutFlags: false,
    fresh: o.fresh,
  });
  o.progress?.(`  ${episode} ${JSON.stringify(params)}: socialized ${res.main.socialized}`);
  return res.main.socialized === 0n;
}

/** One episode's own limits. */
async function episodeLimit(o: FrontierOptions, name: string, spec: AssetSpec): Promise<EpisodeLimit> {
  const tol = o.tolerance ?? 0.005;
  const gap = Number(spec.liquidationThreshold) - Number(spec.ltv);
  const cap = 1 / (1 + Number(spec.liquidationBonus)) - 0.0002;
  const atThreshold = (lt: number) =>
    socializesNothing(o, name, {
      risk: { [spec.symbol]: { liquidationThreshold: lt.toFixed(4), ltv: (lt - gap).toFixed(4) } },
    });
  const maxLiquidationThreshold = await bisect("max", 0.5, cap, tol, atThreshold);
  const minInsuranceShare = await bisect("min", 0, 0.2, tol, (share) =>
    socializesNothing(o, name, { insuranceShare: share }),
  );
  return { episode: name, maxLiquidationThreshold, minInsuranceShare, thresholdMargin: null, insuranceMargin: null };
}

export async function frontier(o: FrontierOptions): Promise<FrontierReport> {
  const eps = episodesWith(o.collateral);
  if (eps.length === 0) throw new Error(`no episode holds ${o.collateral}`);
  const limits: EpisodeLimit[] = [];
  for (const { name, spec } of eps) {
    o.progress?.(`${name}: bisecting`);
    limits.push(await episodeLimit(o, name, spec));
  }
  const lts = limits.map((l) => l.maxLiquidationThreshold);
  const shares = limits.map((l) => l.minInsuranceShare);
  const lt = lts.some((x) => x === null) ? null : Math.min(...(lts as number[]));
  const share = shares.some((x) => x === null) ? null : Math.max(...(shares as number[]));
  for (const l of limits) {
    l.thresholdMargin =
      lt === null || l.maxLiquidationThreshold === null ? null : round4(l.maxLiquidationThreshold - lt);
    l.insuranceMargin = share === null || l.minInsuranceShare === null ? null : round4(share - l.minInsuranceShare);
  }
  const spec = eps[0]!.spec;
  const gap = Number(spec.liquidationThreshold) - Number(spec.ltv);
  return {
    collateral: o.collateral,
    borrowers: o.borrowers,
    depthUsd2Pct: o.depthUsd2Pct ?? "episode default",
    keeperEveryBlocks: o.keeperEvery ?? 1,
    defaults: {
      ltv: spec.ltv,
      liquidationThreshold: spec.liquidationThreshold,
      insuranceShare: DEFAULT_PARAMS.insuranceShare,
    },
    frontier: { liquidationThreshold: lt, ltv: lt === null ? null : round4(lt - gap), insuranceShare: share },
    episodes: limits,
  };
}

export function writeFrontier(r: FrontierReport, dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `frontier-${r.collateral}.json`);
  fs.writeFileSync(file, JSON.stringify(r, null, 2) + "\n");
  return file;
}
