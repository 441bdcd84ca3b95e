/**
 * The six position actions with the approval step and the SDK's preview of the position after the action.
 * Borrow and remove collateral are greyed out while a price is stale or invalid; the others stay open.
 */
import { useId, useState } from "react";
import type { ActionKind, ProposedAction } from "../../../sdk/preview";
import { coreAbi, tokenAbi } from "../abis";
import { useAllowance, useBalance } from "../hooks/ballast";
import type { useMarket } from "../hooks/market";
import { usePreview } from "../hooks/preview";
import { useRuntime } from "../hooks/runtime";
import { useTx } from "../hooks/tx";
import type { AccruedMarket, PositionView } from "../lens";
import { fmtAmount } from "../format";
import { parseAmount } from "../format";
import { PreviewPanel } from "./PreviewPanel";
import { TxStatus } from "./TxStatus";

const LABELS: Record<ActionKind, string> = {
  supply: "Supply",
  withdraw: "Withdraw",
  supplyCollateral: "Add collateral",
  withdrawCollateral: "Remove collateral",
  borrow: "Borrow",
  repay: "Repay",
};
/** Blocked by a stale or invalid price (the core prices the position). */
const NEEDS_PRICE: ActionKind[] = ["borrow", "withdrawCollateral"];
/** Pulls tokens from the user: needs an allowance. */
const PULLS: ActionKind[] = ["supply", "repay", "supplyCollateral"];

interface Props {
  id: number;
  account: `0x${string}`;
  market: ReturnType<typeof useMarket>;
  position: PositionView;
  accrued: AccruedMarket | undefined;
  pricesValid: boolean;
}

export function ActionForm({ id, account, market, position, accrued, pricesValid }: Props) {
  const rt = useRuntime();
  const core = rt.deployment.contracts.BallastCore!;
  const uid = useId();
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
    const a = action.assets ?? 0n;
    const s = action.shares ?? 0n;
    const args: Record<ActionKind, unknown[]> = {
      supply: [BigInt(id), a, s, account],
      withdraw: [BigInt(id), a, s, account, account],
      borrow: [BigInt(id), a, s, account, account],
      repay: [BigInt(id), a, s, account],
      supplyCollateral: [BigInt(id), BigInt(index), a, account],
      withdrawCollateral: [BigInt(id), BigInt(index), a, account, account],
    };
    const ok = await tx.send(LABELS[kind], { address: core, abi: coreAbi, functionName: kind, args: args[kind] });
    if (ok) setText("");
  };
  const approve = () =>
    tx.send(`Approve ${token.symbol}`, {
      address: token.address,
      abi: tokenAbi,
      functionName: "approve",
      args: [core, need],
    });

  return (
    <form
      className="card action-form"
      aria-labelledby={`${uid}-title`}
      onSubmit={(e) => (e.preventDefault(), void submit())}
    >
      <h2 id={`${uid}-title`}>Act on this position</h2>
      <fieldset className="kinds">
        <legend>Action</legend>
        {(Object.keys(LABELS) as ActionKind[]).map((k) => {
          const greyed = !pricesValid && NEEDS_PRICE.includes(k);
          return (
            <label
              key={k}
              className={greyed ? "greyed" : ""}
              data-testid={`kind-${k}`}
              title={greyed ? "Blocked while a price is stale or invalid" : undefined}
            >
              <input
                type="radio"
                name={`${uid}-kind`}
                value={k}
                checked={kind === k}
                onChange={() => (setKind(k), setAll(false), tx.reset())}
              />
              {LABELS[k]}
            </label>
          );
        })}
      </fieldset>
      {isCollateral ? (
        <label>
          Collateral{" "}
          <select value={index} onChange={(e) => setIndex(Number(e.target.value))} data-testid="collateral-select">
            {market.collateralTokens.map((t, i) => (
              <option key={t.address} value={i}>
                {t.symbol}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label>
        Amount ({token.symbol}){" "}
        <input
          inputMode="decimal"
          autoComplete="off"
          value={byShares ? "" : text}
          disabled={byShares}
          placeholder={byShares ? "everything" : "0.0"}
          onChange={(e) => setText(e.target.value)}
          data-testid="amount"
        />
      </label>
      <small>
        {" "}
        wallet: {fmtAmount(balance, token.decimals)} {token.symbol}
      </small>
      {kind === "withdraw" || kind === "repay" ? (
        <label>
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} data-testid="all" /> All (
          {kind === "repay" ? "repay every debt share" : "redeem every supply share"})
        </label>
      ) : null}
      <PreviewPanel
        preview={preview}
        action={action}
        market={market}
        account={account}
        id={id}
        pricesValid={pricesValid}
      />
      <div className="buttons">
        {needsApproval ? (
          <button
            type="button"
            onClick={() => void approve()}
            disabled={tx.state.status === "pending"}
            data-testid="approve"
          >
            Approve {fmtAmount(need, token.decimals)} {token.symbol}
          </button>
        ) : null}
        <button
          type="submit"
          disabled={!action || blocked || needsApproval || tx.state.status === "pending"}
          className={blocked ? "greyed" : ""}
          data-testid="submit"
          title={blocked ? "Blocked while a price is stale or invalid" : undefined}
        >
          {LABELS[kind]}
        </button>
      </div>
      <TxStatus state={tx.state} />
    </form>
  );
}
