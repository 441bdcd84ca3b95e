/**
 * Crash reports: `reports/crash-<episode>.json` and a chart `reports/crash-<episode>.svg` rendered headless with
 * Vega-Lite (price; total debt, collateral value, insurance fund and cumulative bad debt over time).
 */
import fs from "fs";
import path from "path";
import type { ChartPoint, RunResult, SimResult } from "./run";
import { fmtUnits } from "./run";

/** A run's bad debt, who paid it, the suppliers' loss and the liquidations the pool quote did not pay for. */
export interface LossOutcome {
  badDebt: string;
  fromReserves: string;
  fromInsurance: string;
  socialized: string;
  supplierLossBps: number;
  unprofitableSkips: number;
}

/** The LossOutcome of a run. */
export function lossOutcome(m: RunResult): LossOutcome {
  return {
    badDebt: m.badDebt.toString(),
    fromReserves: m.fromReserves.toString(),
    fromInsurance: m.fromInsurance.toString(),
    socialized: m.socialized.toString(),
    supplierLossBps: m.supplierLossBps,
    unprofitableSkips: m.unprofitableSkips,
  };
}

export interface CrashReport {
  episode: string;
  title: string;
  source: string[];
  borrowers: number;
  hfDistribution: string;
  params: unknown;
  totals: { liquidations: number } & LossOutcome & { avgSlippageBps: number; maxPoolDeviationBps: number };
  /** Absent in reports made before the Uniswap venue. */
  liquidity?: SimResult["liquidity"];
  invariantsHeld: boolean;
  invariants: { name: string; held: boolean; detail: string }[];
  fairness: {
    supplierLossBpsMin: number;
    supplierLossBpsMax: number;
    exitsWhilePending: number;
    suppliers: { role: string; deposited: string; withdrawn: string; remainingValue: string; lossBps: number }[];
    /** null when the comparison replay was not run (NO_COMPARE). */
    withoutFlags: {
      supplierLossBpsMin: number;
      supplierLossBpsMax: number;
      exitsWhilePending: number;
      suppliers: { role: string; lossBps: number }[];
    } | null;
  };
  phases: {
    phase: string;
    price: Record<string, { close: number; min: number }>;
    liquidations: number;
    badDebt: string;
    fromReserves: string;
    fromInsurance: string;
    socialized: string;
    /** At the end of the phase: collateral per symbol (base units), its oracle value, debt and supply. */
    collateral: Record<string, string>;
    collateralValueUsd: number;
    debt: string;
    supply: string;
  }[];
  stuckPositions: { borrower: string; debt: string; reason: string }[];
  priceHalts: Record<string, number>;
  /** Wall time is printed, not written: the same inputs give a byte-identical report. */
  run: { steps: number; blocks: number; failedTx: number; arbitrageSwaps: number };
}

const lossRange = (r: RunResult) => {
  const xs = r.suppliers.map((s) => s.lossBps);
  return { min: Math.min(...xs), max: Math.max(...xs) };
};

export function buildReport(res: SimResult): CrashReport {
  const m = res.main;
  const wf = res.withoutFlags ?? m; // NO_FLAG: the main run is the run without flags
  const a = lossRange(m);
  const b = lossRange(wf);
  return {
    episode: res.episode,
    title: res.title,
    source: res.source.map((f) => `../shared/data/${f}`),
    borrowers: res.borrowers,
    hfDistribution: res.hfDistribution,
    params: res.params,
    totals: {
      liquidations: m.liquidations,
      ...lossOutcome(m),
      avgSlippageBps: m.avgSlippageBps,
      maxPoolDeviationBps: m.maxPoolDeviationBps,
    },
    liquidity: res.liquidity,
    invariantsHeld: m.invariants.every((i) => i.held) && wf.invariants.every((i) => i.held),
    invariants: m.invariants,
    fairness: {
      supplierLossBpsMin: a.min,
      supplierLossBpsMax: a.max,
      exitsWhilePending: m.exitsWhilePending,
      suppliers: m.suppliers.map((s) => ({
        role: s.role,
        deposited: s.deposited.toString(),
        withdrawn: s.withdrawn.toString(),
        remainingValue: s.remainingValue.toString(),
        lossBps: s.lossBps,
      })),
      withoutFlags:
        res.compared === false
          ? null
          : {
              supplierLossBpsMin: b.min,
              supplierLossBpsMax: b.max,
              exitsWhilePending: wf.exitsWhilePending,
              suppliers: wf.suppliers.map((s) => ({ role: s.role, lossBps: s.lossBps })),
            },
    },
    phases: m.phases.map((p) => ({
      phase: p.name,
      price: p.price,
      liquidations: p.liquidations,
      badDebt: p.badDebt.toString(),
      fromReserves: p.fromReserves.toString(),
      fromInsurance: p.fromInsurance.toString(),
      socialized: p.socialized.toString(),
      collateral: Object.fromEntries(Object.entries(p.end?.collateral ?? {}).map(([s, x]) => [s, x.toString()])),
      collateralValueUsd: p.end?.collateralValueUsd ?? 0,
      debt: (p.end?.debt ?? 0n).toString(),
      supply: (p.end?.supply ?? 0n).toString(),
    })),
    stuckPositions: m.stuck.map((s) => ({ borrower: s.borrower, debt: s.debt.toString(), reason: s.reason })),
    priceHalts: m.priceHalts,
    run: { steps: m.steps, blocks: m.blocks, failedTx: m.failedTx, arbitrageSwaps: m.arbitrageSwaps },
  };
}

/** The phase table as text (amounts in whole loan units). */
export function phaseTable(res: SimResult, decimals: number): string {
  const rows = [
    ["phase", "price close (min)", "liquidations", "bad debt", "from reserves", "from insurance", "socialized"],
  ];
  for (const p of res.main.phases) {
    const price = Object.entries(p.price)
      .map(([s, x]) => `${s} ${x.close} (${x.min})`)
      .join(", ");
    rows.push([
      p.name,
      price,
      String(p.liquidations),
      fmtUnits(p.badDebt, decimals),
      fmtUnits(p.fromReserves, decimals),
      fmtUnits(p.fromInsurance, decimals),
      fmtUnits(p.socialized, decimals),
    ]);
  }
  const m = res.main;
  rows.push([
    "total",
    "",
    String(m.liquidations),
    fmtUnits(m.badDebt, decimals),
    fmtUnits(m.fromReserves, decimals),
    fmtUnits(m.fromInsurance, decimals),
    fmtUnits(m.socialized, decimals),
  ]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  "))
    .join("\n");
}

/** Downsamples to at most n points, keeping the extremes of price. */
function sample(points: ChartPoint[], n: number): ChartPoint[] {
  if (points.length <= n) return points;
  const step = points.length / n;
  const out: ChartPoint[] = [];
  for (let i = 0; i < n; i++) {
    const slice = points.slice(Math.floor(i * step), Math.floor((i + 1) * step));
    if (slice.length === 0) continue;
    out.push(slice.reduce((lo, p) => (p.price < lo.price ? p : lo), slice[0]!));
  }
  return out;
}

const day = (t: number) => new Date(t * 1000).toISOString().slice(0, 16).replace("T", " ");

/** The chart's three panels' data: prices (oracle and pool), market totals, and losses by who paid them. */
function chartData(pts: ChartPoint[]) {
  const prices: { time: number; series: string; price: number }[] = [];
  const totals: { time: number; series: string; amount: number }[] = [];
  const losses: { time: number; series: string; amount: number }[] = [];
  for (const p of pts) {
    const time = p.time * 1000;
    if (Number.isFinite(p.price)) prices.push({ time, series: "oracle", price: p.price });
    if (Number.isFinite(p.poolPrice)) prices.push({ time, series: "Uniswap pool", price: p.poolPrice });
    totals.push({ time, series: "total debt", amount: p.debt });
    totals.push({ time, series: "collateral value", amount: p.collateral });
    totals.push({ time, series: "insurance fund", amount: p.insurance });
    losses.push({ time, series: "1 from reserves", amount: p.fromReserves });
    losses.push({ time, series: "2 from insurance", amount: p.fromInsurance });
    losses.push({ time, series: "3 socialized", amount: p.socialized });
  }
  return { prices, totals, losses };
}

const panel = (
  height: number,
  values: unknown[],
  y: unknown,
  extra: Record<string, unknown> = {},
  xTitle?: string,
) => ({
  width: 760,
  height,
  data: { values },
  mark: { type: "line", interpolate: "step-after" },
  encoding: {
    x: { field: "time", type: "temporal", title: xTitle ?? null },
    y,
    color: { field: "series", type: "nominal", title: null },
  },
  ...extra,
});

/** Renders the chart SVG with vega-lite + vega (headless, no canvas needed for SVG). */
export async function renderChart(res: SimResult, priceLabel?: string): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const vl = require("vega-lite") as { compile: (spec: unknown) => { spec: unknown } };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const vega = require("vega") as {
    parse: (spec: unknown) => unknown;
    View: new (runtime: unknown, opts: { renderer: string }) => { toSVG: () => Promise<string> };
  };
  const loan = res.ctx.loan.spec.symbol;
  const pts = sample(res.main.chart, 600);
  const { prices, totals, losses } = chartData(pts);
  const span = pts.length ? `${day(pts[0]!.time)} to ${day(pts[pts.length - 1]!.time)} UTC` : "no data";
  const label = priceLabel ?? `${res.ctx.collaterals[0]!.spec.symbol} (${loan})`;
  const stacked = { mark: { type: "area", interpolate: "step-after", opacity: 0.8 } };
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: `${res.title}: replayed ${span}; ${res.borrowers} borrowers, ${res.main.liquidations} liquidations`,
    vconcat: [
      panel(170, prices, { field: "price", type: "quantitative", title: label, scale: { zero: false } }),
      panel(170, totals, { field: "amount", type: "quantitative", title: loan }),
      panel(
        140,
        losses,
        { field: "amount", type: "quantitative", title: `cumulative bad debt (${loan})`, stack: "zero" },
        stacked,
        "time (UTC, data time)",
      ),
    ],
  };
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  return view.toSVG();
}

/** Writes the JSON report and the chart into `dir` (default: reports/ at the repository root). */
export async function writeReport(
  res: SimResult,
  opts: { dir?: string; priceLabel?: string },
): Promise<{ json: string; svg: string; report: CrashReport }> {
  const dir = opts.dir ?? path.resolve(__dirname, "..", "reports");
  fs.mkdirSync(dir, { recursive: true });
  const report = buildReport(res);
  const json = path.join(dir, `crash-${res.episode}.json`);
  fs.writeFileSync(json, JSON.stringify(report, null, 2) + "\n");
  const svg = path.join(dir, `crash-${res.episode}.svg`);
  fs.writeFileSync(svg, await renderChart(res, opts.priceLabel));
  return { json, svg, report };
}
