/**
 * `npm run node` (ts-node, so Ctrl-C or SIGTERM reaches it and it stops its node): a local Hardhat node with Ballast deployed and seeded, for a wallet or a dApp.
 * Starts `npx hardhat node` (127.0.0.1, port BALLAST_NODE_PORT or 8545) as a child, deploys with the localhost
 * config (scripts/deploy.ts, which writes deployments/localhost.json), seeds test accounts, markets, borrowers
 * at different health factors and insurance stakes, prints what a wallet needs (RPC URL, chain id 31337, test
 * keys) and keeps running, re-posting the mock feeds' answers so prices never go stale. Ctrl-C stops everything.
 * A fork rehearsal: `npm run node -- --fork $MAINNET_RPC_URL --chain-id 1` forks mainnet, serves chain id 1 and
 * deploys deploy/config/mainnet.ts (governance from BALLAST_PROPOSERS etc., as on mainnet); `--help` lists options.
 */
import os from "node:os";
import path from "node:path";
import { JsonRpcProvider, Contract } from "ethers";
import { Command, InvalidArgumentError } from "commander";
import { startNode, runScript, portInUse, type NodeOptions } from "./lib/deploy-node";
import { readDeployment, deploymentsDir, type Deployment } from "./lib/deploy-output";

/** Hardhat's well-known test keys (public: the "test test ... junk" mnemonic). Never use them on a real chain. */
const TEST_KEYS = [
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
  "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
];

/** Keeper interval: far inside the shortest mock heartbeat (1 hour) plus margin. */
const REFRESH_MS = 10 * 60 * 1000;

/** The node's options: `npm run node -- --fork URL --chain-id 1` rehearses a mainnet deployment on a fork. */
function parseOptions(argv: string[]): NodeOptions {
  const int = (what: string) => (v: string) => {
    if (!/^\d+$/.test(v) || Number(v) < 1) throw new InvalidArgumentError(`${what} must be a positive integer`);
    return Number(v);
  };
  return new Command("node")
    .description("A local Hardhat node with Ballast deployed (and seeded, on the local config)")
    .option("--fork <url>", "fork this RPC (e.g. $MAINNET_RPC_URL) instead of starting an empty chain")
    .option("--fork-block <n>", "fork at this block (default: the latest)", int("--fork-block"))
    .option(
      "--chain-id <n>",
      "the chain id the node serves (sets BALLAST_CHAIN_ID); 1 or 11155111 deploys deploy/config/mainnet.ts or " +
        "sepolia.ts instead of the local config (default: BALLAST_CHAIN_ID, else 31337)",
      int("--chain-id"),
    )
    .addHelpText("after", "\nEnvironment: BALLAST_NODE_PORT (default 8545).")
    .parse(argv)
    .opts<NodeOptions>();
}

async function main(): Promise<void> {
  const root = process.cwd();
  const opts = parseOptions(process.argv);
  opts.chainId ??= process.env.BALLAST_CHAIN_ID ? Number(process.env.BALLAST_CHAIN_ID) : undefined;
  const port = Number(process.env.BALLAST_NODE_PORT ?? 8545);
  if (await portInUse(port)) {
    console.error(
      `node: port ${port} on 127.0.0.1 is already in use (another \`npm run node\`?): stop it, or start this one ` +
        `on another port with BALLAST_NODE_PORT=8546 npm run node. Nothing was deployed.`,
    );
    process.exitCode = 1;
    return;
  }
  const log = path.join(os.tmpdir(), `ballast-node-${port}.log`);
  const what = opts.fork ? `forking ${opts.fork}${opts.forkBlock ? ` at block ${opts.forkBlock}` : ""}` : "";
  console.log(`Starting a Hardhat node on 127.0.0.1:${port} ${what} (its log: ${log}) ...`);
  const node = await startNode(root, port, log, opts);
  const shutdown = async (code: number) => {
    await node.stop();
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));
  if (node.chainId !== 31337) console.log(`The node serves chain id ${node.chainId}: deploying that network's config.`);

  const env = { BALLAST_SEED: "1", BALLAST_QUIET: "1" };
  const { code } = await runScript(root, "scripts/deploy.ts", node.url, env, true);
  if (code !== 0) {
    console.error("Deployment failed: stopping the node.");
    await shutdown(1);
    return;
  }
  const d = readDeployment("localhost", deploymentsDir(root));
  node.child.on("exit", (c) => {
    console.error(`The Hardhat node exited (${c}).`);
    process.exit(c ?? 1);
  });
  if (node.chainId !== 31337) {
    console.log(
      `\nBallast fork rehearsal ready: RPC ${node.url}, chain id ${node.chainId}, addresses in ` +
        `${path.relative(root, path.join(deploymentsDir(root), "localhost.json"))}. Press Ctrl-C to stop.`,
    );
    return;
  }
  printReady(root, node.url, node.chainId, d);
  keepFeedsFresh(node.url, d);
}

function printReady(root: string, url: string, chainId: number, d: Deployment): void {
  console.log(`
Ballast local node ready
  RPC URL       ${url}
  Chain id      ${chainId} (MetaMask: Settings > Networks > Add network, currency ETH)
  Addresses     ${path.relative(root, path.join(deploymentsDir(root), "localhost.json"))}
  Tokens to import in the wallet: ${["USDC", "WETH", "WBTC"].map((s) => `${s} ${d.contracts[s]}`).join(", ")}
  Test account private keys (Hardhat's public test mnemonic: local use only), funded with every test token:
${TEST_KEYS.map((k, i) => `    #${i} ${k}`).join("\n")}
  Operator tasks: npx hardhat ballast:markets --network localhost
                  npx hardhat ballast:set-price --asset WETH --price 2500 --network localhost
Press Ctrl-C to stop.`);
}

/** Re-posts each mock feed's answer every REFRESH_MS so that prices never go stale. */
function keepFeedsFresh(url: string, d: Deployment): void {
  // MockV3Aggregator stamps updatedAt on each answer; a stale one blocks borrowing.
  const provider = new JsonRpcProvider(url);
  const feeds = Object.entries(d.contracts).filter(([k]) => k.endsWith("PriceFeed"));
  setInterval(() => {
    void (async () => {
      for (const [, address] of feeds) {
        const feed = new Contract(
          address,
          ["function latestAnswer() view returns (int256)", "function updateAnswer(int256)"],
          provider,
        );
        try {
          const signer = await provider.getSigner(0);
          const f = feed.connect(signer) as Contract;
          await (await f.getFunction("updateAnswer")(await f.getFunction("latestAnswer")())).wait();
        } catch (e) {
          console.error(`feed refresh failed: ${(e as Error).message}`);
        }
      }
    })();
  }, REFRESH_MS);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
