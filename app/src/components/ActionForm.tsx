/**
 * The six position actions with the approval step and the SDK's preview of the position after the action.
 * Borrow and remove collateral are greyed out while a price is stale or invalid; the others stay open.
 */
import { useId } from "react";
import type { ActionKind } from "../../../sdk/preview";
import { LABELS, NEEDS_PRICE, useAction, type PositionContext } from "../hooks/action";
import { fmtAmount } from "../format";
import { PreviewPanel } from "./PreviewPanel";
import { TxStatus } from "./TxStatus";

export type { PositionContext };

export function ActionForm({ ctx }: { ctx: PositionContext }) {
  const { market, pricesValid } = ctx;
  const uid = useId();
  const f = useAction(ctx);
  const { kind, token, tx, need } = f;
  return (
    <form
      className="card action-form"
      aria-labelledby={`${uid}-title`}
      onSubmit={(e) => (e.preventDefault(), void f.submit())}
    >
      <h2 id={`${uid}-title`}>Act on this position</h2>
      <KindPicker name={`${uid}-kind`} kind={kind} pricesValid={pricesValid} onChange={f.setKind} />
      {f.isCollateral ? (
        <label>
          Collateral{" "}
          <select value={f.index} onChange={(e) => f.setIndex(Number(e.target.value))} data-testid="collateral-select">
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
          value={f.byShares ? "" : f.text}
          disabled={f.byShares}
          placeholder={f.byShares ? "everything" : "0.0"}
          onChange={(e) => f.setText(e.target.value)}
          data-testid="amount"
        />
      </label>
      <small>
        {" "}
        wallet: {fmtAmount(f.balance, token.decimals)} {token.symbol}
      </small>
      {kind === "withdraw" || kind === "repay" ? (
        <label>
          <input type="checkbox" checked={f.all} onChange={(e) => f.setAll(e.target.checked)} data-testid="all" /> All (
          {kind === "repay" ? "repay every debt share" : "redeem every supply share"})
        </label>
      ) : null}
      <PreviewPanel preview={f.preview} action={f.action} ctx={ctx} />
      <div className="buttons">
        {f.needsApproval ? (
          <button
            type="button"
            onClick={() => void f.approve()}
            disabled={tx.state.status === "pending"}
            data-testid="approve"
          >
            Approve {fmtAmount(need, token.decimals)} {token.symbol}
          </button>
        ) : null}
        <button
          type="submit"
          disabled={!f.action || f.blocked || f.needsApproval || tx.state.status === "pending"}
          className={f.blocked ? "greyed" : ""}
          data-testid="submit"
          title={f.blocked ? "Blocked while a price is stale or invalid" : undefined}
        >
          {LABELS[kind]}
        </button>
      </div>
      <TxStatus state={tx.state} />
    </form>
  );
}

/** The six actions as radio buttons; those a stale price blocks are greyed out (still selectable, to explain). */
function KindPicker(props: {
  name: string;
  kind: ActionKind;
  pricesValid: boolean;
  onChange: (k: ActionKind) => void;
}) {
  const { name, kind, pricesValid, onChange } = props;
  return (
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
            <input type="radio" name={name} value={k} checked={kind === k} onChange={() => onChange(k)} />
            {LABELS[k]}
          </label>
        );
      })}
    </fieldset>
  );
}
