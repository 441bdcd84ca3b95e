/**
 * Risk: the crash-replay reports (reports/crash-*.json; stress grids when present) as charts, and the live
 * market's liquidation and bad-debt history from the indexer.
 */
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { Chart } from "../components/Chart";
import { Stat } from "../components/Stat";
import { useIndexer, useTokenInfo } from "../hooks/ballast";
import { useRuntime } from "../hooks/runtime";
import { fmtAmount, fmtDate } from "../format";
import type { IndexedLiquidation } from "../components/History";

interface Phase {
  phase: string;
  price: Record<string, { close: number; min: number }>;
  liquidations: number;
  badDebt: string;
  fromReserves: string;
  fromInsurance: string;
  socialized: string;
}
interface CrashReport {
  episode: string;
  title: string;
  params: { label: string };
  totals: {
    liquidations: number;
    badDebt: string;
    fromReserves: string;
    fromInsurance: string;
    socialized: string;
    supplierLossBps: number;
  };
  phases: Phase[];
}

export function Risk() {
  const rt = useRuntime();
  return (
    <section aria-labelledby="risk-title">
      <h1 id="risk-title">Risk</h1>
      {rt.deployment.markets.map((m) => (
        <LiveHistory key={m.id} id={m.id} loanToken={rt.deployment.contracts[m.loan]!} />
      ))}
      <CrashReports files={rt.reports.filter((f) => f.startsWith("crash-"))} />
      {rt.reports.some((f) => f.startsWith("stress")) ? null : (
        <p className="muted">No stress grids in reports/ yet.</p>
      )}
    </section>
  );
}

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

function LiveHistory({ id, loanToken }: { id: number; loanToken: string }) {
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
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Borrower</th>
              <th scope="col">Repaid</th>
              <th scope="col">Collateral #</th>
            </tr>
          </thead>
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

function CrashReports({ files }: { files: string[] }) {
  const [file, setFile] = useState(files.find((f) => f.includes("blackthursday")) ?? files[0] ?? "");
  const q = useQuery({
    queryKey: ["report", file],
    enabled: !!file,
    staleTime: Infinity,
    refetchInterval: false,
    queryFn: async () => (await (await fetch(`./reports/${file}`)).json()) as CrashReport,
  });
  if (!files.length) return <p className="muted">No crash-replay report in reports/ (run `npm run demo`).</p>;
  const r = q.data;
  return (
    <article className="card" data-testid="crash-report">
      <h2>Crash replays</h2>
      <label>
        Episode{" "}
        <select value={file} onChange={(e) => setFile(e.target.value)}>
          {files.map((f) => (
            <option key={f} value={f}>
              {f.replace(/^crash-|\.json$/g, "")}
            </option>
          ))}
        </select>
      </label>
      {r ? <CrashCharts r={r} /> : <p aria-busy="true">Loading…</p>}
    </article>
  );
}

function CrashCharts({ r }: { r: CrashReport }) {
  const x = r.phases.map((p) => Date.parse(p.phase) / 1000);
  const asset = Object.keys(r.phases[0]?.price ?? {})[0] ?? "";
  const usd = (s: string) => Number(s) / 1e6;
  let cum = { res: 0, ins: 0, soc: 0 };
  const cumulative = r.phases.map(
    (p) =>
      (cum = {
        res: cum.res + usd(p.fromReserves),
        ins: cum.ins + usd(p.fromInsurance),
        soc: cum.soc + usd(p.socialized),
      }),
  );
  return (
    <>
      <h3>{r.title}</h3>
      <dl className="stats">
        <Stat label="Liquidations" value={r.totals.liquidations} />
        <Stat label="Bad debt (USD)" value={usd(r.totals.badDebt).toLocaleString("en-US")} />
        <Stat
          label="from reserves / insurance / socialized"
          value={[r.totals.fromReserves, r.totals.fromInsurance, r.totals.socialized]
            .map((v) => usd(v).toLocaleString("en-US"))
            .join(" / ")}
        />
        <Stat label="Supplier loss" value={`${r.totals.supplierLossBps} bps`} />
      </dl>
      <Chart
        title={`${asset} price per day (close and low, USD) and liquidations`}
        x={x}
        series={[
          { label: `${asset} close`, values: r.phases.map((p) => p.price[asset]?.close ?? null), color: "#2b7bb9" },
          { label: `${asset} low`, values: r.phases.map((p) => p.price[asset]?.min ?? null), color: "#7fb3d5" },
          {
            label: "liquidations",
            values: r.phases.map((p) => p.liquidations),
            color: "#888",
            right: true,
            bars: true,
          },
        ]}
      />
      <Chart
        title="Cumulative losses by who paid (USD)"
        x={x}
        series={[
          { label: "reserves", values: cumulative.map((c) => c.res), color: "#2b7bb9" },
          { label: "insurance", values: cumulative.map((c) => c.ins), color: "#e0a100" },
          { label: "socialized", values: cumulative.map((c) => c.soc), color: "#c0392b" },
        ]}
      />
      <p className="muted">
        Per-phase collateral and debt totals are not in the report files (only in the SVG charts), so they are not
        charted here.
      </p>
    </>
  );
}
