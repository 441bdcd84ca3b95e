/**
 * `npm run keeper -- --network localhost [options]`: the Ballast keeper service (keeper/cli.ts; `--help` for every
 * option). Runs with ts-node, not `hardhat run` (which does not forward argv). Compiles the contracts first when
 * their TypeChain types are missing. The process exits when the service stops (SIGINT, SIGTERM or `--once`).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(__dirname, "..");
if (!fs.existsSync(path.join(root, "typechain-types", "index.ts"))) {
  console.error("keeper: compiling the contracts first (npx hardhat compile) ...");
  const r = spawnSync("npx", ["hardhat", "compile", "--quiet"], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { main } = require("../keeper/cli") as typeof import("../keeper/cli");
main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`keeper: ${(e as Error).message ?? String(e)}`);
    process.exit(1);
  },
);
