/**
 * The stress grids (reports/stress-*.json): one episode replayed at every pool depth x keeper latency, as a heat
 * map of the suppliers' loss, each cell with its bad debt and who paid it.
 */
import { useState } from "react";
import { assetsOf, useReport, whole, type StressReport } from "./reports";
import { ReportPicker } from "./ReportPicker";
import { Head } from "../components/Head";

type Cell = StressReport["grid"][number];

export function StressGrids({ files }: { files: string[] }) {
  const [file, setFile] = useState(files.find((f) => f.includes("blackthursday")) ?? files[0] ?? "");
  const q = useReport<StressReport>(file);
  if (!files.length) return <p className="muted">No stress grid in reports/ (run `npm run stress`).</p>;
  return (
    <article className="card" data-testid="stress-grid">
      <h2>Stress grids: supplier loss over pool depth x keeper latency</h2>
      <ReportPicker label="Stress episode" files={files} value={file} onChange={setFile} />
      {q.error ? <p role="alert">{q.error.message}</p> : null}
      {q.data ? <HeatMap r={q.data} /> : <p aria-busy="true">Loading…</p>}
    </article>
  );
}

const uniq = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b);
const usd = (x: number) => "$" + x.toLocaleString("en-US", { maximumFractionDigits: 0 });

function HeatMap({ r }: { r: StressReport }) {
  const loan = assetsOf(r.episode)?.loan ?? { symbol: "base units", decimals: 0 };
  const depths = uniq(r.grid.map((c) => c.depthUsd2Pct));
  const lags = uniq(r.grid.map((c) => c.keeperEveryBlocks));
  const worst = Math.max(1, ...r.grid.map((c) => c.supplierLossBps));
  const cell = (d: number, k: number) => r.grid.find((c) => c.depthUsd2Pct === d && c.keeperEveryBlocks === k);
  const amt = (s: string) => whole(s, loan.decimals).toLocaleString("en-US", { maximumFractionDigits: 0 });
  const split = (c: Cell) =>
    `bad debt ${amt(c.badDebt)} ${loan.symbol}: reserves ${amt(c.fromReserves)}, insurance ${amt(c.fromInsurance)}, ` +
    `socialized ${amt(c.socialized)}; ${c.unprofitableSkips} liquidations skipped as unprofitable`;
  return (
    <table className="heat">
      <caption>
        {r.episode}, {r.borrowers} borrowers: supplier loss (bps) and bad debt ({loan.symbol}); rows: pool depth (USD
        that moves the price 2%), columns: keeper acts every N blocks
      </caption>
      <Head cols={["Depth \\ keeper", ...lags.map((k) => `every ${k} block${k === 1 ? "" : "s"}`)]} />
      <tbody>
        {depths.map((d) => (
          <tr key={d}>
            <th scope="row">{usd(d)}</th>
            {lags.map((k) => {
              const c = cell(d, k);
              if (!c) return <td key={k}>not run</td>;
              const heat = c.supplierLossBps / worst;
              return (
                <td
                  key={k}
                  title={split(c)}
                  data-testid={`stress-${d}-${k}`}
                  style={{ background: `rgba(192, 57, 43, ${0.08 + 0.72 * heat})`, color: heat > 0.6 ? "#fff" : "" }}
                >
                  <strong>{c.supplierLossBps} bps</strong>
                  <br />
                  <small>
                    {amt(c.badDebt)} {loan.symbol} bad debt, {amt(c.socialized)} socialized
                  </small>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
