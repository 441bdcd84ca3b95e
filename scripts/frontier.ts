/**
 * `npm run frontier -- --collateral WETH [--depth d --keeper-every k]`: the highest liquidation threshold and the
 * smallest insurance fund for which no episode holding the collateral socializes a loss (bisection, replay/frontier.ts);
 * writes reports/frontier-<collateral>.json. A command for risk managers: it replays each episode many times.
 */
import path from "path";
import { Command, InvalidArgumentError } from "commander";
import { frontier, writeFrontier, episodesWith } from "../replay/frontier";
import { positiveInt, positiveNumber } from "../replay/cli";

function collateral(v: string): string {
  if (episodesWith(v).length === 0) throw new InvalidArgumentError(`no episode holds collateral "${v}"`);
  return v;
}

async function main(): Promise<void> {
  const o = new Command("frontier")
    .requiredOption("--collateral <symbol>", "collateral symbol, e.g. WETH", collateral)
    .option("--borrowers <n>", "borrowers seeded per replay", positiveInt, 100)
    .option("--depth <usd>", "every pool's depth (dollars that move it 2%); default: each episode's", positiveNumber)
    .option("--keeper-every <n>", "keeper acts every n price steps", positiveInt, 1)
    .option("--test-window", "replay only each episode's short crash window", false)
    .option("--tolerance <x>", "bisection bracket width", positiveNumber, 0.005)
    .option("--out <dir>", "report folder", "reports")
    .parse(process.argv)
    .opts<{
      collateral: string;
      borrowers: number;
      depth?: number;
      keeperEvery: number;
      testWindow: boolean;
      tolerance: number;
      out: string;
    }>();
  const t0 = Date.now();
  const r = await frontier({ ...o, depthUsd2Pct: o.depth, fresh: true, progress: (l) => console.log(l) });
  const file = writeFrontier(r, path.resolve(o.out));
  console.log(
    `frontier: threshold ${r.frontier.liquidationThreshold}, LTV ${r.frontier.ltv}, insurance ${r.frontier.insuranceShare}`,
  );
  console.log(`wrote ${path.relative(process.cwd(), file)}; wall time ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
