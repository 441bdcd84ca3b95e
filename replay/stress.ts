/**
 * The stress grid: one episode replayed at every (pool depth x keeper latency) pair, from the same seed, each
 * cell reporting its bad debt, who paid it and how many liquidations the pool quote made the keeper skip.
 * Writes `reports/stress-<episode>.json` and a heat map `reports/stress-<episode>.svg` (supplier loss over depth x
 * keeper latency).
 */
import fs from "fs";
import path from "path";
import { runEpisode } from "./run";
import type { RunParams } from "./episodes";
import { lossOutcome, type LossOutcome } from "./report";

export interface StressCell extends LossOutcome {
  depthUsd2Pct: number;
  keeperEveryBlocks: number;
}

export interface StressReport {
  episode: string;
  borrowers: number;
  grid: StressCell[];
}

export interface StressOptions {
  episode: string;
  borrowers: number;
  depths: number[];
  keeperEvery: number[];
  params?: RunParams;
  testWindow?: boolean;
  seed?: number;
  /** Each cell on a fresh chain (SimOptions.fresh): the command sets it. */
  fresh?: boolean;
  progress?: (line: string) => void;
}

/** Replays the grid (depths outer, keeper latencies inner), without the fairness comparison. */
export async function stressGrid(o: StressOptions): Promise<StressReport> {
  const grid: StressCell[] = [];
  for (const depthUsd2Pct of o.depths) {
    for (const keeperEvery of o.keeperEvery) {
      const res = await runEpisode({
        episode: o.episode,
        borrowers: o.borrowers,
        params: { ...o.params, depthUsd2Pct, keeperEvery },
        testWindow: o.testWindow,
        seed: o.seed,
        compareWithoutFlags: false,
        fresh: o.fresh,
      });
      const m = res.main;
      grid.push({ depthUsd2Pct, keeperEveryBlocks: keeperEvery, ...lossOutcome(m) });
      o.progress?.(
        `depth $${depthUsd2Pct}, keeper every ${keeperEvery}: bad debt ${m.badDebt}, socialized ${m.socialized} ` +
          `(${m.supplierLossBps} bps), ${m.unprofitableSkips} unprofitable skips, ${res.seconds.toFixed(1)} s`,
      );
    }
  }
  return { episode: o.episode, borrowers: o.borrowers, grid };
}

/** The heat map: supplier loss (bps) per depth x keeper latency. */
export async function renderHeatMap(r: StressReport): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const vl = require("vega-lite") as { compile: (spec: unknown) => { spec: unknown } };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const vega = require("vega") as {
    parse: (spec: unknown) => unknown;
    View: new (runtime: unknown, opts: { renderer: string }) => { toSVG: () => Promise<string> };
  };
  const values = r.grid.map((c) => ({ ...c, label: c.supplierLossBps.toFixed(2) }));
  const enc = {
    x: { field: "depthUsd2Pct", type: "ordinal", title: "pool depth: dollars that move the price 2%" },
    y: { field: "keeperEveryBlocks", type: "ordinal", title: "keeper acts every n price steps" },
  };
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: `${r.episode}: supplier loss (bps of supplied assets), ${r.borrowers} borrowers`,
    data: { values },
    width: 90 * Math.max(1, new Set(r.grid.map((c) => c.depthUsd2Pct)).size),
    height: 50 * Math.max(1, new Set(r.grid.map((c) => c.keeperEveryBlocks)).size),
    encoding: enc,
    layer: [
      {
        mark: "rect",
        encoding: { color: { field: "supplierLossBps", type: "quantitative", scale: { scheme: "orangered" } } },
      },
      { mark: { type: "text", baseline: "middle" }, encoding: { text: { field: "label" } } },
    ],
  };
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: "none" });
  return view.toSVG();
}

/** Writes reports/stress-<episode>.{json,svg} into `dir`. */
export async function writeStress(r: StressReport, dir: string): Promise<{ json: string; svg: string }> {
  fs.mkdirSync(dir, { recursive: true });
  const json = path.join(dir, `stress-${r.episode}.json`);
  fs.writeFileSync(json, JSON.stringify(r, null, 2) + "\n");
  const svg = path.join(dir, `stress-${r.episode}.svg`);
  fs.writeFileSync(svg, await renderHeatMap(r));
  return { json, svg };
}
