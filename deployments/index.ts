/**
 * Ballast's deployment addresses per chain id, as shipped in the package. The book is assembled from
 * deployments/<network>.json when the package is built (public networks; local ones only on request). A local node's
 * deployment is one call away: `getDeployment(31337, { dir })` reads the `<network>.json` files of `dir` (Node only),
 * e.g. the `deployments/` folder `npm run node` writes into.
 */
import type { Deployment } from "./types";
import book from "./book.json";

export type { Deployment, DeploymentMarket } from "./types";

/** Every known deployment, keyed by chain id. */
export const deployments: Readonly<Record<string, Deployment>> = book as Record<string, Deployment>;

/** Where {@link getDeployment} looks besides the built-in book. */
export interface GetDeploymentOptions {
  /** Node only: a folder of `<network>.json` deployment files (e.g. the one `npm run node` writes); read first. */
  dir?: string;
}

/** Node only: the deployments of the `<network>.json` files of `dir` (book.json and other files ignored). */
export function readDeploymentsDir(dir: string): Record<string, Deployment> {
  // Required lazily so that browser bundles that never pass `dir` do not need Node's fs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require("fs") as typeof import("fs");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const path = require("path") as typeof import("path");
  if (!fs.existsSync(dir)) throw new Error(`no deployments folder ${dir}`);
  const out: Record<string, Deployment> = {};
  for (const f of fs.readdirSync(dir).sort()) {
    if (!f.endsWith(".json") || f === "book.json") continue;
    const d = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as Partial<Deployment>;
    if (typeof d.chainId === "number" && typeof d.contracts === "object") out[String(d.chainId)] = d as Deployment;
  }
  return out;
}

/**
 * The deployment on `chainId`: from `opts.dir` when given, else from the book built into the package. The error for
 * an unknown chain lists the known ones and says how to add one.
 */
export function getDeployment(chainId: number | bigint, opts: GetDeploymentOptions = {}): Deployment {
  const local = opts.dir !== undefined ? readDeploymentsDir(opts.dir) : {};
  const d = local[String(chainId)] ?? deployments[String(chainId)];
  if (!d) {
    const known = Object.values({ ...deployments, ...local }).map((x) => `${x.network} (${x.chainId})`);
    throw new Error(
      `Ballast is not deployed on chain ${chainId} (known: ${known.length ? known.join(", ") : "none"}). ` +
        `For a local node, pass the folder of its deployment file: getDeployment(${chainId}, { dir: "<repo>/deployments" }) ` +
        `(written by \`npm run node\`); for another network, deploy there (scripts/deploy.ts) and rebuild the package, ` +
        `or pass a deployment object to parseDeployment().`,
    );
  }
  return d;
}

/** The address of contract `name` (e.g. "BallastCore", "BallastLens", "USDC") on `chainId`. */
export function ballastAddress(chainId: number | bigint, name: string, opts: GetDeploymentOptions = {}): string {
  const d = getDeployment(chainId, opts);
  const a = d.contracts[name];
  if (!a) throw new Error(`no contract "${name}" in the ${d.network} deployment`);
  return a;
}
