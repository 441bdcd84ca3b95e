/** Shared parsing of the replay command lines: a bad option is one readable line and a non-zero exit. */
import { InvalidArgumentError } from "commander";
import { EPISODES } from "./episodes";

export function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a positive whole number, got "${v}"`);
  return n;
}

export function positiveNumber(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a positive number, got "${v}"`);
  return n;
}

/** "a,b,c" of positive numbers (integers when `int`). */
export function list(int: boolean): (v: string) => number[] {
  return (v) => {
    const parts = v.split(",").map((x) => x.trim());
    if (parts.some((x) => x === "")) throw new InvalidArgumentError(`expected a comma-separated list, got "${v}"`);
    return parts.map(int ? positiveInt : positiveNumber);
  };
}

export function episodeName(v: string): string {
  if (!EPISODES[v])
    throw new InvalidArgumentError(`unknown episode "${v}": one of ${Object.keys(EPISODES).join(", ")}`);
  return v;
}
