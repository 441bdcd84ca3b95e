/** Shared setups of the insurance-fund custody tests (issue 15): a staked fund, an unregistered one, a hook token. */
import { deployMarketFixture } from "./fixtures";
import { deployAdapter, wad } from "../../scripts/lib/protocol";
import { HookToken__factory, InsuranceFund__factory } from "../../typechain-types";
import { MockV3Aggregator__factory } from "../../typechain-types/factories/@chainlink/contracts/src/v0.8/tests/MockV3Aggregator__factory";
import type { Signer } from "ethers";

const U = 10n ** 6n;

/** The market of deployMarketFixture with its fund staked by bob (10,000 USDC, parked in the core). */
export async function stakedFundFixture() {
  const f = await deployMarketFixture();
  await f.fund.connect(f.bob).deposit(10_000n * U, f.bob.address);
  return f;
}

export type StakedFx = Awaited<ReturnType<typeof stakedFundFixture>>;

/** A replacement fund for market `f.id` (USDC), deployed but not registered with the core. */
export async function deployUnregisteredFund(f: StakedFx) {
  const fund = await new InsuranceFund__factory(f.deployer).deploy(
    await f.usdc.token.getAddress(),
    await f.core.getAddress(),
    f.id,
    f.deployer.address,
    "next fund",
    "bNEXT",
  );
  await fund.waitForDeployment();
  return fund;
}

/** An 18-decimal token that calls back on transfer (HookToken), priced at $1 through a real adapter, as the
 * `PricedToken` shape `createMarket` takes. */
export async function deployHookAsset(deployer: Signer) {
  const hook = await new HookToken__factory(deployer).deploy();
  const feed = await new MockV3Aggregator__factory(deployer).deploy(8, 10n ** 8n); // $1
  const adapter = await deployAdapter(deployer, {
    token: await hook.getAddress(),
    owner: await deployer.getAddress(),
    primary: await feed.getAddress(),
    maxAge: 86400,
    minPrice: wad("0.01"),
    maxPrice: wad("100"),
  });
  return { token: hook, feed, adapter, spec: { symbol: "HOOK", decimals: 18, price: "1" } };
}
