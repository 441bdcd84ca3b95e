/**
 * Risk: the live market's liquidation and bad-debt history from the indexer, and the crash lab's reports: crash
 * replays (reports/crash-*.json), stress grids (stress-*.json) and risk frontiers (frontier-*.json).
 */
import { useRuntime } from "../hooks/runtime";
import { LiveHistory } from "../risk/LiveHistory";
import { CrashReports } from "../risk/CrashReports";
import { StressGrids } from "../risk/StressGrid";
import { Frontiers } from "../risk/Frontier";

export function Risk() {
  const rt = useRuntime();
  const files = (kind: string) => rt.reports.filter((f) => f.startsWith(`${kind}-`));
  return (
    <section aria-labelledby="risk-title">
      <h1 id="risk-title">Risk</h1>
      {rt.deployment.markets.map((m) => (
        <LiveHistory key={m.id} id={m.id} loanToken={rt.deployment.contracts[m.loan]!} />
      ))}
      <CrashReports files={files("crash")} />
      <StressGrids files={files("stress")} />
      <Frontiers files={files("frontier")} />
    </section>
  );
}
