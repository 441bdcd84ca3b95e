/**
 * Loads the real crash-replay series of `../shared/data` (relative to the repository root). Nothing is invented,
 * resampled or interpolated: each CSV row becomes at most two price points, the candle's `low` inside the candle
 * (optional) and its `price` (close) at the candle's close time `t + granularity`, as the data README asks.
 * Chainlink round files are replayed 1:1 at their `updatedAt`.
 */
import fs from "fs";
import path from "path";

/** The data folder: `CRASH_DATA_DIR` if set, else the `shared/data` folder beside the repository. */
export function dataDir(): string {
  return process.env.CRASH_DATA_DIR
    ? path.resolve(process.env.CRASH_DATA_DIR)
    : path.resolve(__dirname, "..", "..", "..", "shared", "data");
}

export interface Row {
  timestamp: number;
  /** Decimal string as written in the source. */
  price: string;
  low?: string;
}

export interface PricePoint {
  /** Unix seconds (data time) at which the point becomes known. */
  time: number;
  /** Decimal string from the source. */
  price: string;
  kind: "close" | "low" | "round";
  /** The CSV row it comes from (open time for candles, updatedAt for rounds). */
  rowTime: number;
}

const cache = new Map<string, Row[]>();

/** Reads one CSV file of the data folder. */
export function readSeries(file: string): Row[] {
  const hit = cache.get(file);
  if (hit) return hit;
  const full = path.join(dataDir(), file);
  if (!fs.existsSync(full)) throw new Error(`crash data file not found: ${file} (looked in ${dataDir()})`);
  const lines = fs.readFileSync(full, "utf8").trim().split(/\r?\n/);
  const header = lines.shift()?.split(",") ?? [];
  if (header[0] !== "timestamp" || header[1] !== "price") throw new Error(`${file}: unexpected header`);
  const rows = lines.map((l) => {
    const [t, p, low] = l.split(",");
    if (!t || !p) throw new Error(`${file}: bad row ${l}`);
    return low ? { timestamp: Number(t), price: p, low } : { timestamp: Number(t), price: p };
  });
  cache.set(file, rows);
  return rows;
}

/** Candle granularity of a file from its name (`-1m`, `-5m`, `-15m`, `-1h`), or 0 for Chainlink round files. */
export function granularityOf(file: string): number {
  const m = /-(\d+)([mh])\.csv$/.exec(file);
  if (!m) return 0;
  return Number(m[1]) * (m[2] === "h" ? 3600 : 60);
}

export interface PointOptions {
  /** Apply each candle's low inside the candle (at open + granularity / 2), before its close. */
  useLow: boolean;
  /** Keep only rows whose (open) timestamp lies in [from, to). */
  from?: number;
  to?: number;
  /** Keep every n-th row only (a sampled window: still real rows, none interpolated). */
  every?: number;
}

/**
 * The price points of a file, in time order. A candle opening at t with granularity g yields its low at
 * t + g/2 (if asked and present and below the close) and its close at t + g; a Chainlink round yields its answer
 * at its updatedAt.
 */
export function pricePoints(file: string, opts: PointOptions): PricePoint[] {
  const g = granularityOf(file);
  const every = Math.max(1, opts.every ?? 1);
  const out: PricePoint[] = [];
  readSeries(file).forEach((r, i) => {
    if (opts.from !== undefined && r.timestamp < opts.from) return;
    if (opts.to !== undefined && r.timestamp >= opts.to) return;
    if (i % every !== 0) return;
    if (g === 0) {
      out.push({ time: r.timestamp, price: r.price, kind: "round", rowTime: r.timestamp });
      return;
    }
    if (opts.useLow && r.low !== undefined && Number(r.low) < Number(r.price)) {
      out.push({ time: r.timestamp + Math.floor(g / 2), price: r.low, kind: "low", rowTime: r.timestamp });
    }
    out.push({ time: r.timestamp + g, price: r.price, kind: "close", rowTime: r.timestamp });
  });
  return out;
}
