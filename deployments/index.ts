/**
 * Ballast's deployment addresses per chain id, as shipped in the package. The book is assembled from
 * deployments/<network>.json when the package is built (public networks; local ones only on request).
 */
import type { Deployment } from "./types";
import book from "./book.json";

export type { Deployment, DeploymentMarket } from "./types";

/** Every known deployment, keyed by chain id. */
export const deployments: Readonly<Record<string, Deployment>> = book as Record<string, Deployment>;

/** The deployment on `chainId`; throws a clear error when Ballast is not deployed there. */
export function getDeployment(chainId: number | bigint): Deployment {
  const d = deployments[String(chainId)];
  if (!d) {
    const known = Object.values(deployments).map((x) => `${x.network} (${x.chainId})`);
    throw new Error(`Ballast is not deployed on chain ${chainId}; known: ${known.length ? known.join(", ") : "none"}`);
  }
  return d;
}

/** The address of contract `name` (e.g. "BallastCore", "BallastLens", "USDC") on `chainId`. */
export function ballastAddress(chainId: number | bigint, name: string): string {
  const d = getDeployment(chainId);
  const a = d.contracts[name];
  if (!a) throw new Error(`no contract "${name}" in the ${d.network} deployment`);
  return a;
}
