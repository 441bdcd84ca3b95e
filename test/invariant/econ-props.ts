/**
 * The economic properties E1-E4 of issue 13, checked after every step of the economic fuzzer on the chain's state.
 * E5 (a path to repay, withdraw and liquidate after any gap at any rate) is in econ-liveness.ts.
 */
import { EconEnv, ROLE, STAKERS, COOLDOWN, UNSTAKE_WINDOW } from "./econ-world";
import { Snap, valueOf, USDC_UNIT } from "./econ-state";
import type { Op, Ledger } from "./econ-ops";

export const ECON_PROPERTIES = {
  E1: "No sequence of an attacker's own actions (time jumps included) raises its value (wallet at oracle prices + supply at its exit value + fund shares at previewRedeem) above where it started, before the losses others' steps inflicted on its supply or stake, by more than the bonus its liquidations legitimately pay (seized collateral net of the protocol's share, at the oracle price, minus the debt repaid, at most repaid x bonus) plus rounding",
  E2: "A position's flag (and so pendingShortfall) falls only by realization, repayment, added collateral or recovery at valid prices: never below the position's shortfall estimate at the current valid prices",
  E3: "The uncovered estimate is never below what the waterfall would socialize if every flagged position were realized now (reserves first, then one capped fund draw per event under the window cap, in the worst order)",
  E4: "A fund deposit, exit or share transfer (during a pending draw or not) moves other stakers' previewRedeem value by at most rounding",
  E4c: "Cooldown per amount (finding 2): only shares that cooled down for the full cooldown leave, within their window; shares that arrive later never touch it, and a staker's cooled shares can always leave in their window",
  E5: "Every market keeps a path to accrue, repay, withdraw available cash, liquidate an unhealthy position and set its rate model, whatever the time gap or rate",
} as const;
export type EconId = keyof typeof ECON_PROPERTIES;

export class EconViolation extends Error {
  constructor(
    public readonly id: EconId,
    detail: string,
  ) {
    super(`${id} violated: ${ECON_PROPERTIES[id]}\n  ${detail}`);
  }
}

const ONLY = process.env.ECON_ONLY ? new Set(process.env.ECON_ONLY.split(",")) : null;
export function echeck(cond: boolean, id: EconId, detail: () => string): void {
  if (ONLY && !ONLY.has(id)) return;
  if (!cond) throw new EconViolation(id, detail());
}

const WAD = 10n ** 18n;
/** Rounding allowed per attacker step in E1: 4 USDC base units. */
export const E1_TOLERANCE = 4n * USDC_UNIT;
const usd = (v: bigint) => (Number(v / (USDC_UNIT / 1000n)) / 1e9).toFixed(6);

// ------------------------------------------------------------------------------------------------ E1

export interface LiqEvent {
  liquidator: string;
  index: number;
  repaid: bigint;
  seized: bigint;
  protocolSeized: bigint;
}

/** The bonus a liquidation legitimately pays its liquidator, in value units (never negative, at most repaid x bonus). */
export function bonusAllowance(l: LiqEvent, prices: bigint[], bonus: bigint[]): bigint {
  const tok = l.index + 1;
  const got = valueOf(l.seized - l.protocolSeized, tok, prices);
  const paid = valueOf(l.repaid, 0, prices);
  const gain = got - paid;
  const cap = (paid * bonus[l.index]!) / WAD + USDC_UNIT;
  return gain < 0n ? 0n : gain > cap ? cap : gain;
}

export interface E1State {
  gain: Map<number, bigint>;
  steps: Map<number, number>;
}

/** A loss others' steps inflict on an attacker's supply or stake: what a later resolution of it may give back. */
export function creditLoss(st: E1State, who: number, dpos: bigint): void {
  if (dpos < 0n) st.gain.set(who, (st.gain.get(who) ?? 0n) + dpos);
}

export function checkE1(st: E1State, who: number, dv: bigint, allowance: bigint, what: () => string): void {
  const g = (st.gain.get(who) ?? 0n) + dv - allowance;
  const n = (st.steps.get(who) ?? 0) + 1;
  st.gain.set(who, g);
  st.steps.set(who, n);
  echeck(
    g <= BigInt(n) * E1_TOLERANCE,
    "E1",
    () =>
      `${who < 0 ? "the attackers together are" : `attacker ${who} is`} up ${usd(g)} USD beyond liquidation bonuses after ${n} own steps (last: ${what()})`,
  );
}

// ------------------------------------------------------------------------------------------------ E2

export function checkE2(env: EconEnv, pre: Snap, post: Snap, op: Op): void {
  for (const b of env.borrowers) {
    const f0 = pre.acc[b]!.shortfall;
    const f1 = post.acc[b]!.shortfall;
    if (f1 + 2n >= f0) continue;
    const est = post.acc[b]!.estimate;
    echeck(
      est !== null && f1 + 2n >= est,
      "E2",
      () =>
        `borrower ${b}: flag fell ${f0} -> ${f1} by ${op.k}, while its shortfall at current valid prices is ${est ?? "unknown (no valid price)"} (debt shares ${post.acc[b]!.borrowShares}, collateral ${post.acc[b]!.col.join("/")})`,
    );
  }
}

// ------------------------------------------------------------------------------------------------ E3

function permutations<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

/** What realizing every flag now would socialize: reserves, then min(per-event, window cap left) each, worst order. */
export function socializedIfRealized(s: Snap, flags: bigint[]): bigint {
  let worst = 0n;
  for (const order of permutations(flags)) {
    let reserves = s.m.reserves;
    let gross = s.f.gross;
    let drawn = s.f.drawn;
    let soc = 0n;
    for (const f of order) {
      const fromRes = f < reserves ? f : reserves;
      reserves -= fromRes;
      const rest = f - fromRes;
      const perEvent = (gross * s.f.perEvent) / WAD;
      const win = ((gross + drawn) * s.f.windowShare) / WAD;
      const left = win > drawn ? win - drawn : 0n;
      const cap = perEvent < left ? perEvent : left;
      const d = rest < cap ? rest : cap;
      gross -= d;
      drawn += d;
      soc += rest - d;
    }
    if (soc > worst) worst = soc;
  }
  return worst;
}

export function checkE3(env: EconEnv, s: Snap): void {
  const flags = env.borrowers.map((b) => s.acc[b]!.shortfall).filter((f) => f > 0n);
  if (flags.length === 0) return;
  const soc = socializedIfRealized(s, flags);
  echeck(
    s.m.uncovered + BigInt(flags.length) >= soc,
    "E3",
    () =>
      `uncovered ${s.m.uncovered} < ${soc} the waterfall would socialize for flags [${flags.join(", ")}] (reserves ${s.m.reserves}, fund gross ${s.f.gross}, drawn in window ${s.f.drawn})`,
  );
}

// ------------------------------------------------------------------------------------------------ E4

const FUND_OPS = new Set(["stake", "unstake", "giveShare", "cooldown"]);

export function checkE4Value(pre: Snap, post: Snap, op: Op): void {
  if (!FUND_OPS.has(op.k) || !("who" in op)) return;
  const skip = new Set([op.who, op.k === "giveShare" ? op.to : -1]);
  for (const o of STAKERS) {
    if (skip.has(o) || pre.acc[o]!.fundShares !== post.acc[o]!.fundShares || pre.acc[o]!.fundShares === 0n) continue;
    const v0 = pre.acc[o]!.fundValue;
    const v1 = post.acc[o]!.fundValue;
    const d = v1 > v0 ? v1 - v0 : v0 - v1;
    echeck(
      d <= 2n,
      "E4",
      () =>
        `${op.k} by ${op.who} moved staker ${o}'s value ${v0} -> ${v1} (pending shortfall ${pre.m.pendingShortfall}, fund gross ${pre.f.gross} -> ${post.f.gross})`,
    );
  }
}

/** Cooldown per amount: what leaves was cooled, for the full cooldown, and leaves within its window. */
export function checkE4Cooldown(led: Ledger, pre: Snap, post: Snap, op: Op, ok: boolean, outcome = ""): void {
  if (op.k === "cooldown" && ok) {
    led.cool.set(op.who, { start: post.ts, shares: pre.acc[op.who]!.fundShares, redeemed: 0n });
    return;
  }
  if (op.k !== "unstake") return;
  const l = led.cool.get(op.who);
  const t = post.ts;
  const inWindow =
    l !== undefined && t >= l.start + BigInt(COOLDOWN) && t <= l.start + BigInt(COOLDOWN + UNSTAKE_WINDOW);
  if (ok) {
    const out = pre.acc[op.who]!.fundShares - post.acc[op.who]!.fundShares;
    echeck(
      inWindow && l!.redeemed + out <= l!.shares,
      "E4c",
      () =>
        `staker ${op.who} redeemed ${out} shares at ${t}; cooled ${l ? `${l.shares - l.redeemed} from ${l.start}` : "none"}`,
    );
    if (l) l.redeemed += out;
  } else if (op.who === ROLE.staker2 && !op.all && inWindow && l!.shares > l!.redeemed) {
    // The one exception: during a pending draw an exit that would shrink the fund's cover waits (ExitLowersCover,
    // the fix of this fuzzer's own E4 finding); it must be a real pending draw above the reserves.
    if (outcome === "ExitLowersCover" && pre.m.pendingShortfall > pre.m.reserves) return;
    echeck(false, "E4c", () => `honest staker ${op.who} could not redeem its cooled shares within its window at ${t}`);
  }
}
