/** The live market's liquidation and bad-debt history, from the indexer: totals, the split per event, the list. */
import { Chart } from "../components/Chart";
import { Stat } from "../components/Stat";
import type { IndexedLiquidation } from "../components/History";
import { useIndexer, useTokenInfo } from "../hooks/ballast";
import { fmtAmount, fmtDate } from "../format";
import { Head } from "../components/Head";

interface BadDebtRow {
  id: string;
  borrower: string;
  amount: string;
  fromReserves: string;
  fromInsurance: string;
  socialized: string;
  timestamp: string;
}
interface Totals {
  liquidations: number;
  badDebt: string;
  fromReserves: string;
  fromInsurance: string;
  socialized: string;
}

export function LiveHistory({ id, loanToken }: { id: number; loanToken: string }) {
  const token = useTokenInfo(loanToken).data;
  const totals = useIndexer<Totals>(`/api/markets/${id}`);
  const liqs = useIndexer<IndexedLiquidation[]>(`/api/markets/${id}/liquidations?limit=50`).data ?? [];
  const bad = useIndexer<BadDebtRow[]>(`/api/markets/${id}/bad-debt?limit=50`).data ?? [];
  if (totals.error)
    return (
      <p role="alert">
        Market {id}: the indexer does not answer ({totals.error.message}).
      </p>
    );
  if (!totals.data || !token) return <p aria-busy="true">Loading market {id} history…</p>;
  const t = totals.data;
  const amt = (x: string) => `${fmtAmount(BigInt(x), token.decimals, 2)} ${token.symbol}`;
  const asc = [...bad].reverse();
  const n = (x: string) => Number(BigInt(x)) / 10 ** token.decimals;
  return (
    <article className="card" data-testid={`live-${id}`} data-ready="true">
      <h2>
        Market {id} ({token.symbol}): liquidations and bad debt (indexer)
      </h2>
      <dl className="stats">
        <Stat label="Liquidations" value={t.liquidations} testId={`idx-liquidations-${id}`} />
        <Stat label="Bad debt" value={amt(t.badDebt)} testId={`idx-bad-debt-${id}`} />
        <Stat label="… from reserves" value={amt(t.fromReserves)} testId={`idx-from-reserves-${id}`} />
        <Stat label="… from insurance" value={amt(t.fromInsurance)} testId={`idx-from-insurance-${id}`} />
        <Stat label="… socialized" value={amt(t.socialized)} testId={`idx-socialized-${id}`} />
      </dl>
      {asc.length ? (
        <Chart
          title={`Market ${id}: bad debt per event (1 = oldest) and its split (${token.symbol})`}
          x={asc.map((_, i) => i + 1)}
          time={false}
          series={[
            { label: "from reserves", values: asc.map((b) => n(b.fromReserves)), color: "#2b7bb9", bars: true },
            { label: "from insurance", values: asc.map((b) => n(b.fromInsurance)), color: "#e0a100", bars: true },
            { label: "socialized", values: asc.map((b) => n(b.socialized)), color: "#c0392b", bars: true },
          ]}
        />
      ) : null}
      {liqs.length ? (
        <table>
          <caption>Liquidations</caption>
          <Head cols={["When", "Borrower", "Repaid", "Collateral #"]} />
          <tbody>
            {liqs.map((l) => (
              <tr key={l.id}>
                <td>{fmtDate(BigInt(l.timestamp))}</td>
                <td>{l.borrower.slice(0, 10)}…</td>
                <td>{amt(l.repaidAssets)}</td>
                <td>{l.collateralIndex}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No liquidation yet.</p>
      )}
    </article>
  );
}
