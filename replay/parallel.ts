/**
 * The comparison replay (without flags) in a second process, beside the main replay: the child builds the same
 * world from the same seed (every block is stamped deterministically, world/clock.ts), so its replay starts from
 * the very state the main replay starts from, and the two run on two cores at once. Used when the options can
 * cross a process boundary (an episode by name, no callbacks); otherwise run.ts replays both in turn.
 */
import { spawn } from "child_process";
import path from "path";
import type { RunResult, SimOptions } from "./types";

/** Options a child can be given (JSON). */
type ChildOptions = Omit<SimOptions, "progress" | "keeperLog" | "beforeReplay" | "onStep">;

/** Whether the comparison replay can run in a child process. */
export function canRunInChild(opts: SimOptions): boolean {
  return opts.parallel === true && typeof opts.episode === "string" && !opts.beforeReplay && !opts.onStep;
}

const BIG = "$bigint:";

/** JSON with bigints (as tagged strings). */
export function toJson(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) => (typeof v === "bigint" ? BIG + v.toString() : v));
}

export function fromJson<T>(s: string): T {
  return JSON.parse(s, (_k, v: unknown) =>
    typeof v === "string" && v.startsWith(BIG) ? BigInt(v.slice(BIG.length)) : v,
  ) as T;
}

/** Starts the replay without flags in a child process; resolves with its RunResult. */
export function replayWithoutFlagsInChild(opts: SimOptions): Promise<RunResult> {
  const { progress, keeperLog: _k, beforeReplay: _b, onStep: _o, ...rest } = opts;
  const child: ChildOptions = { ...rest, flag: false, compareWithoutFlags: false };
  const proc = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(__dirname, "child.ts")], {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "1" },
  });
  proc.stdin.end(toJson(child));
  let out = "";
  let partial = "";
  const errors: string[] = [];
  proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr.on("data", (d: Buffer) => {
    const lines = (partial + d.toString()).split("\n");
    partial = lines.pop() ?? "";
    for (const l of lines) {
      if (l.startsWith("progress: ")) progress?.(l.slice("progress: ".length));
      else errors.push(l);
    }
  });
  return new Promise((resolve, reject) => {
    proc.on("error", reject);
    proc.on("close", (code) => {
      if (code === 0) resolve(fromJson<RunResult>(out));
      else reject(new Error(`comparison replay failed (exit ${code}): ${[...errors, partial].join("\n").trim()}`));
    });
  });
}
