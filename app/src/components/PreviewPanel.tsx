/** previewAction's figures: before → after, and the revert the core would raise, in words. */
import type { ActionPreview, ProposedAction } from "../../../sdk/preview";
import type { PositionContext } from "./ActionForm";
import { fmtHf, fmtPrice, fmtUsd, healthClass } from "../format";
import { predictedWords } from "../errors";

interface Props {
  preview: ActionPreview | null;
  action: ProposedAction | null;
  ctx: PositionContext;
}

export function PreviewPanel({ preview: p, action, ctx }: Props) {
  const { market, account, id, pricesValid } = ctx;
  if (!action) return <p className="preview muted">Enter an amount to preview the position after the action.</p>;
  if (!pricesValid || !p) return <p className="preview muted">No preview while a price is stale or invalid.</p>;
  return (
    <div className="preview" aria-live="polite" data-testid="preview">
      <h3>After this action</h3>
      <dl className="stats">
        <div className={`stat ${healthClass(p.after.healthFactor)}`}>
          <dt>Health factor</dt>
          <dd>
            {fmtHf(p.before.healthFactor)} → <span data-testid="preview-hf">{fmtHf(p.after.healthFactor)}</span>
          </dd>
        </div>
        <div className="stat">
          <dt>Borrow power</dt>
          <dd>
            {fmtUsd(p.before.borrowPower)} →{" "}
            <span data-testid="preview-borrow-power">{fmtUsd(p.after.borrowPower)}</span>
          </dd>
        </div>
        {market.collateralTokens.map((t, i) =>
          p.after.collateral[i] || p.before.collateral[i] ? (
            <div className="stat" key={t.address}>
              <dt>{t.symbol} liquidation price</dt>
              <dd>
                {fmtPrice(p.before.liquidationPrices[i], t.decimals)} →{" "}
                <span data-testid={`preview-liq-${t.symbol}`}>
                  {fmtPrice(p.after.liquidationPrices[i], t.decimals)}
                </span>
              </dd>
            </div>
          ) : null,
        )}
      </dl>
      {p.revert ? (
        <p role="alert" className="bad" data-testid="preview-revert">
          This would fail: {predictedWords(p.revert, BigInt(id), account)}
        </p>
      ) : null}
    </div>
  );
}
