/**
 * The leaving suppliers: as soon as any position is short, each leaver withdraws all it can (limited by the
 * market's liquidity), at the value a withdrawal is priced at then (flags included).
 */
import { previewRedeem } from "../../sdk/math";
import type { MarketView, PositionHealth } from "../../keeper/keeper";
import type { SimContext } from "../types";
import type { Agent, AgentFactory, AgentSpec } from "./agent";

const FEES = { gasLimit: 500_000n, maxPriorityFeePerGas: 2n * 10n ** 9n, maxFeePerGas: 1000n * 10n ** 9n };

async function withdrawAll(ctx: SimContext, v: MarketView, exited: Set<string>): Promise<string[]> {
  const m = v.accrued;
  let available = m.totalSupplyAssets > m.totalBorrowAssets ? m.totalSupplyAssets - m.totalBorrowAssets : 0n;
  const minUnit = 10n ** BigInt(ctx.loan.spec.decimals);
  const hashes: string[] = [];
  for (const s of ctx.suppliers) {
    if (s.role !== "leaver") continue;
    const addr = await s.signer.getAddress();
    if (exited.has(addr)) continue;
    const [shares] = await ctx.core.position(ctx.id, addr);
    if (shares === 0n) {
      exited.add(addr);
      continue;
    }
    const value = previewRedeem(m, await ctx.core.uncoveredShortfall(ctx.id), shares);
    const core = ctx.core.connect(s.signer);
    if (value + minUnit < available) {
      hashes.push((await core.withdraw(ctx.id, 0, shares, addr, addr, FEES)).hash);
      available -= value;
    } else {
      const amount = (available * 98n) / 100n;
      if (amount < minUnit) continue;
      hashes.push((await core.withdraw(ctx.id, amount, 0, addr, addr, FEES)).hash);
      available -= amount;
    }
  }
  return hashes;
}

export const leavers: AgentFactory = async (run) => {
  const exited = new Set<string>();
  const agent: Agent = {
    name: "leavers",
    drives: true,
    act: async ({ view, health }: { view: MarketView; health: PositionHealth[] }) =>
      health.some((h) => !h.invalid && h.shortfall > 0n) ? withdrawAll(run.ctx, view, exited) : [],
  };
  return agent;
};

export const agent: AgentSpec = { order: 30, make: leavers };
