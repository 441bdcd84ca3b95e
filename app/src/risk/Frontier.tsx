/**
 * The risk frontiers (reports/frontier-<collateral>.json): the highest liquidation threshold and the smallest
 * insurance fund with no socialized loss over every episode holding the collateral, and each episode's margin.
 */
import { useState } from "react";
import { useReport, type FrontierReport } from "./reports";
import { ReportPicker } from "./ReportPicker";
import { Head } from "../components/Head";

const pct = (x: number | null) =>
  x === null ? "none" : `${(x * 100).toLocaleString("en-US", { maximumFractionDigits: 2 })}%`;

export function Frontiers({ files }: { files: string[] }) {
  const [file, setFile] = useState(files[0] ?? "");
  const q = useReport<FrontierReport>(file);
  if (!files.length) return <p className="muted">No risk frontier in reports/ (run `npm run frontier`).</p>;
  const r = q.data;
  return (
    <article className="card" data-testid="frontier">
      <h2>Risk frontier per collateral</h2>
      <ReportPicker label="Collateral" files={files} value={file} onChange={setFile} />
      {q.error ? <p role="alert">{q.error.message}</p> : null}
      {r ? (
        <table>
          <caption>
            {r.collateral} ({r.borrowers} borrowers, pool depth {String(r.depthUsd2Pct)}, keeper every{" "}
            {r.keeperEveryBlocks} block(s)): frontier threshold{" "}
            <span data-testid="frontier-threshold">{pct(r.frontier.liquidationThreshold)}</span> (LTV{" "}
            {pct(r.frontier.ltv)}), smallest insurance fund {pct(r.frontier.insuranceShare)} of supply; defaults:
            threshold {pct(Number(r.defaults.liquidationThreshold))}, fund {pct(r.defaults.insuranceShare)}
          </caption>
          <Head
            cols={[
              "Episode",
              "Highest threshold, nothing socialized",
              "Smallest insurance share",
              "Threshold margin",
              "Insurance margin",
            ]}
          />
          <tbody>
            {r.episodes.map((e) => (
              <tr key={e.episode}>
                <th scope="row">{e.episode}</th>
                <td>{pct(e.maxLiquidationThreshold)}</td>
                <td>{pct(e.minInsuranceShare)}</td>
                <td>{pct(e.thresholdMargin)}</td>
                <td>{pct(e.insuranceMargin)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p aria-busy="true">Loading…</p>
      )}
    </article>
  );
}
