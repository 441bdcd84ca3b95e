/** An account's history from the indexer: actions and liquidations. */
import { useIndexer } from "../hooks/ballast";
import type { TokenInfo } from "../hooks/ballast";
import { fmtAmount, fmtDate } from "../format";
import { Head } from "./Head";

export interface IndexedAction {
  id: string;
  market: string;
  kind: string;
  assets: string;
  collateralIndex: number | null;
  timestamp: string;
  tx: string;
}
export interface IndexedLiquidation {
  id: string;
  market: string;
  liquidator: string;
  borrower: string;
  collateralIndex: number;
  repaidAssets: string;
  seizedAssets: string;
  timestamp: string;
  tx: string;
}

const fmtToken = (x: bigint, t: TokenInfo | undefined) => (t ? `${fmtAmount(x, t.decimals)} ${t.symbol}` : String(x));

export function History(props: { id: number; account: string; loan: TokenInfo; collaterals: TokenInfo[] }) {
  const { id, account, loan, collaterals } = props;
  const q = useIndexer<{ actions: IndexedAction[]; liquidations: IndexedLiquidation[] }>(`/api/accounts/${account}`);
  if (q.error) return <p className="muted">History unavailable: the indexer does not answer ({q.error.message}).</p>;
  const actions = (q.data?.actions ?? []).filter((a) => a.market === String(id));
  const liqs = (q.data?.liquidations ?? []).filter((a) => a.market === String(id));
  return (
    <div className="card">
      <h2>History (indexer)</h2>
      {liqs.length ? (
        <p className="bad" data-testid="my-liquidations">
          Liquidated {liqs.length} time(s):{" "}
          {liqs.map((l) => `${fmtAmount(BigInt(l.repaidAssets), loan.decimals, 2)} ${loan.symbol} repaid`).join(", ")}
        </p>
      ) : null}
      <table>
        <Head cols={["When", "Action", "Amount"]} />
        <tbody>
          {actions.slice(0, 20).map((a) => (
            <tr key={a.id} data-testid={`history-${a.kind}`}>
              <td>{fmtDate(BigInt(a.timestamp))}</td>
              <td>{a.kind}</td>
              <td>{fmtToken(BigInt(a.assets), a.collateralIndex === null ? loan : collaterals[a.collateralIndex])}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
