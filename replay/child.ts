/**
 * The comparison replay's process (replay/parallel.ts): reads its options (JSON) from stdin, replays the episode
 * without flags and writes the RunResult (JSON, bigints tagged) to stdout; progress lines go to stderr.
 */
import { runEpisode } from "./run";
import { fromJson, toJson } from "./parallel";
import type { SimOptions } from "./types";

async function main(): Promise<void> {
  let input = "";
  for await (const chunk of process.stdin) input += String(chunk);
  const opts = fromJson<SimOptions>(input);
  const res = await runEpisode({ ...opts, parallel: false, progress: (l) => process.stderr.write(`progress: ${l}\n`) });
  process.stdout.write(toJson(res.main));
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
