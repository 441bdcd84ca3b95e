/**
 * E5 (issue 13): every market keeps a path to accrue, repay, withdraw its available cash, liquidate an unhealthy
 * position and change its rate model, whatever the time gap or the rate. Targeted sequences: the economic world
 * at a random rate model (up to the highest the bounds allow) and utilization, idle gaps from a day to five years,
 * crashes, and (sometimes) an accrual or a liquidation in between. After every gap each path is tried with eth_call
 * (nothing changes), then the sequence goes on.
 *
 * CI: LIVENESS_RUNS sequences (default 40, fixed seed); `npm run test:invariant:long` runs 400 with a random seed.
 */
import { expect } from "chai";
import fc from "fast-check";
import { fuzzRuns } from "./fuzz-config";
import { decodeError } from "../../sdk/errors";
import { deployEconWorld, EconEnv, ROLE, U } from "./econ-world";
import { LEVELS } from "./econ-ops";
import { wad } from "../../scripts/lib/protocol";
import { echeck } from "./econ-props";
import { ethers } from "ethers";
import { rpc } from "./world";

const { numRuns: NUM_RUNS, seed: SEED } = fuzzRuns({
  runsVar: "LIVENESS_RUNS",
  seedVar: "ECON_SEED",
  ci: 40,
  coverage: 3,
  fixedSeed: 20261131,
});
const YEAR = 365 * 86400;

/** Rate models: the highest the bounds allow, a steep kink, the default. */
const RATES = [
  { baseRate: wad("1"), slope1: wad("10"), slope2: wad("10"), targetUtilization: wad("0.01") },
  { baseRate: wad("0.05"), slope1: wad("0.5"), slope2: wad("10"), targetUtilization: wad("0.8") },
  { baseRate: 0n, slope1: wad("0.04"), slope2: wad("3"), targetUtilization: wad("0.8") },
];
const GAPS = [86400, 30 * 86400, YEAR, (5 * YEAR) / 2, 5 * YEAR];

type Step =
  { k: "gap"; s: number; accrue: boolean } | { k: "crash"; weth: number; wbtc: number } | { k: "liquidate"; b: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    arbitrary: fc.record({ k: fc.constant("gap" as const), s: fc.constantFrom(...GAPS), accrue: fc.boolean() }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      k: fc.constant("crash" as const),
      weth: fc.integer({ min: 0, max: 4 }),
      wbtc: fc.integer({ min: 0, max: 2 }),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ k: fc.constant("liquidate" as const), b: fc.integer({ min: 0, max: 3 }) }), weight: 1 },
);

const runArb = fc.record({
  rate: fc.integer({ min: 0, max: RATES.length - 1 }),
  /** extra borrowing by the large borrower, in thousands of USDC (utilization from ~12% to ~95%) */
  borrow: fc.constantFrom(0, 500, 1_250),
  steps: fc.array(stepArb, { minLength: 2, maxLength: 6 }),
});

describe("Economic properties: E5, a way out of every market whatever the gap or the rate (issue 13)", function () {
  let env: EconEnv;
  let snapshot: string;
  let ts: bigint;
  const stats = { runs: 0, checks: 0, liquidations: 0 };

  before(async function () {
    env = await deployEconWorld();
    snapshot = await rpc<string>("evm_snapshot");
  });

  const I = () => env.core.interface;
  const addr = (i: number) => env.accounts[i]!;
  async function tx(from: number, to: string, data: string): Promise<string | null> {
    await rpc("evm_setNextBlockTimestamp", [Number(++ts)]);
    try {
      await rpc("eth_sendTransaction", [{ from: addr(from), to, data, gas: "0xf00000" }]);
      return null;
    } catch (e) {
      return decodeError(e)?.errorName ?? (e as Error).message.slice(0, 160);
    }
  }
  async function call(from: number, data: string): Promise<{ ok: true; ret: string } | { ok: false; error: string }> {
    try {
      return { ok: true, ret: await rpc<string>("eth_call", [{ from: addr(from), to: env.coreAddr, data }, "latest"]) };
    } catch (e) {
      return { ok: false, error: decodeError(e)?.errorName ?? (e as Error).message.slice(0, 200) };
    }
  }
  const refresh = async () => {
    for (const [i, t] of env.tokens.entries()) {
      const p = (await t.feed.latestRoundData())[1];
      await tx(ROLE.keeper, env.feedAddrs[i]!, t.feed.interface.encodeFunctionData("updateAnswer", [p]));
    }
  };

  /** Every path, by eth_call at the current block. */
  async function checkPaths(ctx: () => string): Promise<void> {
    stats.checks++;
    const id = env.id;
    const acc = await call(ROLE.keeper, I().encodeFunctionData("accrueInterest", [id]));
    echeck(acc.ok, "E5", () => `accrueInterest reverts: ${!acc.ok && acc.error}${ctx()}`);
    const rmRisk = await rpc<string>("eth_call", [
      { from: env.risk, to: env.coreAddr, data: I().encodeFunctionData("setRateModel", [id, RATES[2]!]) },
      "latest",
    ]).then(
      () => "ok",
      (e) => decodeError(e)?.errorName ?? String(e).slice(0, 160),
    );
    echeck(rmRisk === "ok", "E5", () => `setRateModel by the risk role reverts: ${rmRisk}${ctx()}`);
    // The accrued market, then each path from it.
    const mc = await call(
      ROLE.keeper,
      I().encodeFunctionData("multicall", [
        [
          I().encodeFunctionData("accrueInterest", [id]),
          I().encodeFunctionData("market", [id]),
          I().encodeFunctionData("uncoveredShortfall", [id]),
        ],
      ]),
    );
    if (!mc.ok) return;
    const res = I().decodeFunctionResult("multicall", mc.ret)[0] as string[];
    const m = I().decodeFunctionResult("market", res[1]!)[0] as {
      totalSupplyAssets: bigint;
      totalSupplyShares: bigint;
      totalBorrowAssets: bigint;
      totalBorrowShares: bigint;
    };
    const unc = I().decodeFunctionResult("uncoveredShortfall", res[2]!)[0] as bigint;
    for (const b of env.borrowers) {
      const pos = await env.core.position(id, addr(b));
      if (pos[1] === 0n) continue;
      // Part of the debt (at least two shares' worth, at most 1e9 USDC) while it stays above the minimum, else all
      // of it; the borrower is given the tokens if short (a path exists for whoever holds them).
      const debt = (pos[1] * m.totalBorrowAssets + m.totalBorrowShares - 1n) / m.totalBorrowShares;
      const share = (m.totalBorrowAssets + 1n) / (m.totalBorrowShares + 1n) + 1n;
      const part = debt / 2n < 10n ** 15n ? debt / 2n : 10n ** 15n;
      const args =
        debt > 24n * U ? [id, part > 2n * share ? part : 2n * share, 0n, addr(b)] : [id, 0n, pos[1], addr(b)];
      const need = debt > 24n * U ? (args[1] as bigint) : debt + 1n;
      if ((await env.tokens[0]!.token.balanceOf(addr(b))) < need) {
        await tx(
          ROLE.keeper,
          env.tokenAddrs[0]!,
          env.tokens[0]!.token.interface.encodeFunctionData("mint", [addr(b), need]),
        );
        await rpc("evm_mine", [Number(++ts)]);
      }
      const r = await call(b, I().encodeFunctionData("repay", args as [bigint, bigint, bigint, string]));
      echeck(
        r.ok,
        "E5",
        () => `borrower ${b} cannot repay (${args.slice(1, 3).join(", ")}): ${!r.ok && r.error}${ctx()}`,
      );
      await checkLiquidatable(b, ctx);
    }
    const cash = m.totalSupplyAssets > m.totalBorrowAssets ? m.totalSupplyAssets - m.totalBorrowAssets : 0n;
    const shares = (await env.core.position(id, addr(ROLE.honest1)))[0];
    const net = m.totalSupplyAssets > unc ? m.totalSupplyAssets - unc : 0n;
    const value = (shares * (net + 1n)) / (m.totalSupplyShares + 10n ** 6n);
    const want = value < cash ? value : cash;
    if (want > 0n) {
      const w = await call(
        ROLE.honest1,
        I().encodeFunctionData("withdraw", [id, want, 0n, addr(ROLE.honest1), addr(ROLE.honest1)]),
      );
      echeck(
        w.ok,
        "E5",
        () => `a supplier cannot withdraw ${want} of ${cash} available cash: ${!w.ok && w.error}${ctx()}`,
      );
    }
  }

  /** An unhealthy position has at least one liquidation (collateral index, amount) that goes through. */
  async function checkLiquidatable(b: number, ctx: () => string): Promise<void> {
    const errors: string[] = [];
    for (const c of [0, 1]) {
      for (const amt of [ethers.MaxUint256, 10n * U, U]) {
        const r = await call(
          ROLE.keeper,
          I().encodeFunctionData("liquidate", [env.id, addr(b), c, amt, addr(ROLE.keeper), "0x"]),
        );
        if (r.ok) return;
        if (r.error === "HealthyPosition") return;
        errors.push(`(${c}, ${amt === ethers.MaxUint256 ? "max" : amt}): ${r.error}`);
      }
    }
    const pos = await env.core.position(env.id, addr(b));
    const noCol = pos[3][0] === 0n && pos[3][1] === 0n;
    echeck(noCol, "E5", () => `unhealthy borrower ${b} cannot be liquidated: ${errors.join("; ")}${ctx()}`);
  }

  async function runOne(r: { rate: number; borrow: number; steps: Step[] }): Promise<void> {
    await rpc("evm_revert", [snapshot]);
    snapshot = await rpc<string>("evm_snapshot");
    stats.runs++;
    const latest = await rpc<{ timestamp: string }>("eth_getBlockByNumber", ["latest", false]);
    ts = BigInt(latest.timestamp);
    const log: string[] = [`rate model ${r.rate}, extra borrow ${r.borrow}k`];
    const ctx = () => `\nsequence:\n  ${log.join("\n  ")}`;
    if (r.borrow > 0) {
      const big = env.borrowers[1]!;
      await tx(big, env.coreAddr, I().encodeFunctionData("supplyCollateral", [env.id, 0, 10n ** 24n, addr(big)]));
      const e = await tx(
        big,
        env.coreAddr,
        I().encodeFunctionData("borrow", [env.id, BigInt(r.borrow) * 1000n * U, 0n, addr(big), addr(big)]),
      );
      expect(e, "set-up borrow").to.equal(null);
    }
    const setRate = I().encodeFunctionData("setRateModel", [env.id, RATES[r.rate]!]);
    const rateErr = await rpc("eth_sendTransaction", [{ from: env.risk, to: env.coreAddr, data: setRate }]).then(
      () => null,
      (e) => decodeError(e)?.errorName ?? String(e),
    );
    expect(rateErr, "set-up rate model").to.equal(null);
    const hb = await rpc<{ timestamp: string }>("eth_getBlockByNumber", ["latest", false]);
    ts = BigInt(hb.timestamp);
    for (const st of r.steps) {
      if (st.k === "gap") {
        ts += BigInt(st.s);
        await rpc("evm_mine", [Number(ts)]);
        await refresh();
        if (st.accrue) await tx(ROLE.keeper, env.coreAddr, I().encodeFunctionData("accrueInterest", [env.id]));
      } else if (st.k === "crash") {
        await tx(
          ROLE.keeper,
          env.feedAddrs[1]!,
          env.tokens[1]!.feed.interface.encodeFunctionData("updateAnswer", [LEVELS[0]![st.weth]!]),
        );
        await tx(
          ROLE.keeper,
          env.feedAddrs[2]!,
          env.tokens[2]!.feed.interface.encodeFunctionData("updateAnswer", [LEVELS[1]![st.wbtc]!]),
        );
      } else {
        const e = await tx(
          ROLE.keeper,
          env.coreAddr,
          I().encodeFunctionData("liquidate", [
            env.id,
            addr(env.borrowers[st.b]!),
            0,
            ethers.MaxUint256,
            addr(ROLE.keeper),
            "0x",
          ]),
        );
        if (e === null) stats.liquidations++;
      }
      log.push(JSON.stringify(st));
      await rpc("evm_mine", [Number(++ts)]);
      await checkPaths(ctx);
    }
  }

  it(`keeps every path open over ${NUM_RUNS} sequences of gaps up to five years (seed ${SEED})`, async function () {
    this.timeout(0); // the long run takes an hour or more
    const t0 = Date.now();
    console.log(`      liveness fuzzing: ${NUM_RUNS} runs, seed ${SEED}`);
    await fc.assert(fc.asyncProperty(runArb, runOne), {
      numRuns: NUM_RUNS,
      seed: SEED,
      path: process.env.ECON_PATH,
      endOnFailure: Boolean(process.env.ECON_NO_SHRINK),
    });
    console.log(
      `      ${stats.runs} sequences, ${stats.checks} path checks, ${stats.liquidations} liquidations in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    expect(stats.runs).to.be.gte(NUM_RUNS);
  });
});
