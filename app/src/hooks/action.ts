/**
 * The state of the position form: the chosen action, its amount (or "all", by shares), the SDK's preview, whether
 * a stale price blocks it, the approval it needs, and the calls that approve and submit it.
 */
import { useState } from "react";
import type { ActionKind, ProposedAction } from "../../../sdk/preview";
import { coreAbi, tokenAbi } from "../abis";
import { parseAmount } from "../format";
import type { AccruedMarket, PositionView } from "../lens";
import { useAllowance, useBalance } from "./ballast";
import type { useMarket } from "./market";
import { usePreview } from "./preview";
import { useRuntime } from "./runtime";
import { useTx } from "./tx";

export const LABELS: Record<ActionKind, string> = {
  supply: "Supply",
  withdraw: "Withdraw",
  supplyCollateral: "Add collateral",
  withdrawCollateral: "Remove collateral",
  borrow: "Borrow",
  repay: "Repay",
};
/** Blocked by a stale or invalid price (the core prices the position). */
export const NEEDS_PRICE: ActionKind[] = ["borrow", "withdrawCollateral"];
/** Pulls tokens from the user: needs an allowance. */
const PULLS: ActionKind[] = ["supply", "repay", "supplyCollateral"];

/** What the form acts on: the market, the connected account's position and whether every price is valid. */
export interface PositionContext {
  id: number;
  account: `0x${string}`;
  market: ReturnType<typeof useMarket>;
  position: PositionView;
  accrued: AccruedMarket | undefined;
  pricesValid: boolean;
}

export function useAction(ctx: PositionContext) {
  const { id, account, market, position, accrued, pricesValid } = ctx;
  const rt = useRuntime();
  const core = rt.deployment.contracts.BallastCore!;
  const [kind, setKind] = useState<ActionKind>("supply");
  const [index, setIndex] = useState(0);
  const [text, setText] = useState("");
  const [all, setAll] = useState(false);
  const tx = useTx(account);
  const isCollateral = kind === "supplyCollateral" || kind === "withdrawCollateral";
  const token = isCollateral ? market.collateralTokens[index]! : market.loan!;
  const amount = parseAmount(text, token.decimals);
  const byShares = all && (kind === "withdraw" || kind === "repay");
  const shares = kind === "withdraw" ? position.supplyShares : position.borrowShares;
  const action: ProposedAction | null = byShares
    ? { kind, shares }
    : amount
      ? { kind, assets: amount, index: isCollateral ? index : undefined }
      : null;
  const preview = usePreview(market.view, accrued, position, action);
  const blocked = !pricesValid && NEEDS_PRICE.includes(kind) && (kind === "borrow" || position.borrowShares > 0n);
  const pulls = PULLS.includes(kind);
  const need = preview ? preview.assets + (byShares ? preview.assets / 1000n + 1n : 0n) : (amount ?? 0n);
  const allowance = useAllowance(token.address, account, core).data ?? 0n;
  const balance = useBalance(token.address, account).data;
  const needsApproval = pulls && need > 0n && allowance < need;

  const submit = async () => {
    if (!action) return;
    const args = callArgs(BigInt(id), account, action);
    const ok = await tx.send(LABELS[kind], { address: core, abi: coreAbi, functionName: kind, args });
    if (ok) setText("");
  };
  const approve = () =>
    tx.send(`Approve ${token.symbol}`, {
      address: token.address,
      abi: tokenAbi,
      functionName: "approve",
      args: [core, need],
    });

  return {
    kind,
    setKind: (k: ActionKind) => (setKind(k), setAll(false), tx.reset()),
    index,
    setIndex,
    text,
    setText,
    all,
    setAll,
    isCollateral,
    token,
    byShares,
    action,
    preview,
    blocked,
    need,
    balance,
    needsApproval,
    submit,
    approve,
    tx,
  };
}

/** The core call's arguments for an action on the caller's own position (receiver: the caller). */
function callArgs(id: bigint, account: `0x${string}`, action: ProposedAction): unknown[] {
  const a = action.assets ?? 0n;
  const s = action.shares ?? 0n;
  const index = BigInt(action.index ?? 0);
  const args: Record<ActionKind, unknown[]> = {
    supply: [id, a, s, account],
    withdraw: [id, a, s, account, account],
    borrow: [id, a, s, account, account],
    repay: [id, a, s, account],
    supplyCollateral: [id, index, a, account],
    withdrawCollateral: [id, index, a, account, account],
  };
  return args[action.kind];
}
