import { HardhatUserConfig, subtask } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import "@nomicfoundation/hardhat-toolbox";
import "./tasks";

/**
 * Solidity compiler: the exact version is installed from npm (`solc`), never downloaded at run time.
 * Keep SOLC_VERSION equal to the `solc` version pinned in package.json.
 */
const SOLC_VERSION = "0.8.28";

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  if (args.solcVersion === SOLC_VERSION) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const solcPkg = require("solc/package.json") as { version: string };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const solc = require("solc") as { version(): string };
    if (solcPkg.version !== SOLC_VERSION) {
      throw new Error(`solc from npm is ${solcPkg.version}, hardhat.config.ts wants ${SOLC_VERSION}`);
    }
    return {
      compilerPath: require.resolve("solc/soljson.js"),
      isSolcJs: true,
      version: SOLC_VERSION,
      longVersion: solc.version(),
    };
  }
  return runSuper(args);
});

/**
 * The deployer key of the public networks. A missing or malformed one gives no account here (never Hardhat's HH8,
 * which would break every network): the deploy script then names the variable in one line (scripts/lib/deploy-env.ts).
 */
function envAccounts(): string[] {
  const key = process.env.DEPLOYER_PRIVATE_KEY?.trim();
  if (!key || !/^(0x)?[0-9a-fA-F]{64}$/.test(key)) return [];
  return [key.startsWith("0x") ? key : `0x${key}`];
}

/** BALLAST_CHAIN_ID: the chain id the in-process network (and so `npx hardhat node`) serves; a clear error if bad. */
function chainIdOverride(): number | undefined {
  const raw = process.env.BALLAST_CHAIN_ID?.trim();
  if (!raw) return undefined;
  if (!/^[1-9]\d{0,15}$/.test(raw)) throw new Error(`BALLAST_CHAIN_ID must be a positive integer, got "${raw}"`);
  return Number(raw);
}

const config: HardhatUserConfig = {
  solidity: {
    compilers: [
      {
        version: SOLC_VERSION,
        settings: {
          // viaIR (issue 15, measured with `npm run bench:gas`): BallastCore 23,088 -> 20,569 runtime bytes and every
          // benchmark step cheaper (borrow -1,622, liquidatePartial -6,044, liquidateBadDebt -9,201, geomean 1.122 ->
          // 1.100); `npx hardhat compile` from scratch takes about 2 min 20 s instead of about 20 s (solc-js).
          optimizer: { enabled: true, runs: 200 },
          viaIR: true,
          evmVersion: "cancun",
        },
      },
    ],
    overrides: {
      // The price adapter runs on every price read (2-3 per borrow or liquidation): the legacy pipeline dispatches
      // `price()` by binary search where viaIR tests the selectors one by one, and `runs` 10,000 trades deployment
      // bytes for cheaper reads (issue 15, `GAS_TRACE=1 npx hardhat run scripts/bench-gas.ts`: 12,860 -> 12,638 gas
      // per read, feed included, against viaIR with runs 200; runtime 4,286 -> 5,613 bytes).
      "contracts/oracles/ChainlinkPriceAdapter.sol": {
        version: SOLC_VERSION,
        settings: { optimizer: { enabled: true, runs: 10_000 }, viaIR: false, evmVersion: "cancun" },
      },
    },
  },
  paths: {
    sources: "./contracts",
    tests: "./test",
    ignition: "./deploy",
  },
  networks: {
    hardhat: {
      allowUnlimitedContractSize: false,
      // A fork rehearsal serves the forked network's chain id (`npm run node -- --chain-id 1` sets it), so that
      // the deploy picks that network's config (deploy/config/index.ts configForChain).
      ...(chainIdOverride() !== undefined ? { chainId: chainIdOverride() } : {}),
      ...(process.env.MAINNET_RPC_URL
        ? {
            forking: {
              url: process.env.MAINNET_RPC_URL,
              ...(process.env.FORK_BLOCK ? { blockNumber: Number(process.env.FORK_BLOCK) } : {}),
            },
          }
        : {}),
    },
    localhost: {
      url: process.env.LOCALHOST_RPC_URL ?? "http://127.0.0.1:8545",
      allowUnlimitedContractSize: false,
    },
    sepolia: {
      url: process.env.SEPOLIA_RPC_URL ?? "",
      accounts: envAccounts(),
      allowUnlimitedContractSize: false,
    },
    mainnet: {
      url: process.env.MAINNET_RPC_URL ?? "",
      accounts: envAccounts(),
      allowUnlimitedContractSize: false,
    },
  },
  etherscan: {
    apiKey: process.env.ETHERSCAN_API_KEY ?? "",
  },
  sourcify: { enabled: false },
  typechain: { outDir: "typechain-types", target: "ethers-v6" },
  gasReporter: { enabled: false },
  mocha: { timeout: 600_000, reporter: "./test/support/summary-reporter.js" },
};

export default config;
