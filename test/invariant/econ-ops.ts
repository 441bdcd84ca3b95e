/**
 * Operations of the economic-properties fuzzer: what attackers, honest actors and the environment do, as
 * fast-check arbitraries, and their translation into transactions (several for a multicall's preparation).
 */
import fc from "fast-check";
import { ethers } from "ethers";
import { EconEnv, ROLE, U, WINDOW, COOLDOWN } from "./econ-world";
import type { Snap } from "./econ-state";
import { rpc } from "./world";
import { FUND, cooldownData } from "./econ-fund";

/** A core action an attacker may take alone or inside a multicall. */
export type CoreAct =
  | { a: "supply"; amt: number }
  | { a: "withdrawAll" }
  | { a: "withdrawHalf" }
  | { a: "liquidate"; b: number; c: number; amt: number }
  | { a: "flag"; b: number }
  | { a: "clear"; b: number }
  | { a: "repay"; b: number; amt: number }
  | { a: "addCol"; b: number; c: number };

export type Op =
  | { k: "core"; who: number; act: CoreAct }
  | { k: "atomic"; who: number; acts: CoreAct[] }
  | { k: "stake"; who: number; amt: number }
  | { k: "cooldown"; who: number }
  | { k: "unstake"; who: number; all: boolean; wait: boolean }
  | { k: "giveShare"; who: number; to: number }
  | { k: "time"; s: number }
  | { k: "boundary"; off: number }
  | { k: "price"; t: number; level: number }
  | { k: "refresh" }
  | { k: "keeper"; act: CoreAct }
  | { k: "borrowerCure"; b: number; repay: boolean };

/** WETH and WBTC price levels (8-decimal USD); level 0 is the initial price. */
export const LEVELS = [
  [200_000_000_000n, 160_000_000_000n, 130_000_000_000n, 100_000_000_000n, 70_000_000_000n],
  [6_000_000_000_000n, 4_000_000_000_000n, 2_500_000_000_000n],
];
/** Amounts (USDC) for supplies, liquidations, repayments and stakes. */
const SUPPLY = [1_000n, 100_000n, 1_000_000n];
const LIQ = [10n, 100n, 1_000n, 0n]; // 0: the most allowed
const STAKE = [0n, 10_000n, 100_000n]; // 0: one base unit (a dust stake)
const TIMES = [1, 59, 3_600, 3_601, 43_200, 86_399, 86_401];

const borrower = fc.integer({ min: 0, max: 3 });
const attacker = fc.constantFrom(ROLE.attacker1, ROLE.attacker2);

const coreAct: fc.Arbitrary<CoreAct> = fc.oneof(
  { arbitrary: fc.record({ a: fc.constant("supply" as const), amt: fc.integer({ min: 0, max: 2 }) }), weight: 3 },
  { arbitrary: fc.record({ a: fc.constant("withdrawAll" as const) }), weight: 2 },
  { arbitrary: fc.record({ a: fc.constant("withdrawHalf" as const) }), weight: 1 },
  {
    arbitrary: fc.record({
      a: fc.constant("liquidate" as const),
      b: borrower,
      c: fc.integer({ min: 0, max: 1 }),
      amt: fc.integer({ min: 0, max: 3 }),
    }),
    weight: 4,
  },
  { arbitrary: fc.record({ a: fc.constant("flag" as const), b: borrower }), weight: 2 },
  { arbitrary: fc.record({ a: fc.constant("clear" as const), b: borrower }), weight: 1 },
  {
    arbitrary: fc.record({ a: fc.constant("repay" as const), b: borrower, amt: fc.integer({ min: 0, max: 1 }) }),
    weight: 1,
  },
  {
    arbitrary: fc.record({ a: fc.constant("addCol" as const), b: borrower, c: fc.integer({ min: 0, max: 1 }) }),
    weight: 1,
  },
);

export const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ k: fc.constant("core" as const), who: attacker, act: coreAct }), weight: 10 },
  {
    arbitrary: fc.record({
      k: fc.constant("atomic" as const),
      who: attacker,
      acts: fc.array(coreAct, { minLength: 2, maxLength: 4 }),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      k: fc.constant("stake" as const),
      who: fc.constantFrom(ROLE.attacker1, ROLE.attacker2, ROLE.staker1),
      amt: fc.integer({ min: 0, max: 2 }),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      k: fc.constant("cooldown" as const),
      who: fc.constantFrom(ROLE.attacker1, ROLE.attacker2, ROLE.staker2),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      k: fc.constant("unstake" as const),
      who: fc.constantFrom(ROLE.attacker1, ROLE.attacker2, ROLE.staker2),
      all: fc.boolean(),
      wait: fc.boolean(),
    }),
    weight: 5,
  },
  {
    arbitrary: fc.record({
      k: fc.constant("giveShare" as const),
      who: attacker,
      to: fc.constantFrom(ROLE.staker2, ROLE.attacker1, ROLE.attacker2),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ k: fc.constant("time" as const), s: fc.constantFrom(...TIMES) }), weight: 4 },
  { arbitrary: fc.record({ k: fc.constant("boundary" as const), off: fc.integer({ min: -2, max: 1 }) }), weight: 2 },
  {
    arbitrary: fc.oneof(
      fc.record({ k: fc.constant("price" as const), t: fc.constant(1), level: fc.integer({ min: 0, max: 4 }) }),
      fc.record({ k: fc.constant("price" as const), t: fc.constant(2), level: fc.integer({ min: 0, max: 2 }) }),
    ),
    weight: 5,
  },
  { arbitrary: fc.record({ k: fc.constant("refresh" as const) }), weight: 1 },
  { arbitrary: fc.record({ k: fc.constant("keeper" as const), act: coreAct }), weight: 2 },
  { arbitrary: fc.record({ k: fc.constant("borrowerCure" as const), b: borrower, repay: fc.boolean() }), weight: 1 },
);

/** A sequence starts with a crash and, mostly, a keeper's flags: the properties are about losses. */
export const sequenceArb = (min: number, max: number): fc.Arbitrary<Op[]> =>
  fc
    .tuple(
      fc.integer({ min: 1, max: 4 }),
      fc.subarray([0, 1, 2, 3]),
      fc.array(opArb, { minLength: min, maxLength: max }),
    )
    .map(([lvl, flagged, ops]) => [
      { k: "price", t: 1, level: lvl } as Op,
      ...flagged.map((b) => ({ k: "keeper", act: { a: "flag", b } }) as Op),
      ...ops,
    ]);

// ------------------------------------------------------------------------------------------------ encoding

export interface Call {
  from: string;
  to: string;
  data: string;
}

/** Who an op's value effects are attributed to: an attacker (E1), or nobody (environment and honest actors). */
export function actorOf(op: Op): number | null {
  if (op.k === "core" || op.k === "atomic" || op.k === "giveShare") return op.who;
  if (op.k === "stake" || op.k === "cooldown" || op.k === "unstake")
    return op.who === ROLE.attacker1 || op.who === ROLE.attacker2 ? op.who : null;
  return null;
}

const MAXU = ethers.MaxUint256;

function encodeAct(env: EconEnv, s: Snap, who: number, act: CoreAct): string | null {
  const I = env.core.interface;
  const me = env.accounts[who]!;
  const bAddr = (b: number) => env.accounts[env.borrowers[b]!]!;
  switch (act.a) {
    case "supply":
      return I.encodeFunctionData("supply", [env.id, SUPPLY[act.amt]! * U, 0n, me]);
    case "withdrawAll":
    case "withdrawHalf": {
      const sh = s.acc[who]!.supplyShares;
      const shares = act.a === "withdrawAll" ? sh : sh / 2n;
      return shares === 0n ? null : I.encodeFunctionData("withdraw", [env.id, 0n, shares, me, me]);
    }
    case "liquidate": {
      const amt = LIQ[act.amt]! === 0n ? MAXU : LIQ[act.amt]! * U;
      return I.encodeFunctionData("liquidate", [env.id, bAddr(act.b), act.c, amt, me, "0x"]);
    }
    case "flag":
      return I.encodeFunctionData("flagShortfall", [env.id, bAddr(act.b)]);
    case "clear":
      return I.encodeFunctionData("clearShortfall", [env.id, bAddr(act.b)]);
    case "repay":
      return I.encodeFunctionData("repay", [env.id, act.amt === 0 ? 10n * U : 1_000n * U, 0n, bAddr(act.b)]);
    case "addCol":
      return I.encodeFunctionData("supplyCollateral", [env.id, act.c, 1n, bAddr(act.b)]);
  }
}

/** The multicall's calls; a withdrawal inside it takes the shares held at that point (found with an eth_call). */
async function encodeAtomic(env: EconEnv, s: Snap, who: number, acts: CoreAct[]): Promise<string | null> {
  const I = env.core.interface;
  const me = env.accounts[who]!;
  const calls: string[] = [];
  for (const act of acts) {
    if (act.a === "withdrawAll" || act.a === "withdrawHalf") {
      const probe = I.encodeFunctionData("multicall", [[...calls, I.encodeFunctionData("position", [env.id, me])]]);
      let shares: bigint;
      try {
        const ret = await rpc<string>("eth_call", [{ from: me, to: env.coreAddr, data: probe }, "latest"]);
        const results = I.decodeFunctionResult("multicall", ret)[0] as string[];
        shares = I.decodeFunctionResult("position", results[results.length - 1]!)[0] as bigint;
      } catch {
        continue; // an earlier call reverts: the multicall will revert anyway
      }
      if (act.a === "withdrawHalf") shares /= 2n;
      if (shares > 0n) calls.push(I.encodeFunctionData("withdraw", [env.id, 0n, shares, me, me]));
      continue;
    }
    const d = encodeAct(env, s, who, act);
    if (d) calls.push(d);
  }
  return calls.length === 0 ? null : I.encodeFunctionData("multicall", [calls]);
}

export interface Ledger {
  /** per account: shares cooled at the cooldown start, its time, and shares redeemed since */
  cool: Map<number, { start: bigint; shares: bigint; redeemed: bigint }>;
}

/** The transactions of one op (empty: nothing to send), in order. Time ops return no call. */
export async function encodeOp(env: EconEnv, s: Snap, op: Op, led: Ledger): Promise<Call[]> {
  const from = (i: number) => env.accounts[i]!;
  const core = (who: number, data: string | null): Call[] =>
    data ? [{ from: from(who), to: env.coreAddr, data }] : [];
  const fund = (who: number, data: string): Call[] => [{ from: from(who), to: env.fundAddr, data }];
  switch (op.k) {
    case "core":
      return core(op.who, encodeAct(env, s, op.who, op.act));
    case "atomic":
      return core(op.who, await encodeAtomic(env, s, op.who, op.acts));
    case "keeper":
      return core(ROLE.keeper, encodeAct(env, s, ROLE.keeper, op.act));
    case "stake": {
      const amt = STAKE[op.amt]! === 0n ? 1n : STAKE[op.amt]! * U;
      return fund(op.who, FUND.encodeFunctionData("deposit", [amt, from(op.who)]));
    }
    case "cooldown":
      return fund(op.who, cooldownData(env.fund, s.acc[op.who]!.fundShares));
    case "unstake": {
      const l = led.cool.get(op.who);
      const cooled = l && l.shares > l.redeemed ? l.shares - l.redeemed : 0n;
      const held = s.acc[op.who]!.fundShares;
      const shares = op.all || cooled > held ? held : cooled;
      if (shares === 0n) return [];
      return fund(op.who, FUND.encodeFunctionData("redeem", [shares, from(op.who), from(op.who)]));
    }
    case "giveShare":
      return s.acc[op.who]!.fundShares === 0n || op.to === op.who
        ? []
        : fund(op.who, FUND.encodeFunctionData("transfer", [from(op.to), 1n]));
    case "price": {
      const t = env.tokens[op.t]!;
      const data = t.feed.interface.encodeFunctionData("updateAnswer", [LEVELS[op.t - 1]![op.level]!]);
      return [{ from: from(ROLE.keeper), to: env.feedAddrs[op.t]!, data }];
    }
    case "refresh":
      return env.tokens.map((t, i) => ({
        from: from(ROLE.keeper),
        to: env.feedAddrs[i]!,
        data: t.feed.interface.encodeFunctionData("updateAnswer", [s.prices[i]!]),
      }));
    case "borrowerCure": {
      const b = env.borrowers[op.b]!;
      const I = env.core.interface;
      return op.repay
        ? s.acc[b]!.borrowShares === 0n
          ? []
          : core(b, I.encodeFunctionData("repay", [env.id, 0n, s.acc[b]!.borrowShares / 4n + 1n, from(b)]))
        : core(b, I.encodeFunctionData("supplyCollateral", [env.id, 0, 10n ** 18n, from(b)]));
    }
    case "time":
    case "boundary":
      return [];
  }
}

/** The block time a time op moves to (an unstake that waits: the opening of the staker's window). */
export function timeTarget(now: bigint, op: Op, led: Ledger): bigint {
  if (op.k === "unstake") {
    const l = led.cool.get(op.who);
    const opens = l ? l.start + BigInt(COOLDOWN) : 0n;
    return op.wait && opens > now ? opens : now;
  }
  if (op.k === "time") return now + BigInt(op.s);
  if (op.k !== "boundary") return now;
  const W = BigInt(WINDOW);
  let t = (now / W + 1n) * W + BigInt(op.off);
  if (t <= now) t += W;
  return t;
}
