/** Markets: per market the loan asset, collaterals and their risk parameters, rates, caps and solvency. */
import { marketRates } from "../../../sdk/apy";
import { Stat } from "../components/Stat";
import { useLossTotals, useSolvency } from "../hooks/ballast";
import type { LossTotals } from "../hooks/ballast";
import type { SolvencyView } from "../lens";
import { useMarket } from "../hooks/market";
import { useRuntime } from "../hooks/runtime";
import { fmtAmount, fmtPct, fmtPrice } from "../format";
import { errorWords } from "../errors";
import { Head } from "../components/Head";

export function Markets() {
  const rt = useRuntime();
  return (
    <section aria-labelledby="markets-title">
      <h1 id="markets-title">Markets</h1>
      {rt.deployment.markets.map((m) => (
        <MarketCard key={m.id} id={m.id} />
      ))}
    </section>
  );
}

function MarketCard({ id }: { id: number }) {
  const { view: v, loan, collateralTokens, ready, error } = useMarket(id);
  const s = useSolvency(id).data;
  const loss = useLossTotals(id).data;
  if (error)
    return (
      <p role="alert">
        Market {id}: {errorWords(error)}
      </p>
    );
  if (!ready || !v || !loan) return <p aria-busy="true">Loading market {id}…</p>;
  const rates = marketRates(v.borrowRate, v.supplyRate);
  const amt = (x: bigint | undefined) => `${fmtAmount(x, loan.decimals, 2)} ${loan.symbol}`;
  const noCap = (x: bigint) => (x >= 2n ** 127n ? "none" : amt(x));
  return (
    <article className="card" data-testid={`market-${id}`} data-ready="true">
      <h2>
        Market {id}: borrow {loan.symbol}
        <small> price {fmtPrice(v.loanOracle.price, loan.decimals)}</small>
        {!v.loanOracle.valid ? <mark className="bad"> price invalid</mark> : null}
      </h2>
      <dl className="stats">
        <Stat
          label="Supply APR / APY"
          value={`${fmtPct(rates.supplyApr)} / ${fmtPct(rates.supplyApy)}`}
          testId={`supply-apy-${id}`}
        />
        <Stat
          label="Borrow APR / APY"
          value={`${fmtPct(rates.borrowApr)} / ${fmtPct(rates.borrowApy)}`}
          testId={`borrow-apy-${id}`}
        />
        <Stat label="Utilization" value={fmtPct(v.utilization)} testId={`utilization-${id}`} />
        <Stat label="Supplied" value={amt(v.totalSupplyAssets)} testId={`supplied-${id}`} />
        <Stat label="Borrowed" value={amt(v.totalBorrowAssets)} />
        <Stat label="Supply cap / borrow cap" value={`${noCap(v.supplyCap)} / ${noCap(v.borrowCap)}`} />
      </dl>
      <table>
        <caption>Collaterals</caption>
        <Head cols={["Asset", "Price", "LTV", "Liq. threshold", "Liq. bonus", "Supplied", "Cap"]} />
        <tbody>
          {v.collaterals.map((c, i) => {
            const t = collateralTokens[i]!;
            return (
              <tr key={t.address}>
                <th scope="row">{t.symbol}</th>
                <td data-testid={`price-${id}-${t.symbol}`}>
                  {c.oracle.valid ? (
                    fmtPrice(c.oracle.price, t.decimals)
                  ) : (
                    <mark className="bad">stale or invalid</mark>
                  )}
                </td>
                <td>{fmtPct(c.ltv, 1)}</td>
                <td>{fmtPct(c.liquidationThreshold, 1)}</td>
                <td>{fmtPct(c.liquidationBonus, 1)}</td>
                <td>{fmtAmount(c.totalSupplied, t.decimals)}</td>
                <td>{c.supplyCap >= 2n ** 127n ? "none" : fmtAmount(c.supplyCap, t.decimals)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {s ? <SolvencyStats id={id} s={s} loss={loss} premiumOwed={v.premiumOwed} amt={amt} /> : null}
    </article>
  );
}

/** The solvency report: assets against liabilities, reserves, insurance, shortfalls, bad debt and its split. */
function SolvencyStats(props: {
  id: number;
  s: SolvencyView;
  loss: LossTotals | undefined;
  premiumOwed: bigint;
  amt: (x: bigint | undefined) => string;
}) {
  const { id, s, loss, premiumOwed, amt } = props;
  return (
    <>
      <h3>Solvency</h3>
      <dl className="stats">
        <Stat label="Assets: loans + cash" value={amt(s.totalDebt + s.cash)} testId={`assets-${id}`} />
        <Stat
          label="Liabilities: supplied + reserves + premium"
          value={amt(s.totalSupplyAssets + s.reserves + premiumOwed)}
          testId={`liabilities-${id}`}
        />
        <Stat label="Reserves" value={amt(s.reserves)} testId={`reserves-${id}`} />
        <Stat label="Insurance fund" value={amt(s.insuranceFundAssets)} testId={`fund-${id}`} />
        <Stat
          label="Coverage (reserves + fund) / debt"
          value={s.coverageRatio >= 2n ** 255n ? "∞" : fmtPct(s.coverageRatio)}
        />
        <Stat label="Pending shortfall" value={amt(s.pendingShortfall)} tone={s.pendingShortfall ? "warn" : ""} />
        <Stat label="Uncovered shortfall" value={amt(s.uncoveredShortfall)} tone={s.uncoveredShortfall ? "bad" : ""} />
        <Stat
          label="Bad debt realized"
          value={amt(loss?.badDebtRealized)}
          testId={`bad-debt-${id}`}
          tone={loss?.badDebtRealized ? "warn" : ""}
        />
        <Stat label="… from reserves" value={amt(loss?.fromReserves)} testId={`from-reserves-${id}`} />
        <Stat label="… from insurance" value={amt(loss?.fromInsurance)} testId={`from-insurance-${id}`} />
        <Stat label="… socialized" value={amt(loss?.socialized)} testId={`socialized-${id}`} />
      </dl>
    </>
  );
}
