/**
 * The world, part 1: the protocol. Deploys the core, one token + Chainlink-like feed + price adapter per asset
 * (with the run's stress: a primary feed that dies with a fallback, a sequencer uptime feed, a floored feed), the
 * market with the episode's (or the run's) risk parameters, and its insurance fund.
 */
import { ethers } from "hardhat";
import type { Signer } from "ethers";
import { MockERC20__factory, MockFeed__factory, type BallastCore, type MockFeed } from "../../typechain-types";
import { MockV3Aggregator__factory } from "../../typechain-types/factories/@chainlink/contracts/src/v0.8/tests/MockV3Aggregator__factory";
import type { MockV3Aggregator } from "../../typechain-types/@chainlink/contracts/src/v0.8/tests/MockV3Aggregator";
import {
  createMarket,
  deployAdapter,
  deployCore,
  deployInsuranceFund,
  parseUnitsExact,
  wad,
} from "../../scripts/lib/protocol";
import { WAD } from "../../sdk/math";
import type { Round } from "../prices/feed";
import type { AssetSpec, EpisodeSpec, RunParams } from "../episodes";
import type { SimAsset, Stress } from "../types";

const RISK_ROLE = ethers.id("BALLAST_RISK_ROLE");
const GUARDIAN_ROLE = ethers.id("BALLAST_GUARDIAN_ROLE");

const bump = (x: string, by: number | undefined, cap: number) => wad(Math.min(cap, Number(x) + (by ?? 0)).toFixed(4));

/** The core with the deployer holding the risk and guardian roles. */
export async function deployProtocolCore(deployer: Signer): Promise<BallastCore> {
  const { core } = await deployCore(deployer);
  const me = await deployer.getAddress();
  await (await core.grantRole(RISK_ROLE, me)).wait();
  await (await core.grantRole(GUARDIAN_ROLE, me)).wait();
  return core;
}

/** An L2 sequencer uptime feed, up since long ago (only under a sequencer stress). */
export async function deploySequencer(deployer: Signer, stress: Stress): Promise<MockFeed | undefined> {
  if (!stress.sequencer) return undefined;
  const sequencer = await new MockFeed__factory(deployer).deploy(0, 0);
  await sequencer.waitForDeployment();
  const now = (await ethers.provider.getBlock("latest"))!.timestamp;
  await (await sequencer.set(0, now - 10 * 86400)).wait();
  return sequencer;
}

async function feedsFor(deployer: Signer, spec: AssetSpec, first: Round, stress: Stress) {
  if (stress.primaryDies && stress.primaryDies.symbol === spec.symbol) {
    const feed = await new MockFeed__factory(deployer).deploy(spec.rule.decimals, first.answer);
    const fallbackFeed = await new MockV3Aggregator__factory(deployer).deploy(spec.rule.decimals, first.answer);
    await Promise.all([feed.waitForDeployment(), fallbackFeed.waitForDeployment()]);
    return { feed: feed as MockFeed | MockV3Aggregator, fallbackFeed: fallbackFeed as MockV3Aggregator | undefined };
  }
  const feed = await new MockV3Aggregator__factory(deployer).deploy(spec.rule.decimals, first.answer);
  await feed.waitForDeployment();
  return { feed: feed as MockFeed | MockV3Aggregator, fallbackFeed: undefined };
}

/** One asset: token, feed(s) and adapter, its rounds ready to publish. */
export async function deployAsset(
  deployer: Signer,
  spec: AssetSpec,
  rounds: Round[],
  stress: Stress,
  sequencer?: MockFeed,
): Promise<SimAsset> {
  const first = rounds[0];
  if (!first) throw new Error(`${spec.symbol}: no rounds`);
  const token = await new MockERC20__factory(deployer).deploy(`Replay ${spec.symbol}`, spec.symbol, spec.decimals);
  await token.waitForDeployment();
  const { feed, fallbackFeed } = await feedsFor(deployer, spec, first, stress);
  const floor = stress.floor && stress.floor.symbol === spec.symbol ? stress.floor : undefined;
  const adapter = await deployAdapter(deployer, {
    token: await token.getAddress(),
    owner: await deployer.getAddress(),
    primary: await feed.getAddress(),
    maxAge: spec.rule.heartbeat + 600,
    ...(fallbackFeed
      ? {
          fallbackFeed: await fallbackFeed.getAddress(),
          fallbackMaxAge: spec.rule.heartbeat + 600,
          maxFallbackDeviation: wad(stress.primaryDies!.maxDeviation),
          maxReferenceAge: 86_400, // the fallback serves for a day after the primary's last answer
        }
      : {}),
    ...(sequencer ? { sequencer: await sequencer.getAddress(), sequencerGracePeriod: stress.sequencer!.grace } : {}),
    minPrice: wad(floor?.minPrice ?? spec.minPrice ?? "0.00000001"),
    maxPrice: wad(spec.maxPrice ?? "10000000"),
  });
  if (fallbackFeed) await (await adapter.checkpoint()).wait();
  return { spec, token, feed, fallbackFeed, adapter, rounds, roundId: 1n };
}

/** A collateral's risk parameters: the episode's, the run's override, bumps, capped so threshold x (1 + bonus) < 1. */
function collateralRisk(c: SimAsset, params: RunParams) {
  const risk = { ...c.spec, ...params.risk?.[c.spec.symbol] };
  const lt = bump(risk.liquidationThreshold, params.thresholdBump, 0.95);
  const bonus = wad(c.spec.liquidationBonus);
  // Rounded down to 9 decimals: the core takes thresholds with at most 9 (ConstantsLib.CUT_UNIT).
  const ltCap = (((WAD * WAD) / (WAD + bonus) - 10n ** 14n) / 10n ** 9n) * 10n ** 9n;
  const ltFinal = lt < ltCap ? lt : ltCap;
  const ltv = bump(risk.ltv, params.ltvBump, 0.95);
  return { ltv: ltv < ltFinal ? ltv : ltFinal - 10n ** 16n, liquidationThreshold: ltFinal, liquidationBonus: bonus };
}

const priced = (a: SimAsset) => ({
  token: a.token,
  feed: a.feed as MockV3Aggregator,
  adapter: a.adapter,
  spec: { symbol: "", decimals: 0, price: "1" },
});

/** The market and its insurance fund (with the run's draw limits when given). */
export async function deployMarket(
  deployer: Signer,
  core: BallastCore,
  ep: EpisodeSpec,
  params: RunParams,
  loan: SimAsset,
  collaterals: SimAsset[],
) {
  const minLeftover = parseUnitsExact(params.minLeftover ?? "10", ep.loan.decimals);
  const id = await createMarket(core, {
    loan: priced(loan),
    collaterals: collaterals.map((c) => ({ asset: priced(c), ...collateralRisk(c, params) })),
    minBorrow: minLeftover,
    minLeftover,
  });
  const fund = await deployInsuranceFund(deployer, core, id, await loan.token.getAddress());
  if (params.maxDrawPerEvent || params.windowShare) {
    await (
      await fund.setDrawLimits(wad(params.maxDrawPerEvent ?? "0.3"), wad(params.windowShare ?? "0.5"), 86400)
    ).wait();
  }
  return { id, fund, minLeftover };
}
