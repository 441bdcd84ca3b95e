/**
 * Operator tasks (`npx hardhat <task> --network <name>`), reading deployments/<network>.json through the lens:
 *   ballast:markets                       every market: totals, utilization, rates, reserves, pauses, oracles
 *   ballast:position --account A [--market ID]   a position in each market (or one): debt, health factor, prices
 *   ballast:solvency --market ID          the solvency report: cash, reserves, insurance, losses, coverage
 *   ballast:set-price --asset SYM --price P   local networks only: moves a mock feed's answer (USD per token; the
 *                                         asset in any case; warns when the price is outside the adapter's bounds)
 *   ballast:verify [--deployment-id ID]   Etherscan verification of a deployment, each failure with its cause
 *                                         (`npm run verify -- --network sepolia`)
 * Bad input (unknown asset or market, a price that is not a number) fails in one line, without a stack trace.
 * On the embedded `hardhat` network they first deploy the local config in memory. The implementation is loaded
 * lazily, so this file never needs compiled artifacts or TypeChain types to load the Hardhat config.
 */
import { task, types } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { networkProblem } from "../scripts/lib/network-errors";

/**
 * Runs a task's body; a failure is one line on stderr and exit code 1 (never a stack trace). An unreachable or
 * unset RPC names its environment variable.
 */
async function oneLine(hre: HardhatRuntimeEnvironment, run: () => Promise<string>): Promise<void> {
  try {
    console.log(await run());
  } catch (e) {
    const err = e as { message?: string; shortMessage?: string };
    const network = networkProblem(hre.network.name, (hre.network.config as { url?: string }).url, e);
    console.error(`Error: ${network ?? (err.shortMessage ?? err.message ?? String(e)).split("\n")[0]}`);
    process.exitCode = 1;
  }
}

task("ballast:markets", "Lists Ballast markets: totals, utilization, rates, reserves, pauses, oracle status").setAction(
  async (_args, hre) => {
    const { marketsReport } = await import("./ballast");
    await oneLine(hre, () => marketsReport(hre));
  },
);

task("ballast:position", "Shows an account's positions: supply, debt, collateral, health factor, liquidation prices")
  .addParam("account", "The account address")
  .addOptionalParam("market", "Only this market id", undefined, types.int)
  .setAction(async (args: { account: string; market?: number }, hre) => {
    const { positionReport } = await import("./ballast");
    await oneLine(hre, () => positionReport(hre, args.account, args.market));
  });

task("ballast:solvency", "Shows a market's solvency report: cash, reserves, insurance, bad debt and its split")
  .addParam("market", "The market id", undefined, types.int)
  .setAction(async (args: { market: number }, hre) => {
    const { solvencyReport } = await import("./ballast");
    await oneLine(hre, () => solvencyReport(hre, args.market));
  });

task("ballast:set-price", "Local networks only: sets a mock Chainlink feed's answer")
  .addParam("asset", "Asset symbol, e.g. WETH")
  .addParam("price", "USD per whole token, e.g. 2500.5")
  .setAction(async (args: { asset: string; price: string }, hre) => {
    const { setPrice } = await import("./ballast");
    await oneLine(hre, () => setPrice(hre, args.asset, args.price));
  });

task("ballast:verify", "Verifies a deployment's contracts on Etherscan, printing each failure's cause")
  .addOptionalParam("deploymentId", "The Ignition deployment id (default: ballast-<network>)")
  .addOptionalParam("apiUrl", "An Etherscan-compatible API URL for the deployment's chain (default: Hardhat's)")
  .addFlag("includeUnrelatedContracts", "Send every compiled source (as `ignition verify` suggests on a failure)")
  .setAction(async (args: { deploymentId?: string; apiUrl?: string; includeUnrelatedContracts: boolean }, hre) => {
    const { verifyDeployment } = await import("./verify");
    let failed = false;
    await oneLine(hre, async () => {
      const [report, ok] = await verifyDeployment(hre, args);
      failed = !ok;
      return report;
    });
    if (failed) process.exitCode = 1;
  });
