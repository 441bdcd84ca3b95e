/**
 * `npm run demo`: deploys Ballast on the embedded Hardhat network, seeds borrowers, replays a real crash with the
 * keeper acting after every price block, prints a table per phase and writes reports/crash-<episode>.{json,svg}.
 *
 * Options (argv, or env vars because `hardhat run` does not forward argv):
 *   --borrowers N    BORROWERS=N     number of borrowers (default 200)
 *   --episode NAME   EPISODE=NAME    one of replay/episodes.ts (default blackthursday-2020-03); "all" runs each
 *   --params FILE    PARAMS=FILE     JSON RunParams overriding the defaults (e.g. replay/params/peer.json)
 *   --no-flag        NO_FLAG=1       keeper does not flag shortfalls (and no with/without comparison is run)
 *   --no-compare     NO_COMPARE=1    skip the second replay without flags (fairness.withoutFlags = null)
 *   --serial         SERIAL=1        run that second replay after the first, in this process (default: at the same
 *                                    time, in a second process that builds the same world; same report either way)
 *   --test-window    TEST_WINDOW=1   replay only the episode's short crash window
 *   --out DIR        REPORT_DIR=DIR  where to write the reports (default reports/)
 * Examples: BORROWERS=1000 npm run demo;  EPISODE=terra-2022-05 PARAMS=replay/params/peer.json npm run demo
 */
import fs from "fs";
import path from "path";
import { runEpisode } from "../replay/run";
import { EPISODES, type RunParams } from "../replay/episodes";
import { phaseTable, writeReport } from "../replay/report";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1];
  return undefined;
}
const hasFlag = (name: string) => process.argv.includes(`--${name}`);
const truthy = (v: string | undefined) => v !== undefined && v !== "" && v !== "0" && v.toLowerCase() !== "false";

/** A bad option: one line, exit code 1, nothing run. */
class OptionError extends Error {}

/** A positive whole number given as `--name` or the variable `env`; refused with a message otherwise. */
function positiveInt(name: string, env: string, fallback: number): number {
  const raw = arg(name) ?? process.env[env];
  if (raw === undefined) return fallback;
  if (!/^[1-9]\d*$/.test(raw.trim())) {
    throw new OptionError(`--${name} (${env}) must be a positive whole number, got "${raw}"`);
  }
  return Number(raw);
}

async function main() {
  const borrowers = positiveInt("borrowers", "BORROWERS", 200);
  const episodeArg = arg("episode") ?? process.env.EPISODE ?? "blackthursday-2020-03";
  const paramsFile = arg("params") ?? process.env.PARAMS;
  const noFlag = hasFlag("no-flag") || truthy(process.env.NO_FLAG);
  const testWindow = hasFlag("test-window") || truthy(process.env.TEST_WINDOW);
  const compare = !(hasFlag("no-compare") || truthy(process.env.NO_COMPARE));
  const parallel = !(hasFlag("serial") || truthy(process.env.SERIAL));
  const outDir = arg("out") ?? process.env.REPORT_DIR;
  const params: RunParams = paramsFile
    ? (JSON.parse(fs.readFileSync(path.resolve(paramsFile), "utf8")) as RunParams)
    : {};
  const names = episodeArg === "all" ? Object.keys(EPISODES) : [episodeArg];

  for (const name of names) {
    const ep = EPISODES[name];
    if (!ep) throw new OptionError(`unknown episode ${name}; one of: ${Object.keys(EPISODES).join(", ")}, all`);
    console.log(
      `\n=== ${ep.title}: ${borrowers} borrowers, params ${paramsFile ?? "default"}, flags ${noFlag ? "off" : "on"}`,
    );
    const t0 = Date.now();
    const res = await runEpisode({
      episode: name,
      borrowers,
      params,
      flag: !noFlag,
      testWindow,
      compareWithoutFlags: compare,
      parallel,
      progress: (l) => console.log(l),
      keeperLog: truthy(process.env.KEEPER_LOG) ? (l) => console.log(`    keeper: ${l}`) : undefined,
    });
    console.log(`\n${phaseTable(res, ep.loan.decimals)}\n`);
    const { json, svg, report } = await writeReport(res, { dir: outDir });
    console.log(`invariants ${report.invariantsHeld ? "held" : "BROKEN"}:`);
    for (const i of report.invariants) console.log(`  ${i.held ? "ok " : "BROKEN"} ${i.name}: ${i.detail}`);
    const f = report.fairness;
    console.log(
      `fairness: supplier loss ${f.supplierLossBpsMin}..${f.supplierLossBpsMax} bps with flags ` +
        `(${f.exitsWhilePending} exits while a shortfall was pending); without flags ` +
        (f.withoutFlags ? `${f.withoutFlags.supplierLossBpsMin}..${f.withoutFlags.supplierLossBpsMax} bps` : "not run"),
    );
    if (res.withoutFlags && res.withoutFlags !== res.main) {
      const w = res.withoutFlags;
      console.log(
        `without flags: ${w.liquidations} liquidations, bad debt ${w.badDebt}, from reserves ${w.fromReserves}, ` +
          `from insurance ${w.fromInsurance}, socialized ${w.socialized}; invariants ${w.invariants.every((i) => i.held) ? "held" : "BROKEN"}`,
      );
    }
    if (report.stuckPositions.length)
      console.log(`positions still underwater at the end: ${report.stuckPositions.length}`);
    console.log(`wrote ${path.relative(process.cwd(), json)} and ${path.relative(process.cwd(), svg)}`);
    const t = report.totals;
    console.log(
      `liquidity: uniswap-v3 ${res.liquidity.pools.map((p) => `${p.pair} $${p.depthUsd2Pct} per 2%`).join(", ")}; ` +
        `${t.unprofitableSkips} unprofitable skips, avg slippage ${t.avgSlippageBps} bps, ` +
        `max pool deviation ${t.maxPoolDeviationBps} bps`,
    );
    console.log(`wall time ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    if (!report.invariantsHeld) process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error(e instanceof OptionError ? `demo: ${e.message}` : e);
  process.exitCode = 1;
});
