/**
 * The crash replays (reports/crash-*.json): per phase the price, the liquidations, the collateral value, debt and
 * supply (when the report records them), and the cumulative losses split into reserves, insurance and socialized.
 */
import { useState } from "react";
import { Chart } from "../components/Chart";
import { Stat } from "../components/Stat";
import { assetsOf, useReport, whole, type Asset, type CrashReport, type Phase } from "./reports";
import { ReportPicker } from "./ReportPicker";
import { Head } from "../components/Head";

/** An episode replay/episodes.ts does not list: amounts are shown in base units. */
const UNKNOWN_ASSET: Asset = { symbol: "base units", decimals: 0 };
/** Loan assets charted at $1 beside the collateral's USD value (the replay's loan stablecoins). */
const USD_STABLES = ["USDC", "USDT", "DAI"];

export function CrashReports({ files }: { files: string[] }) {
  const [file, setFile] = useState(files.find((f) => f.includes("blackthursday")) ?? files[0] ?? "");
  const q = useReport<CrashReport>(file);
  if (!files.length) return <p className="muted">No crash-replay report in reports/ (run `npm run demo`).</p>;
  return (
    <article className="card" data-testid="crash-report">
      <h2>Crash replays</h2>
      <ReportPicker label="Episode" files={files} value={file} onChange={setFile} />
      {q.error ? <p role="alert">{q.error.message}</p> : null}
      {q.data ? <CrashCharts r={q.data} /> : <p aria-busy="true">Loading…</p>}
    </article>
  );
}

function CrashCharts({ r }: { r: CrashReport }) {
  const assets = assetsOf(r.episode);
  const loan: Asset = assets?.loan ?? UNKNOWN_ASSET;
  const amount = (s: string) => whole(s, loan.decimals);
  const phases = r.phases as Phase[];
  const x = phases.map((p) => Date.parse(p.phase) / 1000);
  const asset = Object.keys(phases[0]?.price ?? {})[0] ?? "";
  let cum = { res: 0, ins: 0, soc: 0 };
  const cumulative = phases.map(
    (p) =>
      (cum = {
        res: cum.res + amount(p.fromReserves),
        ins: cum.ins + amount(p.fromInsurance),
        soc: cum.soc + amount(p.socialized),
      }),
  );
  const fmt = (s: string) => amount(s).toLocaleString("en-US", { maximumFractionDigits: 0 });
  return (
    <>
      <h3>{r.title}</h3>
      <dl className="stats">
        <Stat label="Liquidations" value={r.totals.liquidations} testId="crash-liquidations" />
        <Stat label={`Bad debt (${loan.symbol})`} value={fmt(r.totals.badDebt)} testId="crash-bad-debt" />
        <Stat
          label={`from reserves / insurance / socialized (${loan.symbol})`}
          value={[r.totals.fromReserves, r.totals.fromInsurance, r.totals.socialized].map(fmt).join(" / ")}
        />
        <Stat label="Supplier loss" value={`${r.totals.supplierLossBps} bps`} />
      </dl>
      <Chart
        title={`${asset} price per phase (close and low, USD) and liquidations`}
        x={x}
        series={[
          { label: `${asset} close`, values: phases.map((p) => p.price[asset]?.close ?? null), color: "#2b7bb9" },
          { label: `${asset} low`, values: phases.map((p) => p.price[asset]?.min ?? null), color: "#7fb3d5" },
          { label: "liquidations", values: phases.map((p) => p.liquidations), color: "#888", right: true, bars: true },
        ]}
      />
      <Balances phases={phases} x={x} loan={loan} collaterals={assets?.collaterals ?? []} />
      <Chart
        title={`Cumulative losses by who paid (${loan.symbol})`}
        x={x}
        series={[
          { label: "reserves", values: cumulative.map((c) => c.res), color: "#2b7bb9" },
          { label: "insurance", values: cumulative.map((c) => c.ins), color: "#e0a100" },
          { label: "socialized", values: cumulative.map((c) => c.soc), color: "#c0392b" },
        ]}
      />
    </>
  );
}

/** Collateral value, debt and supply at the end of each phase: a chart and a table, or a line saying they are absent. */
function Balances(props: { phases: Phase[]; x: number[]; loan: Asset; collaterals: Asset[] }) {
  const { phases, x, loan, collaterals } = props;
  if (!phases.length || !phases.every((p) => p.collateralValueUsd !== undefined && p.debt !== undefined))
    return (
      <p className="muted" data-testid="no-balances">
        This report has no per-phase collateral and debt (it was written before the crash lab recorded them): re-run
        `npm run demo -- --episode &lt;name&gt;` to add them.
      </p>
    );
  const symbols = Object.keys(phases[0]?.collateral ?? {});
  const decimalsOf = (s: string) => collaterals.find((c) => c.symbol === s)?.decimals ?? 0; // unknown: base units
  // A USD stablecoin loan shares the collateral's USD axis; another loan asset (e.g. WETH) gets its own.
  const usdLoan = USD_STABLES.includes(loan.symbol);
  const right = !usdLoan;
  const loanOf = (s: string | undefined) => (s === undefined ? null : whole(s, loan.decimals));
  const n = (v: number | null, d = 0) => (v === null ? "—" : v.toLocaleString("en-US", { maximumFractionDigits: d }));
  return (
    <div data-testid="balances">
      <Chart
        title={
          usdLoan
            ? `Collateral value, debt and supply (USD; ${loan.symbol} counted at $1)`
            : `Collateral value (USD, left) against debt and supply (${loan.symbol}, right)`
        }
        x={x}
        series={[
          {
            label: "collateral value (USD)",
            values: phases.map((p) => p.collateralValueUsd ?? null),
            color: "#1e7d32",
          },
          { label: `debt (${loan.symbol})`, values: phases.map((p) => loanOf(p.debt)), color: "#c0392b", right },
          {
            label: `supply (${loan.symbol})`,
            values: phases.map((p) => loanOf(p.supply)),
            color: "#6b7280",
            right,
          },
        ]}
      />
      <table>
        <caption>Balances at the end of each phase</caption>
        <Head
          cols={[
            "Phase",
            ...symbols.map((s) => `${s} deposited`),
            "Collateral value (USD)",
            `Debt (${loan.symbol})`,
            `Supply (${loan.symbol})`,
          ]}
        />
        <tbody>
          {phases.map((p) => (
            <tr key={p.phase} data-testid="balance-row">
              <th scope="row">{p.phase}</th>
              {symbols.map((s) => (
                <td key={s}>{n(whole(p.collateral?.[s] ?? "0", decimalsOf(s)), 2)}</td>
              ))}
              <td>{n(p.collateralValueUsd ?? null)}</td>
              <td>{n(loanOf(p.debt))}</td>
              <td>{n(loanOf(p.supply))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
