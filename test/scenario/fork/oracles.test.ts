/**
 * Oracle failures at the real Chainlink proxy addresses, on Ballast deployed through Ignition with
 * deploy/config/mainnet.ts: the adapter reads the real ETH/USD proxy, whose answers come from the replay aggregator
 * behind it (real ETH prices of ../shared/data). Each failure asserts the adapter's custom error on every action that
 * needs a price (borrow, collateral withdrawal, liquidation, flagging) and that repay, supply and adding collateral
 * stay open.
 *
 * deploy/config/mainnet.ts has neither a fallback feed nor a sequencer feed (Ethereum L1): for those two failures a
 * WETH adapter with the mainnet primary, max age and bounds plus a fallback (a second source: a replay aggregator,
 * 2% maximum deviation) or an L2 sequencer uptime feed (a test feed, Chainlink's suggested 3,600 s grace period;
 * no L2 deploy config exists yet) replaces the deployed one through the timelock, as governance would.
 */
import { expect } from "chai";
import { loadFixture, reset } from "@nomicfoundation/hardhat-network-helpers";
import { MockFeed__factory } from "../../../typechain-types";
import { MockV3Aggregator__factory } from "../../../typechain-types/factories/@chainlink/contracts/src/v0.8/tests/MockV3Aggregator__factory";
import { MAINNET } from "../../../replay/mainnet";
import { pricePoints } from "../../../replay/prices/data";
import { toAnswer } from "../../../replay/prices/feed";
import { wad } from "../../../scripts/lib/protocol";
import { chainNow, forkWorld, REAL_FORK, USDC_MARKET } from "./world";
import { ethAt, expectHalted, expectOpen, openProbe, post, replaceWethAdapter, wait } from "./oracle-setup";

const ETH_USD = MAINNET.feeds["ETH/USD"];
const USD_1 = 10n ** 8n;
const TO_WAD = 10n ** 10n; // 8-decimal feed answer -> 18-decimal price
const GRACE = 3_600;

/** Black Thursday's lowest real ETH price in the data (Binance ETHUSDT 5m low, 13 March 2020). */
function blackThursdayLow(): bigint {
  const pts = pricePoints("blackthursday-2020-03-ETHUSDT-5m.csv", { useLow: true });
  return pts.map((p) => toAnswer(p.price, 8)).reduce((a, b) => (b < a ? b : a));
}

describe(`scenario: fork: oracle failures at the real Chainlink proxies (${REAL_FORK ? "real fork" : "offline mainnet replica"})`, function () {
  after(async function () {
    await reset();
  });

  it("a feed at its bound: the mainnet WETH adapter accepts an answer at minPrice and maxPrice; Black Thursday's real low ($86, under the $100 bound) halts the market with PriceOutOfBounds while repay, supply and add collateral work", async function () {
    const w = await loadFixture(forkWorld);
    const adapter = w.adapters.WETH!;
    expect(await adapter.PRIMARY()).to.equal(ETH_USD);
    await openProbe(w);
    const [min, max] = [await adapter.minPrice(), await adapter.maxPrice()];
    await post(w, "ETH/USD", min / TO_WAD);
    expect(await adapter.price()).to.equal(min);
    await post(w, "ETH/USD", max / TO_WAD);
    expect(await adapter.price()).to.equal(max);
    if (w.realFeedBounds) {
      const b = w.realFeedBounds["ETH/USD"];
      const inside = typeof b === "string" ? b : b!.minAnswer < min / TO_WAD && b!.maxAnswer > max / TO_WAD;
      console.log(
        `      real ETH/USD clamp ${JSON.stringify(b, (_k, v) => (typeof v === "bigint" ? String(v) : v))}: ` +
          `the adapter's bounds lie inside it (a feed pinned at its clamp is refused): ${inside}`,
      );
    }
    const low = blackThursdayLow();
    expect(low * TO_WAD).to.be.lessThan(min);
    await post(w, "ETH/USD", low);
    const bounds = [min / TO_WAD, max / TO_WAD];
    await expect(adapter.price()).to.be.revertedWithCustomError(adapter, "PriceOutOfBounds");
    await expectHalted(w, w.s.probe, adapter, "PriceOutOfBounds", [ETH_USD, low, ...bounds]);
    await expectOpen(w, w.s.probe);
    await post(w, "ETH/USD", max / TO_WAD + 1n);
    await expectHalted(w, w.s.probe, adapter, "PriceOutOfBounds", [ETH_USD, max / TO_WAD + 1n, ...bounds]);
  });

  it("a stale primary with a fallback: the fallback's price is served and borrowing works; a fallback out of deviation halts the market with FallbackDeviationTooHigh while repay, supply and add collateral work", async function () {
    const w = await loadFixture(forkWorld);
    await openProbe(w);
    const p0 = ethAt("2021-05-19T12:00:00Z");
    const fallback = await new MockV3Aggregator__factory(w.s.deployer).deploy(8, p0);
    const adapter = await replaceWethAdapter(w, {
      fallbackFeed: await fallback.getAddress(),
      maxFallbackDeviation: wad("0.02"),
    });
    await post(w, "ETH/USD", p0);
    await post(w, "USDC/USD", USD_1);
    expect(await adapter.price()).to.equal(p0 * TO_WAD);
    // The primary stops: no round for longer than its max age (heartbeat 3,600 s + margin 1,200 s).
    await wait(Number(await adapter.PRIMARY_MAX_AGE()) + 1);
    await post(w, "USDC/USD", USD_1);
    const p1 = ethAt("2021-05-19T12:05:00Z"); // 1.5% above p0: within the fallback's 2%
    await (await fallback.updateAnswer(p1)).wait();
    expect(await adapter.price()).to.equal(p1 * TO_WAD);
    const me = await w.s.probe.getAddress();
    await expect(w.core.connect(w.s.probe).borrow(USDC_MARKET, 10n ** 6n, 0, me, me)).to.emit(w.core, "Borrow");
    // The crash goes on: the fallback reports 13% lower while the primary is still stale.
    const p2 = ethAt("2021-05-19T13:00:00Z");
    await (await fallback.updateAnswer(p2)).wait();
    await expect(adapter.price())
      .to.be.revertedWithCustomError(adapter, "FallbackDeviationTooHigh")
      .withArgs(p0 * TO_WAD, p2 * TO_WAD);
    await expectHalted(w, w.s.probe, adapter, "FallbackDeviationTooHigh", [p0 * TO_WAD, p2 * TO_WAD]);
    await expectOpen(w, w.s.probe);
  });

  it("an L2 sequencer outage: SequencerDown halts the market, then GracePeriodNotOver for the grace period after it is back, then borrowing resumes; repay, supply and add collateral work throughout", async function () {
    const w = await loadFixture(forkWorld);
    await openProbe(w);
    const sequencer = await new MockFeed__factory(w.s.deployer).deploy(0, 0); // answer 0: up
    const adapter = await replaceWethAdapter(w, {
      sequencer: await sequencer.getAddress(),
      sequencerGracePeriod: GRACE,
    });
    const fresh = async () => {
      await post(w, "ETH/USD", ethAt("2021-05-19T12:00:00Z"));
      await post(w, "USDC/USD", USD_1);
    };
    await fresh();
    expect(await adapter.price()).to.equal(ethAt("2021-05-19T12:00:00Z") * TO_WAD);
    await (await sequencer.set(1, await chainNow())).wait(); // down
    await expectHalted(w, w.s.probe, adapter, "SequencerDown");
    await expectOpen(w, w.s.probe);
    await wait(1_800);
    await fresh();
    const upAt = (await chainNow()) + 1;
    await (await sequencer.set(0, upAt)).wait(); // back up
    await expectHalted(w, w.s.probe, adapter, "GracePeriodNotOver", [upAt, GRACE]);
    await expectOpen(w, w.s.probe);
    await wait(GRACE + 1);
    await fresh();
    const me = await w.s.probe.getAddress();
    await expect(w.core.connect(w.s.probe).borrow(USDC_MARKET, 10n ** 6n, 0, me, me)).to.emit(w.core, "Borrow");
  });
});
