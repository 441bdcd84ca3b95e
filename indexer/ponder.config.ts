/**
 * Ballast indexer configuration. Reads the deployment file (BALLAST_DEPLOYMENT, default
 * ../deployments/localhost.json) for the chain id, the start block and the addresses of the core and of every
 * market's insurance fund, and indexes from the deployment's block. RPC: BALLAST_RPC_URL (default the local node).
 * Database: PGlite embedded (BALLAST_PGLITE_DIR, default .ponder/pglite) unless DATABASE_URL is set, then Postgres.
 */
import { createConfig } from "ponder";
import { coreAbi, fundAbi } from "./abis";
import { loadDeployment } from "./deployment";

const d = loadDeployment();
const funds = d.markets.map((m) => d.contracts[m.insuranceFund]).filter((a): a is string => !!a);

export default createConfig({
  ordering: "multichain",
  database: process.env.DATABASE_URL
    ? { kind: "postgres", connectionString: process.env.DATABASE_URL }
    : { kind: "pglite", directory: process.env.BALLAST_PGLITE_DIR ?? ".ponder/pglite" },
  chains: {
    ballast: {
      id: d.chainId,
      rpc: process.env.BALLAST_RPC_URL ?? "http://127.0.0.1:8545",
      pollingInterval: Number(process.env.BALLAST_POLL_MS ?? 500),
      disableCache: d.chainId === 31337,
    },
  },
  contracts: {
    BallastCore: {
      chain: "ballast",
      abi: coreAbi,
      address: d.contracts.BallastCore as `0x${string}`,
      startBlock: d.block,
    },
    InsuranceFund: {
      chain: "ballast",
      abi: fundAbi,
      address: funds as `0x${string}`[],
      startBlock: d.block,
    },
  },
});
