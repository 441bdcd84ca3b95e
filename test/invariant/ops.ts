/**
 * Operations of the fuzzer (fast-check arbitraries) and their translation into one call each: the model
 * transition that predicts it and the transaction that runs it. Amounts are drawn as fractions or magnitudes and
 * resolved against the model's state when the step runs, so most generated steps are meaningful.
 */
import fc from "fast-check";
import { ethers } from "ethers";
import * as M from "./model";
import type { World, StepFacts } from "./model";
import type { Env } from "./world";
import { MockV3Aggregator__factory } from "../../typechain-types/factories/@chainlink/contracts/src/v0.8/tests/MockV3Aggregator__factory";

const feedIface = MockV3Aggregator__factory.createInterface();
const WAD = 10n ** 18n;
const MAXU = M.MAX_UINT256;
const MAX128 = M.MAX_UINT128;

export type Op =
  | { k: "supply"; m: number; u: number; mant: number; exp: number; byShares: boolean }
  | { k: "withdraw"; m: number; u: number; bps: number; byShares: boolean }
  | { k: "supplyCol"; m: number; u: number; c: number; mant: number; exp: number }
  | { k: "withdrawCol"; m: number; u: number; c: number; bps: number }
  | { k: "borrow"; m: number; u: number; bps: number }
  | { k: "repay"; m: number; u: number; payer: number; bps: number }
  | { k: "liquidate"; m: number; liq: number; u: number; c: number; bps: number }
  | { k: "accrue"; m: number }
  | { k: "time"; s: number }
  | { k: "price"; t: number; pct: number }
  | { k: "refresh"; t: number }
  | { k: "stale"; t: number }
  | { k: "flag"; m: number; u: number }
  | { k: "clear"; m: number; u: number }
  | { k: "stake"; u: number; mant: number; exp: number }
  | { k: "cooldown"; u: number; bps: number }
  | { k: "unstake"; u: number; bps: number; wait: number | null }
  | { k: "claim"; m: number; byFund: boolean }
  | { k: "park"; u: number }
  | { k: "pause"; m: number; flags: number; caller: number }
  | { k: "param"; m: number; which: number; v: number; caller: number }
  | { k: "roundTripSupply"; m: number; u: number; mant: number; exp: number }
  | { k: "roundTripBorrow"; m: number; u: number; bps: number };

const mi = fc.integer({ min: 0, max: 1 });
const user = fc.integer({ min: 0, max: 4 });
const borrower = fc.oneof({ arbitrary: fc.constantFrom(2, 3), weight: 3 }, { arbitrary: user, weight: 1 });
const bps = fc.oneof(fc.integer({ min: 1, max: 10_000 }), fc.constantFrom(1, 5_000, 9_900, 10_000, 10_500));
const mant = fc.integer({ min: 1, max: 999 });
const exp = fc.integer({ min: 0, max: 27 });
const tokenIdx = fc.integer({ min: 0, max: 4 });
const collateralToken = fc.constantFrom(1, 2, 4, 1, 2, 4, 0, 3);
// -1: the role the call needs; 0 admin, 1 risk, 2 guardian, 3 outsider (often the wrong role)
const caller = fc.oneof(
  { arbitrary: fc.constant(-1), weight: 3 },
  { arbitrary: fc.integer({ min: 0, max: 3 }), weight: 2 },
);

export const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({ k: fc.constant("supply" as const), m: mi, u: user, mant, exp, byShares: fc.boolean() }),
    weight: 5,
  },
  {
    arbitrary: fc.record({ k: fc.constant("withdraw" as const), m: mi, u: user, bps, byShares: fc.boolean() }),
    weight: 5,
  },
  {
    arbitrary: fc.record({
      k: fc.constant("supplyCol" as const),
      m: mi,
      u: user,
      c: fc.integer({ min: 0, max: 1 }),
      mant,
      exp,
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      k: fc.constant("withdrawCol" as const),
      m: mi,
      u: borrower,
      c: fc.integer({ min: 0, max: 1 }),
      bps,
    }),
    weight: 4,
  },
  { arbitrary: fc.record({ k: fc.constant("borrow" as const), m: mi, u: user, bps }), weight: 7 },
  { arbitrary: fc.record({ k: fc.constant("repay" as const), m: mi, u: borrower, payer: user, bps }), weight: 6 },
  {
    arbitrary: fc.record({
      k: fc.constant("liquidate" as const),
      m: mi,
      liq: user,
      u: borrower,
      c: fc.integer({ min: 0, max: 1 }),
      bps: fc.oneof(fc.constant(0), bps),
    }),
    weight: 16,
  },
  { arbitrary: fc.record({ k: fc.constant("accrue" as const), m: mi }), weight: 2 },
  {
    arbitrary: fc.record({
      k: fc.constant("time" as const),
      s: fc.oneof(
        { arbitrary: fc.integer({ min: 1, max: 600 }), weight: 4 },
        { arbitrary: fc.integer({ min: 600, max: 4_000 }), weight: 3 },
        { arbitrary: fc.integer({ min: 4_000, max: 86_400 }), weight: 1 },
        { arbitrary: fc.integer({ min: 86_400, max: 30 * 86_400 }), weight: 1 },
        { arbitrary: fc.constant(365 * 86_400), weight: 1 },
      ),
    }),
    weight: 8,
  },
  {
    arbitrary: fc.record({
      k: fc.constant("price" as const),
      t: collateralToken,
      pct: fc.constantFrom(-90, -70, -50, -50, -30, -15, -15, -8, -8, -3, 3, 8, 20, 50),
    }),
    weight: 20,
  },
  { arbitrary: fc.record({ k: fc.constant("refresh" as const), t: tokenIdx }), weight: 8 },
  { arbitrary: fc.record({ k: fc.constant("stale" as const), t: tokenIdx }), weight: 2 },
  { arbitrary: fc.record({ k: fc.constant("flag" as const), m: mi, u: borrower }), weight: 9 },
  { arbitrary: fc.record({ k: fc.constant("clear" as const), m: mi, u: borrower }), weight: 2 },
  {
    arbitrary: fc.record({ k: fc.constant("stake" as const), u: user, mant, exp: fc.integer({ min: 0, max: 12 }) }),
    weight: 2,
  },
  { arbitrary: fc.record({ k: fc.constant("cooldown" as const), u: user, bps }), weight: 2 },
  // wait: if the cooldown runs, the unstake lands that many seconds after the window opens (2 days is its default
  // length, so a few land just after it closes); a random walk of time jumps rarely hits the window otherwise.
  {
    arbitrary: fc.record({
      k: fc.constant("unstake" as const),
      u: user,
      bps,
      wait: fc.option(fc.integer({ min: 0, max: 180_000 }), { nil: null }),
    }),
    weight: 3,
  },
  // claimPremium by an EOA (NotInsuranceFund) or by the fund itself (impersonated): then the fund holds cash the
  // core no longer counts in premiumOwed, as after a donation, until a deposit, an exit or park() parks it again.
  { arbitrary: fc.record({ k: fc.constant("claim" as const), m: mi, byFund: fc.boolean() }), weight: 2 },
  { arbitrary: fc.record({ k: fc.constant("park" as const), u: user }), weight: 1 },
  {
    arbitrary: fc.record({
      k: fc.constant("pause" as const),
      m: mi,
      flags: fc.constantFrom(0, 0, 0, 1, 2, 4, 16, 0x50, 32, 64, 64, 0x77, 8, 0x80),
      caller,
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      k: fc.constant("param" as const),
      m: mi,
      which: fc.integer({ min: 0, max: 7 }),
      v: fc.nat(1000),
      caller,
    }),
    weight: 5,
  },
  { arbitrary: fc.record({ k: fc.constant("roundTripSupply" as const), m: mi, u: user, mant, exp }), weight: 2 },
  { arbitrary: fc.record({ k: fc.constant("roundTripBorrow" as const), m: mi, u: borrower, bps }), weight: 3 },
);

/** A crash and a keeper's flag, so that some sequences start with a pending (often uncovered) shortfall. */
export const crashPrefixArb: fc.Arbitrary<Op[]> = fc
  .record({
    t: fc.constantFrom(1, 4),
    pct: fc.constantFrom(-50, -70, -90),
    u: fc.constantFrom(2, 3),
  })
  .map(({ t, pct, u }) => [
    { k: "price" as const, t, pct },
    { k: "flag" as const, m: t === 4 ? 1 : 0, u },
  ]);

/** A sequence of 8-15 operations; one in five starts with a crash and a flag. */
export const sequenceArb: fc.Arbitrary<Op[]> = fc.oneof(
  { arbitrary: fc.array(opArb, { minLength: 8, maxLength: 15 }), weight: 4 },
  {
    arbitrary: fc
      .tuple(crashPrefixArb, fc.array(opArb, { minLength: 6, maxLength: 13 }))
      .map(([prefix, rest]) => [...prefix, ...rest]),
    weight: 1,
  },
);

export interface Call {
  from: string;
  to: string;
  data: string;
}

export interface Planned {
  call: Call | null; // null: no transaction (time jump)
  next: World; // predicted state after the step (equals the state before when it reverts)
  outcome: M.Outcome;
  facts: StepFacts;
  ts: bigint; // timestamp of the step's block
  raises?: "supply" | "borrow" | "collateral";
  pauseFlag?: number; // the pause flag the action checks
  roleRequired?: "admin" | "risk" | "guardian";
  callerRole?: number;
  safeDirection?: boolean; // repay, supply, supply collateral
  riskyPriced?: boolean; // borrow, withdraw collateral with debt, liquidation
}

const amount = (mantissa: number, e: number, decimals: number) =>
  BigInt(mantissa) * 10n ** BigInt(Math.min(e, decimals + 8));
const frac = (x: bigint, b: number) => (x * BigInt(b)) / 10_000n;

const PARAM_ROLE: ("risk" | "admin")[] = ["risk", "risk", "risk", "risk", "risk", "risk", "admin", "admin"];

/** Plans one step: resolves the op's amounts on `w`, predicts it on a clone, and encodes its transaction. */
export function plan(env: Env, w: World, op: Op, pendingJump: bigint): Planned {
  const L = env.L;
  let ts = w.now + 1n + pendingJump;
  if (op.k === "unstake" && op.wait !== null) {
    const opens = w.fund.cooldownStart[op.u]! + w.fund.cooldown;
    if (w.fund.cooldownStart[op.u]! !== 0n && opens > ts) ts = opens + BigInt(op.wait);
  }
  const next = M.clone(w);
  next.now = ts;
  const facts: StepFacts = {};
  const core = env.core.interface;
  const coreTo = env.coreAddr;
  const ua = (u: number) => env.userAddrs[u]!;
  const mk = "m" in op ? w.markets[op.m]! : undefined;
  const id = mk?.id ?? 0n;
  const p: Planned = { call: null, next, outcome: M.OK, facts, ts };
  const run = (fn: () => void) => {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof M.Revert)) throw e;
      p.outcome = M.err(e.error);
      p.next = M.clone(w);
      p.next.now = ts;
    }
  };
  const callers = [env.admin, env.risk, env.guardian, env.outsider];
  switch (op.k) {
    case "supply": {
      const dec = env.decimals[mk!.loan]!;
      const a = amount(op.mant, op.exp, dec);
      const [assets, shares] = op.byShares ? [0n, a] : [a, 0n];
      p.call = { from: ua(op.u), to: coreTo, data: core.encodeFunctionData("supply", [id, assets, shares, ua(op.u)]) };
      p.raises = "supply";
      p.pauseFlag = 1;
      p.safeDirection = true;
      run(() => M.supply(next, L, op.m, op.u, assets, shares, ts));
      break;
    }
    case "withdraw": {
      const pos = mk!.pos[op.u]!;
      let assets = 0n;
      let shares = 0n;
      if (op.byShares) shares = frac(pos.supplyShares, op.bps) || 1n;
      else
        assets = frac(M.toAssetsDown(pos.supplyShares, mk!.m.totalSupplyAssets, mk!.m.totalSupplyShares), op.bps) || 1n;
      p.call = {
        from: ua(op.u),
        to: coreTo,
        data: core.encodeFunctionData("withdraw", [id, assets, shares, ua(op.u), ua(op.u)]),
      };
      p.pauseFlag = 2;
      run(() => void M.withdraw(next, L, op.m, op.u, assets, shares, ts));
      break;
    }
    case "supplyCol": {
      const c = Math.min(op.c, mk!.cols.length - 1);
      const a = amount(op.mant, op.exp, env.decimals[mk!.cols[c]!.token]!);
      p.call = { from: ua(op.u), to: coreTo, data: core.encodeFunctionData("supplyCollateral", [id, c, a, ua(op.u)]) };
      p.raises = "collateral";
      p.pauseFlag = 16;
      // More of a held collateral never needs a price (I10); a new one on a position with debt does (finding 5).
      const pos = mk!.pos[op.u]!;
      const priced = pos.collateral[c]! === 0n && pos.borrowShares !== 0n;
      p.safeDirection = !priced;
      p.riskyPriced = priced;
      run(() => M.supplyCollateral(next, L, op.m, op.u, c, a, ts));
      break;
    }
    case "withdrawCol": {
      const c = Math.min(op.c, mk!.cols.length - 1);
      const a = frac(mk!.pos[op.u]!.collateral[c]!, op.bps) || 1n;
      p.call = {
        from: ua(op.u),
        to: coreTo,
        data: core.encodeFunctionData("withdrawCollateral", [id, c, a, ua(op.u), ua(op.u)]),
      };
      p.pauseFlag = 32;
      p.riskyPriced = mk!.pos[op.u]!.borrowShares !== 0n;
      run(() => M.withdrawCollateral(next, L, op.m, op.u, c, a, ts));
      break;
    }
    case "borrow": {
      const room = M.min(M.borrowRoom(w, op.m, op.u, ts), M.liquidity(w, op.m));
      const a = room > 0n ? frac(room, op.bps) || 1n : 10n ** BigInt(env.decimals[mk!.loan]!);
      p.call = { from: ua(op.u), to: coreTo, data: core.encodeFunctionData("borrow", [id, a, 0n, ua(op.u), ua(op.u)]) };
      p.raises = "borrow";
      p.pauseFlag = 4;
      p.riskyPriced = true;
      run(() => void M.borrow(next, L, op.m, op.u, a, 0n, ts));
      break;
    }
    case "repay": {
      const pos = mk!.pos[op.u]!;
      let assets = 0n;
      let shares = 0n;
      if (op.bps >= 10_000) shares = pos.borrowShares || 1n;
      else assets = frac(M.debtOf(mk!, op.u), op.bps) || 1n;
      p.call = {
        from: ua(op.payer),
        to: coreTo,
        data: core.encodeFunctionData("repay", [id, assets, shares, ua(op.u)]),
      };
      p.safeDirection = true;
      run(() => void M.repay(next, L, op.m, op.payer, op.u, assets, shares, ts));
      break;
    }
    case "liquidate": {
      const c = Math.min(op.c, mk!.cols.length - 1);
      const r = op.bps === 0 ? MAXU : frac(M.debtOf(mk!, op.u), op.bps) || 1n;
      p.call = {
        from: ua(op.liq),
        to: coreTo,
        data: core.encodeFunctionData("liquidate", [id, ua(op.u), c, r, ua(op.liq), "0x"]),
      };
      p.pauseFlag = 64;
      p.riskyPriced = true;
      run(() => M.liquidate(next, L, op.m, op.liq, op.u, c, r, ts, facts));
      break;
    }
    case "accrue":
      p.call = { from: ua(0), to: coreTo, data: core.encodeFunctionData("accrueInterest", [id]) };
      run(() => M.accrue(next, op.m, ts, true)); // accrueInterest carries the unpaid seconds
      break;
    case "time":
      p.ts = w.now; // no block: the jump applies to the next transaction
      p.next = M.clone(w);
      break;
    case "price":
    case "refresh":
    case "stale": {
      const f = w.feeds[op.t]!;
      let answer = f.answer;
      if (op.k === "price") answer = (f.answer * BigInt(100 + op.pct)) / 100n || 1n;
      if (op.k === "stale") {
        const updatedAt = ts - w.adapters[op.t]!.maxAge - 1n;
        p.call = {
          from: env.admin,
          to: env.feedAddrs[op.t]!,
          data: feedIface.encodeFunctionData("updateRoundData", [1000n + ts, answer, updatedAt, updatedAt]),
        };
        next.feeds[op.t] = { answer, updatedAt };
      } else {
        p.call = {
          from: env.admin,
          to: env.feedAddrs[op.t]!,
          data: feedIface.encodeFunctionData("updateAnswer", [answer]),
        };
        next.feeds[op.t] = { answer, updatedAt: ts };
      }
      break;
    }
    case "flag":
      p.call = { from: ua(4), to: coreTo, data: core.encodeFunctionData("flagShortfall", [id, ua(op.u)]) };
      run(() => M.flagShortfall(next, op.m, op.u, ts, facts));
      break;
    case "clear":
      p.call = { from: ua(4), to: coreTo, data: core.encodeFunctionData("clearShortfall", [id, ua(op.u)]) };
      run(() => M.clearShortfall(next, op.m, op.u, ts));
      break;
    case "stake": {
      const a = amount(op.mant, op.exp, 6);
      p.call = {
        from: ua(op.u),
        to: env.fundAddr,
        data: env.fund.interface.encodeFunctionData("deposit", [a, ua(op.u)]),
      };
      run(() => M.stake(next, L, op.u, a, ts));
      break;
    }
    case "cooldown": {
      const s = frac(w.fund.shares[op.u]!, op.bps);
      p.call = { from: ua(op.u), to: env.fundAddr, data: env.fund.interface.encodeFunctionData("cooldown", [s]) };
      run(() => M.cooldown(next, op.u, s, ts));
      break;
    }
    case "unstake": {
      const s = frac(w.fund.cooling[op.u]! || w.fund.shares[op.u]!, op.bps) || 1n;
      p.call = {
        from: ua(op.u),
        to: env.fundAddr,
        data: env.fund.interface.encodeFunctionData("redeem", [s, ua(op.u), ua(op.u)]),
      };
      run(() => void M.unstake(next, L, op.u, s, ts));
      break;
    }
    case "claim":
      p.call = {
        from: op.byFund ? env.fundAddr : ua(0),
        to: coreTo,
        data: core.encodeFunctionData("claimPremium", [id]),
      };
      run(() => M.claimPremium(next, L, op.m, op.byFund ? L.fund : 0, ts)); // user 0: NotInsuranceFund
      break;
    case "park":
      p.call = { from: ua(op.u), to: env.fundAddr, data: env.fund.interface.encodeFunctionData("park") };
      run(() => M.park(next, L));
      break;
    case "pause": {
      const who = op.caller < 0 ? 2 : op.caller;
      p.call = { from: callers[who]!, to: coreTo, data: core.encodeFunctionData("setPaused", [id, op.flags]) };
      p.roleRequired = "guardian";
      p.callerRole = who;
      if (who !== 2) p.outcome = M.err("AccessControlUnauthorizedAccount");
      else run(() => M.setPaused(next, op.m, op.flags, ts));
      break;
    }
    case "param":
      planParam(env, w, op, p, callers, run);
      break;
    case "roundTripSupply": {
      const a = amount(op.mant, op.exp, env.decimals[mk!.loan]!);
      p.safeDirection = true;
      run(() => {
        M.supply(next, L, op.m, op.u, a, 0n, ts);
        const minted = next.markets[op.m]!.pos[op.u]!.supplyShares - mk!.pos[op.u]!.supplyShares;
        p.call = {
          from: ua(op.u),
          to: coreTo,
          data: core.encodeFunctionData("multicall", [
            [
              core.encodeFunctionData("supply", [id, a, 0n, ua(op.u)]),
              core.encodeFunctionData("withdraw", [id, 0n, minted, ua(op.u), ua(op.u)]),
            ],
          ]),
        };
        const out = M.withdraw(next, L, op.m, op.u, 0n, minted, ts);
        facts.roundTrip = { paidIn: a, paidOut: out, kind: "supply/withdraw" };
      });
      if (!p.call) {
        // The supply itself reverts: send it alone inside the multicall, the revert bubbles.
        p.call = {
          from: ua(op.u),
          to: coreTo,
          data: core.encodeFunctionData("multicall", [[core.encodeFunctionData("supply", [id, a, 0n, ua(op.u)])]]),
        };
      }
      break;
    }
    case "roundTripBorrow": {
      const room = M.min(M.borrowRoom(w, op.m, op.u, ts), M.liquidity(w, op.m));
      const a = room > 0n ? frac(room, op.bps) || 1n : 10n ** BigInt(env.decimals[mk!.loan]!);
      run(() => {
        const [assets, shares] = M.borrow(next, L, op.m, op.u, a, 0n, ts);
        p.call = {
          from: ua(op.u),
          to: coreTo,
          data: core.encodeFunctionData("multicall", [
            [
              core.encodeFunctionData("borrow", [id, a, 0n, ua(op.u), ua(op.u)]),
              core.encodeFunctionData("repay", [id, 0n, shares, ua(op.u)]),
            ],
          ]),
        };
        const paid = M.repay(next, L, op.m, op.u, op.u, 0n, shares, ts);
        facts.roundTrip = { paidIn: paid, paidOut: assets, kind: "borrow/repay" };
      });
      if (!p.call) {
        p.call = {
          from: ua(op.u),
          to: coreTo,
          data: core.encodeFunctionData("multicall", [
            [core.encodeFunctionData("borrow", [id, a, 0n, ua(op.u), ua(op.u)])],
          ]),
        };
      }
      break;
    }
  }
  return p;
}

/** Parameter changes by the right or a wrong role, with values inside and outside the hard bounds. */
function planParam(
  env: Env,
  w: World,
  op: Extract<Op, { k: "param" }>,
  p: Planned,
  callers: string[],
  run: (fn: () => void) => void,
): void {
  const core = env.core.interface;
  const mk = w.markets[op.m]!;
  const id = mk.id;
  const next = p.next;
  const nm = next.markets[op.m]!;
  const v = op.v;
  const pick = <T>(xs: T[]): T => xs[v % xs.length]!;
  const role = PARAM_ROLE[op.which]!;
  p.roleRequired = role;
  const who = op.caller < 0 ? (role === "risk" ? 1 : 0) : op.caller;
  p.callerRole = who;
  const allowed = (role === "risk" && who === 1) || (role === "admin" && who === 0);
  let data = "";
  let fn: () => void = () => {};
  switch (op.which) {
    case 0: {
      const sc = pick([MAX128, mk.m.totalSupplyAssets, mk.m.totalSupplyAssets + 10n ** 9n, 0n, MAX128]);
      const bc = pick([MAX128, mk.m.totalBorrowAssets + 10n ** 7n, 0n, MAX128, mk.m.totalBorrowAssets]);
      data = core.encodeFunctionData("setCaps", [id, sc, bc]);
      fn = () => {
        nm.cfg.supplyCap = sc;
        nm.cfg.borrowCap = bc;
      };
      break;
    }
    case 1: {
      const rf = pick([0n, WAD / 10n, (WAD * 3n) / 10n, WAD / 2n, (WAD * 6n) / 10n]);
      const pf = pick([0n, WAD / 20n, WAD / 2n, (WAD * 51n) / 100n]);
      data = core.encodeFunctionData("setFactors", [id, rf, pf]);
      fn = () => {
        M.accrue(next, op.m, p.ts);
        M.checkFactors(rf, pf);
        nm.cfg.reserveFactor = rf;
        nm.cfg.insurancePremiumFactor = pf;
      };
      break;
    }
    case 2: {
      const r = {
        baseRate: pick([0n, WAD / 50n, WAD, WAD + 1n]),
        slope1: pick([WAD / 25n, WAD / 10n, 10n * WAD, 11n * WAD, 0n]),
        slope2: pick([3n * WAD, WAD, 10n * WAD, 0n, 10n * WAD + 1n, 2n * WAD]),
        targetUtilization: pick([(WAD * 8n) / 10n, WAD / 2n, (WAD * 99n) / 100n, WAD / 200n]),
      };
      data = core.encodeFunctionData("setRateModel", [id, r]);
      fn = () => {
        M.accrue(next, op.m, p.ts);
        M.checkRateModel(r);
        nm.cfg.rateModel = r;
      };
      break;
    }
    case 3: {
      const c = v % mk.cols.length;
      const col = mk.cols[c]!;
      const t = pick([
        [col.ltv, col.liquidationThreshold, col.liquidationBonus],
        [(WAD * 7n) / 10n, (WAD * 8n) / 10n, WAD / 10n],
        [(WAD * 85n) / 100n, (WAD * 9n) / 10n, WAD / 20n],
        [(WAD * 9n) / 10n, (WAD * 9n) / 10n, WAD / 20n], // ltv == lt
        [(WAD * 8n) / 10n, (WAD * 96n) / 100n, 0n], // lt above 95%
        [(WAD * 5n) / 10n, (WAD * 6n) / 10n, (WAD * 21n) / 100n], // bonus above 20%
        [(WAD * 8n) / 10n, (WAD * 9n) / 10n, (WAD * 12n) / 100n], // lt x (1 + bonus) >= 1
        [0n, (WAD * 5n) / 10n, WAD / 5n],
      ] as bigint[][]);
      const cap = pick([MAX128, col.totalSupplied, MAX128]);
      data = core.encodeFunctionData("setCollateralRisk", [id, c, t[0]!, t[1]!, t[2]!, cap]);
      fn = () => {
        M.checkCollateralRisk(t[0]!, t[1]!, t[2]!);
        // Threshold down or bonus up needs the admin too (issue 13, #17): the risk caller here never is.
        if (t[1]! < col.liquidationThreshold || t[2]! > col.liquidationBonus) throw new M.Revert("AdminOnlyChange");
        const nc = nm.cols[c]!;
        nc.ltv = t[0]!;
        nc.liquidationThreshold = t[1]!;
        nc.liquidationBonus = t[2]!;
        nc.supplyCap = cap;
      };
      break;
    }
    case 4: {
      const unit = 10n ** BigInt(env.decimals[mk.loan]!);
      const mb = pick([0n, 10n * unit, 1000n * unit, 1n]);
      const ml = pick([0n, 10n * unit, 1n, 500n * unit]);
      data = core.encodeFunctionData("setMinAmounts", [id, mb, ml]);
      fn = () => {
        if (ml > mk.cfg.minLeftover) throw new M.Revert("AdminOnlyChange"); // raising it needs the admin too
        nm.cfg.minBorrow = mb;
        nm.cfg.minLeftover = ml;
      };
      break;
    }
    case 5: {
      const cf = pick([(WAD * 95n) / 100n, WAD / 2n, WAD, (WAD * 4n) / 10n, WAD + 1n]);
      const share = pick([0n, WAD / 10n, WAD / 2n, (WAD * 6n) / 10n]);
      const grace = pick([3600n, 0n, 4n * 3600n, 5n * 3600n, 60n]);
      data = core.encodeFunctionData("setLiquidationParams", [id, cf, share, grace]);
      fn = () => {
        M.checkLiquidationParams(cf, share, grace);
        nm.cfg.closeFactorHfThreshold = cf;
        nm.cfg.protocolBonusShare = share;
        nm.cfg.liquidationGracePeriod = grace;
      };
      break;
    }
    case 6: {
      const floor = pick([0n, mk.m.reserves, mk.m.reserves / 2n, MAX128]);
      data = core.encodeFunctionData("setReserveFloor", [id, floor]);
      fn = () => {
        nm.cfg.reserveFloor = floor;
      };
      break;
    }
    default: {
      const amt = pick([mk.m.reserves / 2n, mk.m.reserves, mk.m.reserves + 1n, 1n]);
      data = core.encodeFunctionData("withdrawReserves", [id, amt, env.admin]);
      fn = () => M.withdrawReserves(next, env.L, op.m, amt, p.ts);
      break;
    }
  }
  p.call = { from: callers[who]!, to: env.coreAddr, data };
  if (!allowed) p.outcome = M.err("AccessControlUnauthorizedAccount");
  else run(fn);
}

export function describeOp(op: Op): string {
  return JSON.stringify(op);
}

export const ZERO = ethers.ZeroAddress;
