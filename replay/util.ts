/** Small helpers of the replay: raw JSON-RPC, a seeded PRNG, unit conversions and the feeds' last prices. */
import { ethers, network } from "hardhat";
import type { Round } from "./prices/feed";
import type { SimAsset } from "./types";

export async function rpc(method: string, params: unknown[] = []): Promise<unknown> {
  return network.provider.request({ method, params });
}

export const hex = (x: bigint | number) => "0x" + x.toString(16);

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Amount of `decimals` base units worth `usd` at `price` (both JS numbers; precision ~1e-12 is plenty here). */
export function unitsFor(usd: number, price: number, decimals: number): bigint {
  const whole = usd / price;
  const scale = Math.min(decimals, 9);
  return BigInt(Math.floor(whole * 10 ** scale)) * 10n ** BigInt(decimals - scale);
}

/** The asset's last feed round at or before data time t (its first round when none is). */
export function lastRoundOf(a: SimAsset, t: number): Round | undefined {
  let last = a.rounds[0];
  for (const r of a.rounds) {
    if (r.time > t) break;
    last = r;
  }
  return last;
}

/** The price of the asset's last feed round at or before data time t. */
export function lastPriceOf(a: SimAsset, t: number): string {
  return lastRoundOf(a, t)?.price ?? "?";
}

/** Sends a transaction from an unlocked dev-node account without waiting (automine is off). */
export async function sendFrom(from: string, to: string, data: string, tip: bigint, gas = 300_000): Promise<string> {
  return (await rpc("eth_sendTransaction", [
    { from, to, data, gas: hex(gas), maxPriorityFeePerGas: hex(tip), maxFeePerGas: hex(1000n * 10n ** 9n + tip) },
  ])) as string;
}

/** Base units as a short decimal string. */
export function fmtUnits(x: bigint, decimals: number, digits = 2): string {
  const neg = x < 0n;
  const a = neg ? -x : x;
  const s = ethers.formatUnits(a, decimals);
  const [w, f = ""] = s.split(".");
  return `${neg ? "-" : ""}${w!.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}${digits ? "." + f.padEnd(digits, "0").slice(0, digits) : ""}`;
}
