/**
 * Oracle-failure set-up on the fork: answers posted to the replay aggregators behind the real Chainlink proxies, a
 * probe position in the mainnet USDC market, a WETH adapter replaced the way governance would (a timelock operation
 * waiting the mainnet delay), and the two checks every failure asserts: which actions halt with the adapter's
 * custom error, and which stay open (repay, supply, add collateral).
 */
import { expect } from "chai";
import { ethers, network } from "hardhat";
import { ZeroHash, type Signer } from "ethers";
import {
  ChainlinkPriceAdapter__factory,
  TimelockController__factory,
  type ChainlinkPriceAdapter,
} from "../../../typechain-types";
import { maxAgeOf } from "../../../deploy/config/validate";
import { MAINNET, type FeedName } from "../../../replay/mainnet";
import { pricePoints } from "../../../replay/prices/data";
import { toAnswer } from "../../../replay/prices/feed";
import { wad } from "../../../scripts/lib/protocol";
import { chainNow, USDC_MARKET, type ForkWorld } from "./world";

const WETH = MAINNET.tokens.WETH.address;
const USDC = MAINNET.tokens.USDC.address;

/** A real ETH/USD close of the may2021 series at `iso` (8 decimals). */
export function ethAt(iso: string): bigint {
  const t = Date.parse(iso) / 1000;
  const p = pricePoints("may2021-ETHUSDT-1m.csv", { useLow: false, from: t - 60, to: t + 1 });
  if (!p.length) throw new Error(`no ETH price at ${iso}`);
  return toAnswer(p[p.length - 1]!.price, 8);
}

/** Posts `answer` to the aggregator behind `feed`'s real proxy, dated now (or `at`). */
export async function post(w: ForkWorld, feed: FeedName, answer: bigint, at?: number): Promise<void> {
  const agg = w.feeds[feed];
  const when = at ?? (await chainNow());
  await (await agg.updateRoundData((await agg.latestRound()) + 1n, answer, when, when)).wait();
}

/** Moves chain time forward by `seconds`. */
export async function wait(seconds: number): Promise<void> {
  await network.provider.request({ method: "evm_increaseTime", params: [seconds] });
  await network.provider.request({ method: "evm_mine", params: [] });
}

/** The probe: 10 WETH of collateral and 5,000 USDC borrowed; a supplier's 1,000,000 USDC; spare tokens to act. */
export async function openProbe(w: ForkWorld): Promise<string> {
  const core = await w.core.getAddress();
  const me = await w.s.probe.getAddress();
  await w.give(w.s.supplier, USDC, 10n ** 12n, core);
  await (await w.core.connect(w.s.supplier).supply(USDC_MARKET, 10n ** 12n, 0, await w.s.supplier.getAddress())).wait();
  await w.give(w.s.probe, WETH, 20n * 10n ** 18n, core);
  await (await w.core.connect(w.s.probe).supplyCollateral(USDC_MARKET, 0, 10n ** 19n, me)).wait();
  await (await w.core.connect(w.s.probe).borrow(USDC_MARKET, 5_000n * 10n ** 6n, 0, me, me)).wait();
  await w.give(w.s.probe, USDC, 10n ** 10n, core);
  return me;
}

export interface AdapterExtras {
  fallbackFeed?: string;
  maxFallbackDeviation?: bigint;
  sequencer?: string;
  sequencerGracePeriod?: number;
}

/**
 * A WETH adapter with the mainnet config's primary (the real ETH/USD proxy), max age and bounds plus `x`, set on
 * the USDC market through the timelock (schedule, wait the mainnet delay, execute). Feeds are re-posted after the
 * wait so that only the failure under test is one.
 */
export async function replaceWethAdapter(w: ForkWorld, x: AdapterExtras): Promise<ChainlinkPriceAdapter> {
  const a = w.config.assets.find((s) => s.symbol === "WETH")!;
  const timelock = TimelockController__factory.connect(w.record.contracts.TimelockController!, w.s.proposer);
  const maxAge = BigInt(maxAgeOf(a));
  const adapter = await new ChainlinkPriceAdapter__factory(w.s.deployer).deploy({
    token: WETH,
    owner: await timelock.getAddress(),
    primary: MAINNET.feeds["ETH/USD"],
    primaryMaxAge: maxAge,
    fallbackFeed: x.fallbackFeed ?? ethers.ZeroAddress,
    fallbackMaxAge: x.fallbackFeed ? maxAge : 0n,
    maxFallbackDeviation: x.maxFallbackDeviation ?? 0n,
    maxReferenceAge: x.fallbackFeed ? maxAge + 86_400n : 0n,
    sequencer: x.sequencer ?? ethers.ZeroAddress,
    sequencerGracePeriod: BigInt(x.sequencerGracePeriod ?? 0),
    minPrice: wad(a.minPrice),
    maxPrice: wad(a.maxPrice),
  });
  await adapter.waitForDeployment();
  const data = w.core.interface.encodeFunctionData("setAdapter", [USDC_MARKET, 0, await adapter.getAddress()]);
  const core = await w.core.getAddress();
  const delay = await timelock.getMinDelay();
  await (await timelock.schedule(core, 0, data, ZeroHash, ZeroHash, delay)).wait();
  await wait(Number(delay));
  // setAdapter reads the new adapter's price: the feeds' latest answers, re-dated after the wait.
  for (const f of ["ETH/USD", "USDC/USD"] as FeedName[]) await post(w, f, await w.feeds[f].latestAnswer());
  await (await timelock.execute(core, 0, data, ZeroHash, ZeroHash)).wait();
  expect((await w.core.collateral(USDC_MARKET, 0)).adapter).to.equal(await adapter.getAddress());
  return adapter;
}

/** Borrow, collateral withdrawal, liquidation and flagging revert with the adapter's `error` (and `args`). */
export async function expectHalted(
  w: ForkWorld,
  probe: Signer,
  adapter: ChainlinkPriceAdapter,
  error: string,
  args?: unknown[],
): Promise<void> {
  const me = await probe.getAddress();
  const c = w.core.connect(probe);
  const calls = [
    () => c.borrow.staticCall(USDC_MARKET, 10n ** 6n, 0, me, me),
    () => c.withdrawCollateral.staticCall(USDC_MARKET, 0, 1n, me, me),
    () => w.core.connect(w.s.keeper).liquidate.staticCall(USDC_MARKET, me, 0, 1n, me, "0x"),
    () => w.core.connect(w.s.keeper).flagShortfall.staticCall(USDC_MARKET, me),
  ];
  for (const call of calls) {
    const m = expect(call()).to.be.revertedWithCustomError(adapter, error);
    await (args ? m.withArgs(...args) : m);
  }
}

/** Repay, supply and adding collateral go through and move the probe's balances. */
export async function expectOpen(w: ForkWorld, probe: Signer): Promise<void> {
  const me = await probe.getAddress();
  const c = w.core.connect(probe);
  const [, sharesBefore, , colsBefore] = await w.core.position(USDC_MARKET, me);
  await (await c.repay(USDC_MARKET, 10n ** 6n, 0, me)).wait();
  await (await c.supply(USDC_MARKET, 10n ** 6n, 0, me)).wait();
  await (await c.supplyCollateral(USDC_MARKET, 0, 10n ** 15n, me)).wait();
  const [supplyShares, sharesAfter, , colsAfter] = await w.core.position(USDC_MARKET, me);
  expect(sharesAfter).to.be.lessThan(sharesBefore);
  expect(supplyShares).to.be.greaterThan(0n);
  expect(colsAfter[0]! - colsBefore[0]!).to.equal(10n ** 15n);
}
