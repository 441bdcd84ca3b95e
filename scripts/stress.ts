/**
 * `npm run stress -- --episode E --borrowers N --depths a,b,c --keeper-every x,y`: replays the episode at every
 * pool depth x keeper latency and writes reports/stress-<episode>.json and its heat map .svg (replay/stress.ts).
 */
import path from "path";
import { Command } from "commander";
import { stressGrid, writeStress } from "../replay/stress";
import { episodeName, list, positiveInt } from "../replay/cli";

async function main(): Promise<void> {
  const o = new Command("stress")
    .requiredOption("--episode <name>", "episode of scripts/replay/episodes.ts", episodeName)
    .option("--borrowers <n>", "borrowers seeded", positiveInt, 200)
    .requiredOption("--depths <list>", "pool depths: dollars that move the price 2%, comma-separated", list(false))
    .option("--keeper-every <list>", "keeper latencies in price steps, comma-separated", list(true), [1])
    .option("--test-window", "replay only the episode's short crash window", false)
    .option("--out <dir>", "report folder", "reports")
    .parse(process.argv)
    .opts<{
      episode: string;
      borrowers: number;
      depths: number[];
      keeperEvery: number[];
      testWindow: boolean;
      out: string;
    }>();
  const t0 = Date.now();
  const report = await stressGrid({ ...o, fresh: true, progress: (l) => console.log(l) });
  const { json, svg } = await writeStress(report, path.resolve(o.out));
  console.log(`wrote ${path.relative(process.cwd(), json)} and ${path.relative(process.cwd(), svg)}`);
  console.log(`wall time ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
