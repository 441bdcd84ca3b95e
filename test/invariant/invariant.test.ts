/**
 * Stateful fuzzing of Ballast against the reference model (issue 7, with issue 9's additions).
 *
 * Every run reverts the chain to one snapshot (deployed once), then executes a random sequence of 8-15
 * operations. Before each transaction the model predicts its outcome (success, or the custom error) and the exact
 * state after it; after it the suite reads every figure in one call and checks it against the model and against
 * the invariants of test/invariant/spec.ts.
 *
 * CI: 500 runs with a fixed seed. `INVARIANT_RUNS=N npm run test:invariant` runs N with a random seed; a failure
 * prints the seed, the path and the shrunk sequence, replayable with INVARIANT_SEED=... INVARIANT_PATH=... .
 */
import { expect } from "chai";
import fc from "fast-check";
import { fuzzRuns } from "./fuzz-config";
import { decodeError } from "../../sdk/errors";
import * as M from "./model";
import type { World, Layout } from "./model";
import { deployWorld, initialWorld, readRaw, flatten, unflatten, rpc, Env } from "./world";
import { sequenceArb, plan, Op, Planned } from "./ops";
import { check, InvariantViolation } from "./spec";

const { numRuns: NUM_RUNS, seed: SEED } = fuzzRuns({
  runsVar: "INVARIANT_RUNS",
  seedVar: "INVARIANT_SEED",
  ci: 500,
  coverage: 8,
  fixedSeed: 20261124,
});
const PATH = process.env.INVARIANT_PATH;
// INVARIANT_MODEL=off skips the model comparison (M) and checks only the invariants, on the chain's state: used to
// show which invariant catches a deliberately broken contract.
const MODEL = process.env.INVARIANT_MODEL !== "off";
const V = 10n ** 6n; // virtual supply shares
const WAD = 10n ** 18n;

type Exec = { ok: true; logs: { address: string; topics: string[]; data: string }[] } | { ok: false; error: string };

async function execute(env: Env, p: Planned, wantLogs: boolean): Promise<Exec> {
  const call = p.call!;
  await rpc("evm_setNextBlockTimestamp", [Number(p.ts)]);
  try {
    const hash = await rpc<string>("eth_sendTransaction", [
      { from: call.from, to: call.to, data: call.data, gas: "0xf00000" },
    ]);
    if (!wantLogs) return { ok: true, logs: [] };
    const r = await rpc<{ logs: { address: string; topics: string[]; data: string }[] }>("eth_getTransactionReceipt", [
      hash,
    ]);
    return { ok: true, logs: r.logs };
  } catch (e) {
    const d = decodeError(e);
    return { ok: false, error: d?.errorName ?? `undecoded: ${(e as Error).message.slice(0, 200)}` };
  }
}

// ------------------------------------------------------------------------------------------------ invariant checks

function effectiveSupply(w: World, L: Layout, mi: number, ts: bigint): bigint {
  const m = w.markets[mi]!.m;
  return m.pendingShortfall === 0n ? m.totalSupplyAssets : zfs(m.totalSupplyAssets, M.uncovered(w, L, mi, ts));
}
const zfs = (a: bigint, b: bigint) => (a > b ? a - b : 0n);

function checkState(env: Env, w: World): void {
  const L = env.L;
  // I1, I5, S1, I3, I12 bounds
  for (const mk of w.markets) {
    const sumS = mk.pos.reduce((a, p) => a + p.supplyShares, 0n);
    const sumB = mk.pos.reduce((a, p) => a + p.borrowShares, 0n);
    check(
      sumS === mk.m.totalSupplyShares,
      "I1",
      () => `market ${mk.id}: supply shares ${sumS} != ${mk.m.totalSupplyShares}`,
    );
    check(
      sumB === mk.m.totalBorrowShares,
      "I1",
      () => `market ${mk.id}: debt shares ${sumB} != ${mk.m.totalBorrowShares}`,
    );
    mk.cols.forEach((c, j) => {
      const sumC = mk.pos.reduce((a, p) => a + p.collateral[j]!, 0n);
      check(sumC === c.totalSupplied, "I1", () => `market ${mk.id} col ${j}: ${sumC} != ${c.totalSupplied}`);
    });
    // Interest alone can lift debt above the suppliers' part: its reserve and premium cuts are supplied too (the
    // protocol's and the fund's claims on borrowers). Actions that take cash out are checked in checkTransition.
    check(
      mk.m.totalBorrowAssets <= mk.m.totalSupplyAssets + mk.m.reserves + mk.m.premiumOwed,
      "I3",
      () =>
        `market ${mk.id}: ${mk.m.totalBorrowAssets} > ${mk.m.totalSupplyAssets} + ${mk.m.reserves} + ${mk.m.premiumOwed}`,
    );
    mk.pos.forEach((p, u) => {
      const hasCol = p.collateral.some((x) => x !== 0n);
      check(
        p.borrowShares === 0n || hasCol,
        "I5",
        () => `market ${mk.id} user ${u}: debt shares ${p.borrowShares} and no collateral`,
      );
    });
    const sumF = mk.pos.reduce((a, p) => a + p.shortfall, 0n);
    check(
      sumF === mk.m.pendingShortfall,
      "S1",
      () => `market ${mk.id}: pending ${mk.m.pendingShortfall} != sum ${sumF}`,
    );
    const c = mk.cfg;
    for (const col of mk.cols) {
      check(
        col.ltv < col.liquidationThreshold &&
          col.liquidationThreshold <= (WAD * 95n) / 100n &&
          col.liquidationBonus <= WAD / 5n &&
          (col.liquidationThreshold * (WAD + col.liquidationBonus) + WAD - 1n) / WAD < WAD,
        "I12",
        () => `collateral risk out of bounds ${col.ltv}/${col.liquidationThreshold}/${col.liquidationBonus}`,
      );
    }
    check(
      c.reserveFactor <= WAD / 2n &&
        c.insurancePremiumFactor <= WAD / 2n &&
        c.closeFactorHfThreshold >= WAD / 2n &&
        c.closeFactorHfThreshold <= WAD &&
        c.protocolBonusShare <= WAD / 2n &&
        c.liquidationGracePeriod <= 4n * 3600n &&
        (c.paused & 8) === 0 &&
        c.rateModel.slope1 <= 10n * WAD &&
        c.rateModel.slope2 <= 10n * WAD,
      "I12",
      () => `market ${mk.id} parameters out of bounds`,
    );
  }
  // I2: the core holds exactly what it accounts for, per token (no donations in the fuzz).
  const owed = w.tokenSupply.map(() => 0n);
  for (const mk of w.markets) {
    owed[mk.loan] = owed[mk.loan]! + mk.m.totalSupplyAssets + mk.m.reserves + mk.m.premiumOwed - mk.m.totalBorrowAssets;
    for (const col of mk.cols) owed[col.token] = owed[col.token]! + col.totalSupplied + col.protocolBalance;
  }
  owed.forEach((o, t) => {
    const bal = w.balances[t]![L.core]!;
    check(bal === o, "I2", () => `token ${t}: core balance ${bal} != accounted ${o}`);
  });
  // I14
  w.tokenSupply.forEach((s, t) => {
    const sum = w.balances[t]!.reduce((a, b) => a + b, 0n);
    check(sum === s, "I14", () => `token ${t}: holders sum ${sum} != totalSupply ${s}`);
  });
}

function checkTransition(env: Env, pre: World, post: World, op: Op, p: Planned, outcome: M.Outcome): void {
  const L = env.L;
  const ts = p.ts;
  const f = p.facts;
  // I14: supplies constant
  pre.tokenSupply.forEach((s, t) => check(post.tokenSupply[t] === s, "I14", () => `token ${t} supply changed`));
  // I10
  if (!outcome.ok && p.safeDirection) {
    check(!M.ORACLE_ERRORS.has(outcome.error), "I10", () => `${op.k} failed on oracle error ${outcome.error}`);
  }
  if (!outcome.ok && p.riskyPriced && f.oracleInvalid) {
    check(M.ORACLE_ERRORS.has(outcome.error), "I10", () => `${op.k} with an invalid price reverted ${outcome.error}`);
  }
  // I11: pause flags and caps
  if (p.pauseFlag !== undefined) {
    const paused = "m" in op ? (pre.markets[op.m]!.cfg.paused & p.pauseFlag) !== 0 : false;
    if (paused) check(!outcome.ok && outcome.error === "ActionPaused", "I11", () => `${op.k} ran while paused`);
    else
      check(
        outcome.ok || outcome.error !== "ActionPaused",
        "I11",
        () => `${op.k} reverted ActionPaused while not paused`,
      );
  }
  if (outcome.ok && p.raises && "m" in op) {
    const mk = post.markets[op.m]!;
    if (p.raises === "supply") check(mk.m.totalSupplyAssets <= mk.cfg.supplyCap, "I11", () => "supply cap exceeded");
    if (p.raises === "borrow") check(mk.m.totalBorrowAssets <= mk.cfg.borrowCap, "I11", () => "borrow cap exceeded");
    if (p.raises === "collateral") {
      for (const c of mk.cols) check(c.totalSupplied <= c.supplyCap, "I11", () => "collateral cap exceeded");
    }
  }
  // I12: the wrong role changes nothing
  if (p.roleRequired) {
    const need = { admin: 0, risk: 1, guardian: 2 }[p.roleRequired];
    if (p.callerRole !== need) {
      check(
        !outcome.ok && outcome.error === "AccessControlUnauthorizedAccount",
        "I12",
        () => `${op.k} by a wrong role`,
      );
    }
  }
  // I3: a borrow or a withdrawal never leaves debt above the suppliers' assets (cash out only from free liquidity)
  if (outcome.ok && (op.k === "borrow" || op.k === "withdraw")) {
    const mk = post.markets[op.m]!;
    check(
      mk.m.totalBorrowAssets <= mk.m.totalSupplyAssets,
      "I3",
      () => `${op.k} left market ${mk.id} with ${mk.m.totalBorrowAssets} debt > ${mk.m.totalSupplyAssets} supplied`,
    );
  }
  // I4
  if (outcome.ok && (op.k === "borrow" || op.k === "withdrawCol")) {
    const ok = M.withinLtv(post, post.markets[op.m]!, op.u, ts);
    check(ok === true, "I4", () => `${op.k} left user ${op.u} above LTV (${ok})`);
  }
  if (outcome.ok && op.k === "liquidate") {
    const accrued = M.clone(pre);
    M.accrue(accrued, op.m, ts);
    const unhealthy = M.isUnhealthy(accrued, accrued.markets[op.m]!, op.u, ts);
    check(unhealthy === true, "I4", () => `liquidated a position that is not unhealthy at valid prices (${unhealthy})`);
    // I13: seized value bounded by repaid value x (1 + bonus)
    const l = f.liquidation!;
    check(
      l.seized * l.colPrice * WAD <= l.repaid * l.loanPrice * (WAD + l.bonus),
      "I13",
      () => `seized ${l.seized} > repaid ${l.repaid} x (1 + bonus)`,
    );
  }
  // I6 / S2 / I13: effective supply share price
  // The share price before the transaction, accrued to its block when the transaction accrued the market: interest
  // must not mask a rounding error of the action itself.
  const preAccrued = M.clone(pre);
  pre.markets.forEach((mk, mi) => {
    if (post.markets[mi]!.m.lastUpdate === ts && mk.m.lastUpdate < ts) M.accrue(preAccrued, mi, ts);
  });
  preAccrued.markets.forEach((mk0, mi) => {
    const mk1 = post.markets[mi]!;
    const a0 = effectiveSupply(preAccrued, L, mi, ts);
    const a1 = effectiveSupply(post, L, mi, ts);
    const unc0 = M.uncovered(preAccrued, L, mi, ts);
    const unc1 = M.uncovered(post, L, mi, ts);
    const soc = "m" in op && op.m === mi && f.badDebt ? f.badDebt.socialized : 0n;
    const allowance = soc + (unc1 > unc0 ? unc1 - unc0 : 0n);
    const s0 = mk0.m.totalSupplyShares + V;
    const s1 = mk1.m.totalSupplyShares + V;
    check(
      (a1 + allowance + 1n) * s0 >= (a0 + 1n) * s1,
      soc === 0n && op.k === "liquidate" ? "I13" : unc0 > 0n || unc1 > 0n ? "S2" : "I6",
      () =>
        `market ${mk0.id}: share price fell from (${a0}+1)/${s0} to (${a1}+1)/${s1}, socialized ${soc}, uncovered ${unc0}->${unc1}`,
    );
    if (soc > 0n) {
      // exactly the socialized part leaves the suppliers' assets (interest accrued first is in the model)
      check(
        mk1.loss.socialized - mk0.loss.socialized === soc,
        "I6",
        () => `socialized ${soc} but loss totals moved by ${mk1.loss.socialized - mk0.loss.socialized}`,
      );
    }
    // I9: accrual never lowers debt
    if (!["repay", "liquidate", "roundTripBorrow"].includes(op.k) || ("m" in op && op.m !== mi)) {
      check(mk1.m.totalBorrowAssets >= mk0.m.totalBorrowAssets, "I9", () => `market ${mk0.id}: totalBorrowAssets fell`);
      mk0.pos.forEach((p0, u) => {
        if (op.k === "borrow") return;
        const d0 = M.debtOf(mk0, u);
        const d1 = M.debtOf(mk1, u);
        check(d1 >= d0, "I9", () => `market ${mk0.id} user ${u}: debt fell ${d0} -> ${d1} (${op.k})`);
      });
    }
    check(mk1.m.lastUpdate <= ts, "I9", () => "lastUpdate in the future");
  });
  // I7: insurance draws ordered and capped; fund share price
  if (f.badDebt) {
    const b = f.badDebt;
    check(
      b.amount === b.fromReserves + b.fromInsurance + b.socialized,
      "I7",
      () => `waterfall does not add up: ${b.amount} != ${b.fromReserves}+${b.fromInsurance}+${b.socialized}`,
    );
    if (b.fromInsurance > 0n) {
      check(b.fromReserves === b.reservesBefore, "I7", () => `fund drawn before reserves exhausted`);
      const drawn = b.fromInsurance - b.writtenOff; // unbacked premium written off is outside the caps
      check(drawn <= b.maxDraw, "I7", () => `drawn ${drawn} > maxDraw ${b.maxDraw}`);
    }
  }
  {
    const fs0 = pre.fund.totalSupply + V;
    const fs1 = post.fund.totalSupply + V;
    const ta0 = M.fundTotalAssets(pre, L, ts);
    const ta1 = M.fundTotalAssets(post, L, ts);
    const ed0 = M.fundExpectedDraw(pre, L, ts);
    const ed1 = M.fundExpectedDraw(post, L, ts);
    const drawn = f.badDebt && "m" in op && op.m === 0 ? f.badDebt.fromInsurance : 0n;
    const allowance = drawn + (ed1 > ed0 ? ed1 - ed0 : 0n);
    check(
      (ta1 + allowance + 1n) * fs0 >= (ta0 + 1n) * fs1,
      "I7",
      () =>
        `fund share price fell: (${ta0}+1)/${fs0} -> (${ta1}+1)/${fs1}, drawn ${drawn}, expected draw ${ed0}->${ed1}`,
    );
  }
  // I8
  if (outcome.ok && f.roundTrip) {
    const r = f.roundTrip;
    check(r.paidOut <= r.paidIn, "I8", () => `${r.kind}: got ${r.paidOut} for ${r.paidIn}`);
  }
}

// ------------------------------------------------------------------------------------------------ the suite

describe("Invariants: stateful fuzzing against the reference model (issue 7, issue 9)", function () {
  let env: Env;
  let world0: World;
  let snapshot: string;
  const stats = {
    runs: 0,
    steps: 0,
    ok: 0,
    reverts: new Map<string, number>(),
    okByKind: new Map<string, number>(),
    liquidations: 0,
    badDebt: 0,
    socialized: 0,
    draws: 0,
    flags: 0,
  };

  before(async function () {
    env = await deployWorld();
    world0 = await initialWorld(env);
    const raw = await readRaw(env);
    const flat = flatten(world0);
    expect(raw).to.deep.equal(flat.values, "the decoded initial state matches the probe layout");
    snapshot = await rpc<string>("evm_snapshot");
  });

  async function runSequence(ops: Op[]): Promise<void> {
    await rpc("evm_revert", [snapshot]);
    snapshot = await rpc<string>("evm_snapshot");
    stats.runs++;
    let w = M.clone(world0);
    let jump = 0n;
    const log: string[] = [];
    for (const [i, op] of ops.entries()) {
      const p = plan(env, w, op, jump);
      if (!p.call) {
        if (op.k === "time") jump += BigInt(op.s);
        log.push(`${i}: ${JSON.stringify(op)}`);
        continue;
      }
      jump = 0n;
      const res = await execute(env, p, op.k === "liquidate" || op.k.startsWith("roundTrip"));
      const outcome: M.Outcome = res.ok ? M.OK : M.err(res.error);
      log.push(`${i}: ${JSON.stringify(op)} -> ${res.ok ? "ok" : res.error}`);
      stats.steps++;
      if (res.ok) {
        stats.ok++;
        stats.okByKind.set(op.k, (stats.okByKind.get(op.k) ?? 0) + 1);
      } else stats.reverts.set(res.error, (stats.reverts.get(res.error) ?? 0) + 1);
      const ctx = () => `\nsequence so far:\n  ${log.join("\n  ")}`;
      // M: outcome
      const same = outcome.ok === p.outcome.ok && (outcome.ok || (!p.outcome.ok && outcome.error === p.outcome.error));
      if (MODEL && !same) {
        throw new InvariantViolation(
          "M",
          `step ${i} ${op.k}: model predicted ${p.outcome.ok ? "success" : p.outcome.error}, contract ${res.ok ? "succeeded" : res.error}${ctx()}`,
        );
      }
      // M: state (a reverted transaction changes nothing: the state is the one checked at the previous step)
      const raw = res.ok ? await readRaw(env) : flatten(w).values;
      if (MODEL) {
        const flat = flatten(p.next);
        const diffs: string[] = [];
        flat.values.forEach((v, j) => {
          if (raw[j] !== v) diffs.push(`${flat.labels[j]}: model ${v} chain ${raw[j]}`);
        });
        if (diffs.length > 0)
          throw new InvariantViolation("M", `step ${i} ${op.k}: ${diffs.slice(0, 12).join("; ")}${ctx()}`);
      }
      // The invariants are checked on the chain's state (equal to the model's when M holds).
      const post = unflatten(res.ok ? p.next : w, raw);
      post.now = p.ts;
      if (!res.ok) post.feeds = p.next.feeds;
      if (res.ok && op.k.startsWith("roundTrip")) {
        // What went in and out, from the chain's events (Supply/Withdraw or Borrow/Repay).
        const ev = res.logs.map((l) => {
          try {
            return env.core.interface.parseLog(l);
          } catch {
            return null;
          }
        });
        // A leg without its event moved nothing (possible only when the contract diverges from the model).
        const amount = (name: string) =>
          (ev.find((e) => e?.name === name)?.args[name === "Supply" || name === "Repay" ? 3 : 4] as bigint) ?? 0n;
        p.facts.roundTrip =
          op.k === "roundTripSupply"
            ? { paidIn: amount("Supply"), paidOut: amount("Withdraw"), kind: "supply/withdraw" }
            : { paidIn: amount("Repay"), paidOut: amount("Borrow"), kind: "borrow/repay" };
      }
      if (res.ok && op.k === "liquidate") {
        stats.liquidations++;
        const events = res.logs
          .filter((l) => l.address.toLowerCase() === env.coreAddr.toLowerCase())
          .map((l) => {
            try {
              return env.core.interface.parseLog(l);
            } catch {
              return null;
            }
          });
        const bad = events.filter((x) => x?.name === "BadDebtRealized");
        const liq = events.find((x) => x?.name === "Liquidate")!;
        const b = p.facts.badDebt;
        if (MODEL) {
          check(
            bad.length === (b ? 1 : 0),
            "I6",
            () => `BadDebtRealized emitted ${bad.length} times, model ${b ? 1 : 0}${ctx()}`,
          );
        }
        // Facts from the chain's events, with the accrued pre-state for reserves and the fund's cap.
        const accrued = M.clone(w);
        M.accrue(accrued, op.m, p.ts);
        const mkA = accrued.markets[op.m]!;
        const colIdx = Math.min(op.c, mkA.cols.length - 1);
        const colTok = mkA.cols[colIdx]!.token;
        p.facts.liquidation = {
          repaid: liq.args[4] as bigint,
          seized: liq.args[6] as bigint,
          loanPrice: M.priceOf(w, mkA.loan, p.ts),
          colPrice: M.priceOf(w, colTok, p.ts),
          bonus: mkA.cols[colIdx]!.liquidationBonus,
          unhealthy: true,
        };
        if (bad.length > 0) {
          const a = bad[0]!.args;
          p.facts.badDebt = {
            amount: a[2] as bigint,
            fromReserves: a[3] as bigint,
            fromInsurance: a[4] as bigint,
            // Premium owed beyond the market's cash, written off first (outside the fund's caps).
            writtenOff: M.min(a[2] as bigint, zfs(mkA.m.premiumOwed, M.marketCash(mkA.m))),
            socialized: a[5] as bigint,
            reservesBefore: mkA.m.reserves,
            maxDraw: M.marketMaxDraw(accrued, env.L, op.m, p.ts),
          };
          stats.badDebt++;
          if (p.facts.badDebt.socialized > 0n) stats.socialized++;
          if (p.facts.badDebt.fromInsurance > 0n) stats.draws++;
        } else p.facts.badDebt = undefined;
      }
      if (res.ok && op.k === "flag") stats.flags++;
      try {
        checkState(env, post);
        checkTransition(env, w, post, op, p, outcome);
      } catch (e) {
        if (e instanceof InvariantViolation) throw new InvariantViolation(e.id, `${e.message}${ctx()}`);
        throw e;
      }
      w = post;
    }
  }

  it(`holds every invariant over ${NUM_RUNS} random sequences (seed ${SEED})`, async function () {
    const t0 = Date.now();
    console.log(`      invariant fuzzing: ${NUM_RUNS} runs, seed ${SEED}${PATH ? `, path ${PATH}` : ""}`);
    await fc.assert(
      fc.asyncProperty(sequenceArb, async (ops) => {
        await runSequence(ops);
      }),
      {
        numRuns: NUM_RUNS,
        seed: SEED,
        path: PATH,
        verbose: process.env.INVARIANT_VERBOSE ? fc.VerbosityLevel.Verbose : fc.VerbosityLevel.None,
        endOnFailure: Boolean(process.env.INVARIANT_NO_SHRINK),
      },
    );
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    const reverts = [...stats.reverts.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`);
    console.log(
      `      ${stats.runs} sequences, ${stats.steps} transactions (${stats.ok} ok) in ${secs} s; liquidations ${stats.liquidations}, bad debt ${stats.badDebt} (socialized ${stats.socialized}, fund draws ${stats.draws}), flags ${stats.flags}`,
    );
    console.log(`      reverts: ${reverts.join(", ")}`);
    console.log(`      successes: ${[...stats.okByKind.entries()].map(([k, v]) => `${k} ${v}`).join(", ")}`);
    expect(stats.runs).to.be.gte(NUM_RUNS);
    expect(stats.liquidations).to.be.gt(0);
  });
});
