/** What the app learns at start from /config.json (written by `npm run app` or the e2e suite). */
import type { Deployment } from "../../deployments/types";

export interface RuntimeConfig {
  /** JSON-RPC URL of the chain (the local node by default). */
  rpcUrl: string;
  /** Base URL of the Ballast indexer (Ponder). */
  indexerUrl: string;
  deployment: Deployment;
  /** Report files under /reports/ (crash replays and stress grids). */
  reports: string[];
}

export async function loadRuntime(): Promise<RuntimeConfig> {
  const res = await fetch("./config.json", { cache: "no-store" });
  if (!res.ok) throw new Error(`config.json: ${res.status} (start the app with \`npm run app\`)`);
  return (await res.json()) as RuntimeConfig;
}
