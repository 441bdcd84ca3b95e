/** Argument checks shared by the math files (not exported by the SDK). */

export function requireUint(x: bigint, what: string): void {
  if (x < 0n) throw new RangeError(`${what} underflow (${x})`);
}

export function requireNonZero(d: bigint): void {
  if (d === 0n) throw new RangeError("division by zero");
}

export function at<T>(xs: readonly T[], i: number, what: string): T {
  const x = xs[i];
  if (x === undefined) throw new RangeError(`${what}[${i}] missing`);
  return x;
}
