/**
 * `npm run keeper` (or `npx hardhat run scripts/keeper.ts --network <net>`): runs the Ballast liquidation keeper
 * against the selected network's JSON-RPC endpoint, logging what it sees and does.
 *
 * Environment (hardhat run does not forward argv):
 *   CORE_ADDRESS   the BallastCore (required)
 *   MARKET_ID      market id (default 1)
 *   START_BLOCK    first block to read events from (default 0)
 *   MODE           "flash" (default when LIQUIDATOR and SWAPPER are set) or "inventory"
 *   LIQUIDATOR     FlashLiquidator owned by the keeper account;  SWAPPER  the venue it sells collateral on
 *   SWAP_FEE       swap fee assumed in profit estimates (default 0.003)
 *   GAS_COST_USD   gas cost of one liquidation in USD (default 5);  MIN_PROFIT_USD (default 0)
 *   DRY_RUN=1      plan and log only;  NO_FLAG=1  do not flag shortfalls;  ONCE=1  one tick and exit
 *   INTERVAL_MS    pause between ticks (default 2000)
 * The keeper account is the network's first signer (DEPLOYER_PRIVATE_KEY on public networks).
 */
import { ethers } from "hardhat";
import { BallastCore__factory, FlashLiquidator__factory } from "../typechain-types";
import { Keeper, fmtWad } from "./keeper/keeper";
import { wad } from "./lib/protocol";

const truthy = (v: string | undefined) => v !== undefined && v !== "" && v !== "0" && v.toLowerCase() !== "false";

async function main() {
  const coreAddress = process.env.CORE_ADDRESS;
  if (!coreAddress) throw new Error("set CORE_ADDRESS (and MARKET_ID) to the core to watch");
  const [signer] = await ethers.getSigners();
  if (!signer) throw new Error("no signer configured for this network");
  const liquidatorAddress = process.env.LIQUIDATOR;
  const swapper = process.env.SWAPPER;
  const mode = (process.env.MODE ?? (liquidatorAddress && swapper ? "flash" : "inventory")) as "flash" | "inventory";
  const keeper = new Keeper({
    core: BallastCore__factory.connect(coreAddress, signer),
    marketId: BigInt(process.env.MARKET_ID ?? "1"),
    signer,
    mode,
    liquidator: liquidatorAddress ? FlashLiquidator__factory.connect(liquidatorAddress, signer) : undefined,
    swapper,
    swapFee: wad(process.env.SWAP_FEE ?? "0.003"),
    gasCostUsd: wad(process.env.GAS_COST_USD ?? "5"),
    minProfitUsd: wad(process.env.MIN_PROFIT_USD ?? "0"),
    flag: !truthy(process.env.NO_FLAG),
    dryRun: truthy(process.env.DRY_RUN),
    startBlock: Number(process.env.START_BLOCK ?? 0),
    log: (l) => console.log(`${new Date().toISOString()} ${l}`),
  });
  const interval = Number(process.env.INTERVAL_MS ?? 2000);
  console.log(
    `keeper ${signer.address} on market ${process.env.MARKET_ID ?? "1"} of ${coreAddress}: mode ${mode}` +
      `${truthy(process.env.DRY_RUN) ? " (dry run)" : ""}, flags ${truthy(process.env.NO_FLAG) ? "off" : "on"}`,
  );
  for (;;) {
    try {
      const r = await keeper.tick();
      const worst = r.health[0];
      console.log(
        `${new Date().toISOString()} block ${r.view.blockNumber}: ${r.health.length} positions with debt` +
          `${worst ? `, lowest HF ${fmtWad(worst.hf)}` : ""}; flagged ${r.flagged.length}, liquidations ` +
          `${r.liquidations.length}, skipped ${r.skipped.length}, failed ${r.failed.length}`,
      );
    } catch (e) {
      // An RPC hiccup must not stop the keeper.
      console.error(`${new Date().toISOString()} tick failed: ${(e as Error).message}; retrying`);
    }
    if (truthy(process.env.ONCE)) break;
    await new Promise((res) => setTimeout(res, interval));
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
