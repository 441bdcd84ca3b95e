/**
 * Economic-properties fuzzing (issue 13): attackers who supply, stake, cool down, unstake, liquidate, flag and
 * clear with any timing (window boundaries included), alone or atomically through multicall, next to honest
 * suppliers, stakers and borrowers, while prices crash and recover. After every step the suite reads the chain and
 * checks E1-E4 (test/invariant/econ-props.ts); E5 is in econ-liveness.test.ts.
 *
 * CI: ECON_RUNS sequences (default 500) with a fixed seed. `npm run test:invariant:long` runs 10,000 with a random
 * seed (printed); a failure prints the seed, path and shrunk sequence, replayable with ECON_SEED=... ECON_PATH=... .
 */
import { expect } from "chai";
import fc from "fast-check";
import { fuzzRuns } from "./fuzz-config";
import { decodeError } from "../../sdk/errors";
import { deployEconWorld, EconEnv, ATTACKERS, ROLE } from "./econ-world";
import { readSnap, actorValue, Snap } from "./econ-state";
import { sequenceArb, encodeOp, timeTarget, actorOf, Op, Ledger, Call } from "./econ-ops";
import * as P from "./econ-props";
import { rpc } from "./world";

/** E1 key of both attackers together */
const COALITION = -1;
type Val = { all: bigint; pos: bigint };
const { numRuns: NUM_RUNS, seed: SEED } = fuzzRuns({
  runsVar: "ECON_RUNS",
  seedVar: "ECON_SEED",
  ci: 500,
  coverage: 5,
  fixedSeed: 20261130,
});
const PATH = process.env.ECON_PATH;
const MAX_OPS = Number(process.env.ECON_MAX_OPS ?? 10);

type Sent = { ok: true; logs: { address: string; topics: string[]; data: string }[] } | { ok: false; error: string };

async function send(c: Call, ts: bigint, wantLogs = false): Promise<Sent> {
  await rpc("evm_setNextBlockTimestamp", [Number(ts)]);
  try {
    const hash = await rpc<string>("eth_sendTransaction", [{ ...c, gas: "0xf00000" }]);
    if (!wantLogs) return { ok: true, logs: [] };
    const r = await rpc<{ logs: Sent extends { logs: infer L } ? L : never }>("eth_getTransactionReceipt", [hash]);
    return { ok: true, logs: r.logs };
  } catch (e) {
    return { ok: false, error: decodeError(e)?.errorName ?? `undecoded: ${(e as Error).message.slice(0, 160)}` };
  }
}

function liquidations(env: EconEnv, logs: { address: string; topics: string[]; data: string }[]): P.LiqEvent[] {
  const out: P.LiqEvent[] = [];
  for (const l of logs) {
    if (l.address.toLowerCase() !== env.coreAddr.toLowerCase()) continue;
    const e = env.core.interface.parseLog(l);
    if (e?.name !== "Liquidate") continue;
    out.push({
      liquidator: e.args[1] as string,
      index: Number(e.args[3]),
      repaid: e.args[4] as bigint,
      seized: e.args[6] as bigint,
      protocolSeized: e.args[7] as bigint,
    });
  }
  return out;
}

describe("Economic properties: attackers against the loss pricing (issue 13, E1-E4)", function () {
  let env: EconEnv;
  let snapshot: string;
  let snap0: Snap;
  let bonus: bigint[];
  const stats = { runs: 0, steps: 0, ok: 0, byKind: new Map<string, number>(), reverts: new Map<string, number>() };

  before(async function () {
    env = await deployEconWorld();
    const latest = await rpc<{ timestamp: string }>("eth_getBlockByNumber", ["latest", false]);
    snap0 = await readSnap(env, BigInt(latest.timestamp));
    bonus = await Promise.all([0, 1].map(async (j) => (await env.core.collateral(env.id, j)).liquidationBonus));
    snapshot = await rpc<string>("evm_snapshot");
  });

  /** After a price move a keeper brings every flag to the new estimate (or clears it), as a bot would. */
  async function catchUp(s: Snap, ts: bigint): Promise<bigint> {
    for (const b of env.borrowers) {
      if (s.acc[b]!.shortfall === 0n) continue;
      const who = { from: env.accounts[ROLE.keeper]!, to: env.coreAddr };
      const flagged = await send(
        { ...who, data: env.core.interface.encodeFunctionData("flagShortfall", [env.id, env.accounts[b]!]) },
        ++ts,
      );
      if (!flagged.ok)
        await send(
          { ...who, data: env.core.interface.encodeFunctionData("clearShortfall", [env.id, env.accounts[b]!]) },
          ++ts,
        );
    }
    return ts;
  }

  /** Each attacker's value and (key COALITION) both attackers' together: one actor may hold several accounts. */
  async function valuesOf(sn: Snap): Promise<Map<number, Val>> {
    const m = new Map<number, Val>();
    const sum = { all: 0n, pos: 0n };
    for (const a of ATTACKERS) {
      const v = await actorValue(env, sn, a);
      m.set(a, v);
      sum.all += v.all;
      sum.pos += v.pos;
    }
    m.set(COALITION, sum);
    return m;
  }

  /**
   * E1 for every attacker (and the coalition) whose own step this was: the step's actor, or everyone for a wait.
   * What others' steps take from an attacker's supply or stake (a flag priced at the worst case, say) is credited:
   * the loss resolving later (the attacker realizing it at better than the worst case) is not a gain.
   */
  function attribute(
    e1: P.E1State,
    prev: Map<number, Val>,
    next: Map<number, Val>,
    actor: number | "time" | null,
    liqs: P.LiqEvent[],
    prices: bigint[],
    what: () => string,
  ): void {
    const byAttacker = (k: number, l: P.LiqEvent) =>
      (k === COALITION ? ATTACKERS : [k]).some((a) => l.liquidator.toLowerCase() === env.accounts[a]!.toLowerCase());
    for (const [k, v] of next) {
      const own = actor === "time" || actor === k || (k === COALITION && ATTACKERS.some((a) => a === actor));
      if (!own) {
        P.creditLoss(e1, k, v.pos - prev.get(k)!.pos);
        continue;
      }
      const allowance = liqs
        .filter((l) => byAttacker(k, l))
        .reduce((x, l) => x + P.bonusAllowance(l, prices, bonus), 0n);
      P.checkE1(e1, k, v.all - prev.get(k)!.all, allowance, what);
    }
  }

  async function runSequence(ops: Op[]): Promise<void> {
    await rpc("evm_revert", [snapshot]);
    snapshot = await rpc<string>("evm_snapshot");
    stats.runs++;
    let s = snap0;
    let ts = s.ts;
    const led: Ledger = { cool: new Map([...env.cooled].map(([k, v]) => [k, { ...v, redeemed: 0n }])) };
    const e1: P.E1State = { gain: new Map(), steps: new Map() };
    const log: string[] = [];
    let values = await valuesOf(s);
    for (const [i, op] of ops.entries()) {
      let outcome = "ok";
      const liqs: P.LiqEvent[] = [];
      let ok = true;
      const until = timeTarget(ts, op, led);
      let waited: Map<number, Val> | null = null;
      if (until > ts) {
        ts = until;
        await rpc("evm_mine", [Number(ts)]);
        // an op that waits first: the wait is every attacker's (they chose to be there), the action its actor's
        if (op.k !== "time" && op.k !== "boundary") waited = await valuesOf(await readSnap(env, ts));
      }
      if (op.k !== "time" && op.k !== "boundary") {
        const calls = await encodeOp(env, s, op, led);
        if (calls.length === 0) {
          log.push(`${i}: ${JSON.stringify(op)} -> skipped`);
          continue;
        }
        for (const c of calls) {
          const r = await send(c, ++ts, op.k === "core" || op.k === "atomic");
          if (!r.ok) {
            ok = false;
            outcome = r.error;
            stats.reverts.set(r.error, (stats.reverts.get(r.error) ?? 0) + 1);
          } else liqs.push(...liquidations(env, r.logs));
        }
        if (op.k === "price") ts = await catchUp(await readSnap(env, ts), ts);
      }
      stats.steps++;
      if (ok) {
        stats.ok++;
        stats.byKind.set(op.k, (stats.byKind.get(op.k) ?? 0) + 1);
      }
      log.push(`${i}: ${JSON.stringify(op)} -> ${outcome}`);
      const post = await readSnap(env, ts);
      const ctx = () => `\nsequence:\n  ${log.join("\n  ")}`;
      try {
        P.checkE2(env, s, post, op);
        P.checkE3(env, post);
        P.checkE4Value(s, post, op);
        P.checkE4Cooldown(led, s, post, op, ok, outcome);
        if (waited) {
          attribute(e1, values, waited, "time", [], post.prices, () => `${i}: the wait before ${op.k}`);
          values = waited;
        }
        const next = await valuesOf(post);
        const isTime = op.k === "time" || op.k === "boundary";
        attribute(e1, values, next, isTime ? "time" : actorOf(op), liqs, post.prices, () => `${i}: ${op.k}`);
        values = next;
      } catch (e) {
        if (e instanceof P.EconViolation) throw new P.EconViolation(e.id, `${e.message}${ctx()}`);
        throw e;
      }
      s = post;
    }
  }

  it(`holds E1-E4 over ${NUM_RUNS} random sequences (seed ${SEED})`, async function () {
    this.timeout(0); // the long run takes an hour or more
    const t0 = Date.now();
    console.log(`      economic fuzzing: ${NUM_RUNS} runs, seed ${SEED}${PATH ? `, path ${PATH}` : ""}`);
    await fc.assert(
      fc.asyncProperty(sequenceArb(4, MAX_OPS), async (ops) => {
        await runSequence(ops);
      }),
      {
        numRuns: NUM_RUNS,
        seed: SEED,
        path: PATH,
        endOnFailure: Boolean(process.env.ECON_NO_SHRINK),
      },
    );
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    const reverts = [...stats.reverts.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`);
    console.log(`      ${stats.runs} sequences, ${stats.steps} steps (${stats.ok} ok) in ${secs} s`);
    console.log(`      successes: ${[...stats.byKind.entries()].map(([k, v]) => `${k} ${v}`).join(", ")}`);
    console.log(`      reverts: ${reverts.join(", ")}`);
    expect(stats.runs).to.be.gte(NUM_RUNS);
  });
});
