/**
 * What a replay counts from the core's events as the keeper reads them: flags pending, exits (and those made
 * while a shortfall was pending), supplies, withdrawals and supplier interest (for the supply identity),
 * liquidations per block, and bad debt per phase (a UTC day) and cumulatively, split by who paid it.
 */
import type { Log } from "ethers";
import type { Phase } from "./types";

type Args = Record<string, unknown>;

/** The phase of a data time: its UTC day. */
export const phaseName = (t: number) => new Date(t * 1000).toISOString().slice(0, 10);

export class Tally {
  readonly phases = new Map<string, Phase>();
  readonly flagged = new Map<string, bigint>();
  readonly withdrawnBy = new Map<string, bigint>();
  readonly liquidatedAt = new Map<number, Set<string>>();
  readonly perEvent: { amount: bigint; parts: bigint }[] = [];
  pending = 0n;
  exits = 0;
  exitsWhilePending = 0;
  liquidations = 0;
  supplied = 0n;
  withdrawn = 0n;
  supplierInterest = 0n;
  readonly cum = { badDebt: 0n, fromReserves: 0n, fromInsurance: 0n, socialized: 0n };

  constructor(readonly startBlock: number) {}

  phaseOf(t: number): Phase {
    const name = phaseName(t);
    let p = this.phases.get(name);
    if (!p) {
      p = { name, price: {}, liquidations: 0, badDebt: 0n, fromReserves: 0n, fromInsurance: 0n, socialized: 0n };
      this.phases.set(name, p);
    }
    return p;
  }

  /** Counts the logs read since the last call, attributing them to the phase of data time t. */
  add(logs: { log: Log; name: string; args: Args }[], t: number): void {
    for (const { log, name, args } of logs) {
      if (log.blockNumber < this.startBlock) continue;
      if (name === "ShortfallFlagged" || name === "ShortfallCleared") this.flag(name, args);
      else if (name === "Withdraw") this.withdraw(args);
      else if (name === "Supply") this.supplied += args.assets as bigint;
      else if (name === "AccrueInterest")
        this.supplierInterest += (args.interest as bigint) - (args.toReserves as bigint) - (args.toInsurance as bigint);
      else if (name === "Liquidate") this.liquidate(log.blockNumber, args, t);
      else if (name === "BadDebtRealized") this.badDebt(args, t);
    }
  }

  private flag(name: string, args: Args): void {
    const b = String(args.borrower).toLowerCase();
    const amt = name === "ShortfallFlagged" ? (args.amount as bigint) : 0n;
    this.pending += amt - (this.flagged.get(b) ?? 0n);
    this.flagged.set(b, amt);
  }

  private withdraw(args: Args): void {
    this.exits++;
    if (this.pending > 0n) this.exitsWhilePending++;
    this.withdrawn += args.assets as bigint;
    const who = String(args.onBehalf).toLowerCase();
    this.withdrawnBy.set(who, (this.withdrawnBy.get(who) ?? 0n) + (args.assets as bigint));
  }

  private liquidate(block: number, args: Args, t: number): void {
    this.liquidations++;
    this.phaseOf(t).liquidations++;
    const set = this.liquidatedAt.get(block) ?? new Set<string>();
    set.add(String(args.borrower).toLowerCase());
    this.liquidatedAt.set(block, set);
  }

  private badDebt(args: Args, t: number): void {
    const [amount, fr, fi, so] = [args.amount, args.fromReserves, args.fromInsurance, args.socialized] as bigint[];
    this.perEvent.push({ amount: amount!, parts: fr! + fi! + so! });
    const ph = this.phaseOf(t);
    for (const x of [ph, this.cum]) {
      x.badDebt += amount!;
      x.fromReserves += fr!;
      x.fromInsurance += fi!;
      x.socialized += so!;
    }
  }
}
