/**
 * deployments/<network>.json: where every deployment writes its chain id, start block and addresses, and where
 * tasks, the local node, the SDK and the package read them. BALLAST_DEPLOYMENTS_DIR overrides the folder (tests
 * write to a temporary one so they never touch the repository's files).
 */
import fs from "node:fs";
import path from "node:path";
import type { Deployment } from "../../deployments/types";

export type { Deployment } from "../../deployments/types";

/** The deployments folder: BALLAST_DEPLOYMENTS_DIR, else <root>/deployments. */
export function deploymentsDir(root: string = process.cwd()): string {
  return process.env.BALLAST_DEPLOYMENTS_DIR ?? path.join(root, "deployments");
}

export function deploymentFile(network: string, dir: string = deploymentsDir()): string {
  return path.join(dir, `${network}.json`);
}

/** Writes deployments/<network>.json (pretty, stable key order) and returns its path. */
export function writeDeployment(d: Deployment, dir: string = deploymentsDir()): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = deploymentFile(d.network, dir);
  fs.writeFileSync(file, JSON.stringify(d, null, 2) + "\n");
  return file;
}

/** Reads deployments/<network>.json; a clear error tells how to create it when it is missing. */
export function readDeployment(network: string, dir: string = deploymentsDir()): Deployment {
  const file = deploymentFile(network, dir);
  if (!fs.existsSync(file)) {
    throw new Error(
      `No Ballast deployment for "${network}" (${path.relative(process.cwd(), file) || file}): ` +
        (network === "localhost"
          ? "start one with `npm run node`, or deploy to a running node with `npm run deploy:local`"
          : `deploy with \`npx hardhat run scripts/deploy.ts --network ${network}\``),
    );
  }
  return JSON.parse(fs.readFileSync(file, "utf8")) as Deployment;
}

/**
 * The package's address book: every deployments/*.json keyed by chain id. Local chains (31337) are left out
 * unless `includeLocal`, so a developer's throwaway node never ships.
 */
export function buildAddressBook(dir: string, includeLocal: boolean): Record<string, Deployment> {
  const book: Record<string, Deployment> = {};
  if (!fs.existsSync(dir)) return book;
  for (const f of fs.readdirSync(dir).sort()) {
    if (!f.endsWith(".json") || f === "book.json") continue;
    const d = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as Deployment;
    if (typeof d.chainId !== "number" || typeof d.contracts !== "object") continue;
    if (d.chainId === 31337 && !includeLocal) continue;
    book[String(d.chainId)] = d;
  }
  return book;
}
