/** The deployment file the indexer follows (see ../deployments/types.ts for its shape). */
import fs from "node:fs";
import path from "node:path";
import type { Deployment } from "../deployments/types";

/** BALLAST_DEPLOYMENT, or ../deployments/localhost.json relative to this folder. */
export function deploymentPath(): string {
  return process.env.BALLAST_DEPLOYMENT ?? path.resolve(process.cwd(), "../deployments/localhost.json");
}

export function loadDeployment(): Deployment {
  const file = deploymentPath();
  if (!fs.existsSync(file)) {
    throw new Error(
      `No deployment file at ${file}: run \`npm run node\` or \`npm run app\` first, or set BALLAST_DEPLOYMENT`,
    );
  }
  return JSON.parse(fs.readFileSync(file, "utf8")) as Deployment;
}
