/** What the e2e suite compares the app with: the report files it shows, the chain's logs, a stand-in wallet. */
import fs from "node:fs";
import path from "node:path";
import { JsonRpcProvider } from "ethers";
import { IBallastCore__factory } from "../../typechain-types";
import type { Stack } from "./stack";

/** The report of `kind` the Risk page shows first (as the app picks: Black Thursday, else the first by name). */
export function reportFiles(kind: "crash" | "stress" | "frontier"): string | undefined {
  const dir = "reports";
  const files = fs.existsSync(dir)
    ? fs.readdirSync(dir).filter((f) => f.startsWith(`${kind}-`) && f.endsWith(".json"))
    : [];
  files.sort();
  const file = files.find((f) => f.includes("blackthursday")) ?? files[0];
  return kind === "frontier" ? files[0] : file;
}

export function readReport<T>(file: string | undefined): T | undefined {
  return file ? (JSON.parse(fs.readFileSync(path.join("reports", file), "utf8")) as T) : undefined;
}

/**
 * How many parameter changes the core logged for market `id` since the deployment's block: MarketCreated,
 * CollateralAdded and every per-market "...Set" event (a rule of its own, not the indexer's list).
 */
export async function chainParameterChanges(s: Stack, id: bigint): Promise<number> {
  const iface = IBallastCore__factory.createInterface();
  const logs = await new JsonRpcProvider(s.node.url).getLogs({
    address: s.deployment.contracts.BallastCore!,
    fromBlock: s.deployment.block,
    toBlock: "latest",
  });
  const isParameter = (name: string) => name === "MarketCreated" || name === "CollateralAdded" || name.endsWith("Set");
  return logs
    .map((l) => iface.parseLog(l))
    .filter((e) => e && isParameter(e.name) && e.fragment.inputs[0]?.name === "id" && e.args[0] === id).length;
}

/** Runs in the page before the app: a minimal EIP-1193 provider, as a wallet extension injects one. */
export function fakeInjectedProvider(): void {
  const w = globalThis as unknown as { ethereum?: unknown };
  w.ethereum = {
    request: async ({ method }: { method: string }) =>
      method === "eth_chainId" ? "0x7a69" : method === "eth_accounts" ? [] : null,
    on: () => undefined,
    removeListener: () => undefined,
  };
}
