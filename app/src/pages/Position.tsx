/** Position: health factor, borrow power and liquidation prices, and the six actions with a preview. */
import { useState } from "react";
import { useAccount } from "wagmi";
import { Stat } from "../components/Stat";
import { ActionForm } from "../components/ActionForm";
import { useAccruedMarket, usePositionView } from "../hooks/ballast";
import { useMarket } from "../hooks/market";
import { useRuntime } from "../hooks/runtime";
import { fmtAmount, fmtHf, fmtPrice, fmtUsd, healthClass } from "../format";
import { History } from "../components/History";
import { Head } from "../components/Head";

export function Position() {
  const rt = useRuntime();
  const { address } = useAccount();
  const [id, setId] = useState(rt.deployment.markets[0]?.id ?? 1);
  return (
    <section aria-labelledby="position-title">
      <h1 id="position-title">Position</h1>
      <label>
        Market{" "}
        <select value={id} onChange={(e) => setId(Number(e.target.value))}>
          {rt.deployment.markets.map((m) => (
            <option key={m.id} value={m.id}>
              {m.id}: borrow {m.loan} against {m.collaterals.join(", ")}
            </option>
          ))}
        </select>
      </label>
      {address ? (
        <PositionBody id={id} account={address} />
      ) : (
        <p data-ready="true">Connect a wallet to see your position.</p>
      )}
    </section>
  );
}

function PositionBody({ id, account }: { id: number; account: `0x${string}` }) {
  const market = useMarket(id);
  const pos = usePositionView(id, account).data;
  const accrued = useAccruedMarket(id).data;
  const { view: v, loan, collateralTokens: cols } = market;
  if (!market.ready || !v || !loan || !pos) return <p aria-busy="true">Loading position…</p>;
  const pricesValid = pos.pricesValid && v.loanOracle.valid && v.collaterals.every((c) => c.oracle.valid);
  // The lens values nothing while a price is invalid: say so rather than show $0.
  const priced = (figure: string) => (pricesValid ? figure : "price invalid");
  return (
    <div data-ready="true">
      {!pricesValid ? (
        <p role="status" className="banner bad" data-testid="stale-banner">
          A price is stale or invalid: borrowing and removing collateral are blocked until the feed updates. Supply,
          withdraw, repay and adding collateral stay open.
        </p>
      ) : null}
      <dl className="stats">
        <Stat
          label="Health factor"
          value={pricesValid ? fmtHf(pos.healthFactor) : "price invalid"}
          testId="health-factor"
          tone={healthClass(pos.healthFactor)}
        />
        <Stat label="Debt" value={`${fmtAmount(pos.debt, loan.decimals, 2)} ${loan.symbol}`} testId="debt" />
        <Stat
          label="Supplied"
          value={`${fmtAmount(pos.supplyAssets, loan.decimals, 2)} ${loan.symbol}`}
          testId="supplied"
        />
        <Stat label="Collateral value" value={priced(fmtUsd(pos.collateralValue))} testId="collateral-value" />
        <Stat label="Borrow power" value={priced(fmtUsd(pos.borrowPower))} testId="borrow-power" />
        <Stat
          label="Can still borrow"
          value={priced(`${fmtAmount(pos.borrowPowerLeft, loan.decimals, 2)} ${loan.symbol}`)}
          testId="borrow-left"
        />
      </dl>
      <table>
        <caption>Collateral</caption>
        <Head cols={["Asset", "Deposited", "Price", "Liquidation price"]} />
        <tbody>
          {pos.collaterals.map((c, i) => (
            <tr key={c.token}>
              <th scope="row">{cols[i]!.symbol}</th>
              <td data-testid={`collateral-${cols[i]!.symbol}`}>{fmtAmount(c.amount, cols[i]!.decimals)}</td>
              <td>
                {v.collaterals[i]!.oracle.valid ? (
                  fmtPrice(v.collaterals[i]!.oracle.price, cols[i]!.decimals)
                ) : (
                  <mark className="bad">stale or invalid</mark>
                )}
              </td>
              <td data-testid={`liq-price-${cols[i]!.symbol}`}>{fmtPrice(c.liquidationPrice, cols[i]!.decimals)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ActionForm ctx={{ id, account, market, position: pos, accrued, pricesValid }} />
      <History id={id} account={account} loan={loan} collaterals={cols} />
    </div>
  );
}
