import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  ChainlinkPriceAdapter__factory,
  MockERC20__factory,
  MockFeed__factory,
  type MockERC20,
  type MockFeed,
} from "../../typechain-types";
import { MockV3Aggregator__factory } from "../../typechain-types/factories/@chainlink/contracts/src/v0.8/tests/MockV3Aggregator__factory";
import { deployAdapter, wad, type AdapterArgs } from "../../scripts/lib/protocol";
import { b32 } from "../helpers/core-helpers";

const MAX_AGE = 4200n;
const GRACE = 3600n;
const MIN = wad("100");
const MAX = wad("100000");
const REF_AGE = 86_400n; // the fallback's reference may be a day old

async function adapterFixture() {
  const [deployer, other] = await ethers.getSigners();
  const token: MockERC20 = await new MockERC20__factory(deployer!).deploy("Wrapped Ether", "WETH", 18);
  const primary: MockFeed = await new MockFeed__factory(deployer!).deploy(8, 2000n * 10n ** 8n);
  const fallback: MockFeed = await new MockFeed__factory(deployer!).deploy(18, wad("2000"));
  const sequencer: MockFeed = await new MockFeed__factory(deployer!).deploy(0, 0);
  await sequencer.set(0, BigInt(await time.latest()) - 2n * GRACE);
  const base: AdapterArgs = {
    token: await token.getAddress(),
    owner: deployer!.address,
    primary: await primary.getAddress(),
    maxAge: Number(MAX_AGE),
    minPrice: MIN,
    maxPrice: MAX,
  };
  // primary only
  const plain = await deployAdapter(deployer!, base);
  // primary + 18-decimal fallback (2% max deviation) + sequencer with a 1 hour grace period
  const full = await deployAdapter(deployer!, {
    ...base,
    fallbackFeed: await fallback.getAddress(),
    fallbackMaxAge: Number(MAX_AGE),
    maxFallbackDeviation: wad("0.02"),
    maxReferenceAge: Number(REF_AGE),
    sequencer: await sequencer.getAddress(),
    sequencerGracePeriod: Number(GRACE),
  });
  return { deployer: deployer!, other: other!, token, primary, fallback, sequencer, plain, full, base };
}

describe("unit: ChainlinkPriceAdapter", function () {
  describe("constructor validation", function () {
    it("rejects every inconsistent wiring with InvalidConfig(what)", async function () {
      const { deployer, base, fallback, sequencer } = await loadFixture(adapterFixture);
      const F = new ChainlinkPriceAdapter__factory(deployer);
      const Z = ethers.ZeroAddress;
      const full = (o: Partial<AdapterArgs>) =>
        deployAdapter(deployer, { ...base, ...o }).then(
          () => null,
          (e: unknown) => e,
        );
      const expectInvalid = async (o: Partial<AdapterArgs>, what: string) => {
        await expect(
          F.deploy({
            token: o.token ?? base.token,
            owner: base.owner,
            primary: o.primary ?? base.primary,
            primaryMaxAge: o.maxAge ?? base.maxAge,
            fallbackFeed: o.fallbackFeed ?? Z,
            fallbackMaxAge: o.fallbackMaxAge ?? 0,
            maxFallbackDeviation: o.maxFallbackDeviation ?? 0n,
            maxReferenceAge: o.maxReferenceAge ?? (o.fallbackFeed ? Number(REF_AGE) : 0),
            sequencer: Z,
            sequencerGracePeriod: o.sequencerGracePeriod ?? 0,
            minPrice: o.minPrice ?? base.minPrice,
            maxPrice: o.maxPrice ?? base.maxPrice,
          }),
        )
          .to.be.revertedWithCustomError(F, "InvalidConfig")
          .withArgs(b32(what));
      };
      await expectInvalid({ token: Z }, "zero address");
      await expectInvalid({ primary: Z }, "zero address");
      await expectInvalid({ maxAge: 0 }, "primaryMaxAge");
      await expectInvalid({ maxAge: 7 * 86400 + 1 }, "primaryMaxAge");
      const t19 = await new MockERC20__factory(deployer).deploy("T", "T", 19);
      await expectInvalid({ token: await t19.getAddress() }, "decimals");
      const f19 = await new MockFeed__factory(deployer).deploy(19, 1);
      await expectInvalid({ primary: await f19.getAddress() }, "decimals");
      await expectInvalid(
        { fallbackFeed: await f19.getAddress(), fallbackMaxAge: 60, maxFallbackDeviation: 1n },
        "decimals",
      );
      const fb = await fallback.getAddress();
      await expectInvalid({ fallbackFeed: fb, fallbackMaxAge: 0, maxFallbackDeviation: 1n }, "fallbackMaxAge");
      await expectInvalid(
        { fallbackFeed: fb, fallbackMaxAge: 7 * 86400 + 1, maxFallbackDeviation: 1n },
        "fallbackMaxAge",
      );
      await expectInvalid({ fallbackFeed: fb, fallbackMaxAge: 60, maxFallbackDeviation: 0n }, "maxFallbackDeviation");
      await expectInvalid(
        { fallbackFeed: fb, fallbackMaxAge: 60, maxFallbackDeviation: wad("0.2") + 1n },
        "maxFallbackDeviation",
      );
      // the reference's max age: above the primary's max age, at most that plus 7 days (issue 13, finding 9)
      const fbOk = { fallbackFeed: fb, fallbackMaxAge: 60, maxFallbackDeviation: 1n };
      await expectInvalid({ ...fbOk, maxReferenceAge: Number(MAX_AGE) }, "maxReferenceAge");
      await expectInvalid({ ...fbOk, maxReferenceAge: Number(MAX_AGE) + 7 * 86400 + 1 }, "maxReferenceAge");
      await expectInvalid({ sequencerGracePeriod: 86400 + 1 }, "sequencerGracePeriod");
      await expectInvalid({ minPrice: 0n }, "bounds");
      await expectInvalid({ minPrice: MAX, maxPrice: MAX }, "bounds");
      // the largest accepted values deploy
      expect(
        await full({ maxAge: 7 * 86400, sequencer: await sequencer.getAddress(), sequencerGracePeriod: 86400 }),
      ).to.equal(null);
    });

    it("records its immutable wiring and initial bounds", async function () {
      const { full, token, primary, fallback, sequencer } = await loadFixture(adapterFixture);
      expect(await full.token()).to.equal(await token.getAddress());
      expect(await full.PRIMARY()).to.equal(await primary.getAddress());
      expect(await full.PRIMARY_MAX_AGE()).to.equal(MAX_AGE);
      expect(await full.FALLBACK()).to.equal(await fallback.getAddress());
      expect(await full.FALLBACK_MAX_AGE()).to.equal(MAX_AGE);
      expect(await full.MAX_FALLBACK_DEVIATION()).to.equal(wad("0.02"));
      expect(await full.SEQUENCER()).to.equal(await sequencer.getAddress());
      expect(await full.SEQUENCER_GRACE_PERIOD()).to.equal(GRACE);
      expect(await full.minPrice()).to.equal(MIN);
      expect(await full.maxPrice()).to.equal(MAX);
    });
  });

  describe("normalization: 6, 8 and 18 decimal tokens with 8 and 18 decimal feeds", function () {
    for (const tokenDecimals of [6, 8, 18]) {
      for (const feedDecimals of [8, 18]) {
        it(`token ${tokenDecimals} decimals, feed ${feedDecimals} decimals: one whole token is worth its price`, async function () {
          const [deployer] = await ethers.getSigners();
          const token = await new MockERC20__factory(deployer!).deploy("T", "T", tokenDecimals);
          const usd = "1234.56789012"; // 8 decimals: representable by both feeds
          const feed = await new MockV3Aggregator__factory(deployer!).deploy(
            feedDecimals,
            ethers.parseUnits(usd, feedDecimals),
          );
          const adapter = await deployAdapter(deployer!, {
            token: await token.getAddress(),
            owner: deployer!.address,
            primary: await feed.getAddress(),
            maxAge: 4200,
            minPrice: wad("1"),
            maxPrice: wad("1000000"),
          });
          const priceWad = ethers.parseUnits(usd, 18);
          expect(await adapter.priceWad()).to.equal(priceWad);
          const price = await adapter.price();
          expect(price).to.equal(priceWad * 10n ** BigInt(18 - tokenDecimals));
          // value (USD, 18 decimals) of one whole token = amount * price / 1e18 = the USD price
          expect((10n ** BigInt(tokenDecimals) * price) / 10n ** 18n).to.equal(priceWad);
          expect(await adapter.tryPrice()).to.deep.equal([true, price]);
        });
      }
    }
  });

  describe("primary feed validity", function () {
    it("a fresh in-bounds answer is valid; checkpoint records it with its round time", async function () {
      const { plain, primary } = await loadFixture(adapterFixture);
      expect(await plain.priceWad()).to.equal(wad("2000"));
      const updatedAt = await primary.updatedAt();
      await expect(plain.checkpoint()).to.emit(plain, "Checkpointed").withArgs(wad("2000"), updatedAt);
      expect(await plain.lastPrimaryPrice()).to.equal(wad("2000"));
      expect(await plain.lastPrimaryUpdatedAt()).to.equal(updatedAt);
    });

    it("stale: an answer exactly maxAge old is valid, one second older reverts StalePrice", async function () {
      const { plain, primary } = await loadFixture(adapterFixture);
      const updatedAt = BigInt(await time.latest()) + 10n;
      await time.setNextBlockTimestamp(updatedAt);
      await primary.set(2100n * 10n ** 8n, updatedAt);
      await time.setNextBlockTimestamp(updatedAt + MAX_AGE);
      await expect(plain.checkpoint()).to.emit(plain, "Checkpointed").withArgs(wad("2100"), updatedAt);
      await time.setNextBlockTimestamp(updatedAt + MAX_AGE + 1n);
      await expect(plain.checkpoint())
        .to.be.revertedWithCustomError(plain, "StalePrice")
        .withArgs(await primary.getAddress(), updatedAt, MAX_AGE);
      await expect(plain.price())
        .to.be.revertedWithCustomError(plain, "StalePrice")
        .withArgs(await primary.getAddress(), updatedAt, MAX_AGE);
    });

    it("a round without a timestamp (updatedAt 0) is stale", async function () {
      const { plain, primary } = await loadFixture(adapterFixture);
      await primary.set(2000n * 10n ** 8n, 0);
      await expect(plain.price())
        .to.be.revertedWithCustomError(plain, "StalePrice")
        .withArgs(await primary.getAddress(), 0, MAX_AGE);
    });

    it("future: a round dated after the block reverts FuturePrice", async function () {
      const { plain, primary } = await loadFixture(adapterFixture);
      const future = BigInt(await time.latest()) + 1000n;
      await primary.set(2000n * 10n ** 8n, future);
      await expect(plain.price())
        .to.be.revertedWithCustomError(plain, "FuturePrice")
        .withArgs(await primary.getAddress(), future);
    });

    it("non-positive: zero and negative answers revert NonPositivePrice with the answer", async function () {
      const { plain, primary } = await loadFixture(adapterFixture);
      const now = BigInt(await time.latest());
      for (const answer of [0n, -1n, -(2000n * 10n ** 8n)]) {
        await primary.set(answer, now);
        await expect(plain.price())
          .to.be.revertedWithCustomError(plain, "NonPositivePrice")
          .withArgs(await primary.getAddress(), answer);
      }
    });

    it("bounds are inclusive; outside them PriceOutOfBounds reports the bounds in feed units, never clamps", async function () {
      const { plain, primary } = await loadFixture(adapterFixture);
      const now = BigInt(await time.latest());
      const feedAddr = await primary.getAddress();
      await primary.set(100n * 10n ** 8n, now);
      expect(await plain.priceWad()).to.equal(MIN);
      await primary.set(100_000n * 10n ** 8n, now);
      expect(await plain.priceWad()).to.equal(MAX);
      for (const answer of [100n * 10n ** 8n - 1n, 100_000n * 10n ** 8n + 1n]) {
        await primary.set(answer, now);
        await expect(plain.price())
          .to.be.revertedWithCustomError(plain, "PriceOutOfBounds")
          .withArgs(feedAddr, answer, 100n * 10n ** 8n, 100_000n * 10n ** 8n);
      }
    });

    it("an answer too large to scale is out of bounds, not an overflow panic", async function () {
      const { plain, primary } = await loadFixture(adapterFixture);
      const huge = 1n << 200n;
      await primary.set(huge, BigInt(await time.latest()));
      await expect(plain.price())
        .to.be.revertedWithCustomError(plain, "PriceOutOfBounds")
        .withArgs(await primary.getAddress(), huge, 100n * 10n ** 8n, 100_000n * 10n ** 8n);
    });

    it("every answer and round time around the limits is valid exactly when each check passes, else the first failed check's error", async function () {
      const { plain, primary } = await loadFixture(adapterFixture);
      const feed = await primary.getAddress();
      const [lo, hi] = [100n * 10n ** 8n, 100_000n * 10n ** 8n]; // MIN and MAX in feed units
      const answers = [-1n, 0n, 1n, lo - 1n, lo, lo + 1n, 2000n * 10n ** 8n, hi - 1n, hi, hi + 1n];
      answers.push((1n << 128n) - 1n, 1n << 128n, 1n << 200n);
      answers.push((1n << 246n) + (1n << 12n) * 5n ** 11n); // scaled by 1e10 modulo 2^256: exactly $2,000
      // round time relative to the price read's block time T; null: updatedAt 0 (no timestamp)
      const ages: (bigint | null)[] = [null, -1n, 0n, MAX_AGE, MAX_AGE + 1n];
      let t = BigInt(await time.latest()) + 10n;
      for (const answer of answers) {
        for (const age of ages) {
          t += 10n;
          const updatedAt = age === null ? 0n : t - age;
          await time.setNextBlockTimestamp(t - 1n);
          await primary.set(answer, updatedAt);
          await time.setNextBlockTimestamp(t);
          const read = plain.price.send();
          if (answer <= 0n) await expect(read).to.be.revertedWithCustomError(plain, "NonPositivePrice");
          else if (answer < lo || answer > hi)
            await expect(read).to.be.revertedWithCustomError(plain, "PriceOutOfBounds").withArgs(feed, answer, lo, hi);
          else if (age !== null && age < 0n)
            await expect(read).to.be.revertedWithCustomError(plain, "FuturePrice").withArgs(feed, updatedAt);
          else if (age === null || age > MAX_AGE)
            await expect(read).to.be.revertedWithCustomError(plain, "StalePrice").withArgs(feed, updatedAt, MAX_AGE);
          else await expect(read).to.not.be.reverted;
        }
      }
    });

    it("a feed that burns all the gas it gets reverts FeedReverted, even with a valid fallback", async function () {
      const { full, primary, fallback } = await loadFixture(adapterFixture);
      await full.checkpoint();
      await fallback.set(wad("2000"), BigInt(await time.latest()));
      await primary.setBurnsGas(true);
      // Out of gas inside the feed is not taken as "the feed reverted": the caller may have starved the call on
      // purpose to reach the fallback, so the read itself reverts (EIP-150 leaves 1/64 to report it).
      await expect(full.price({ gasLimit: 2_000_000 }))
        .to.be.revertedWithCustomError(full, "FeedReverted")
        .withArgs(await primary.getAddress());
      await primary.setBurnsGas(false);
      expect(await full.priceWad()).to.equal(wad("2000"));
    });

    it("a reverting (retired) feed is caught and reported as FeedReverted", async function () {
      const { plain, primary } = await loadFixture(adapterFixture);
      await primary.setReverts(true);
      await expect(plain.price())
        .to.be.revertedWithCustomError(plain, "FeedReverted")
        .withArgs(await primary.getAddress());
      await expect(plain.checkpoint())
        .to.be.revertedWithCustomError(plain, "FeedReverted")
        .withArgs(await primary.getAddress());
      expect(await plain.tryPrice()).to.deep.equal([false, 0n]);
    });
  });

  describe("L2 sequencer", function () {
    it("down, uninitialised or reverting sequencer feed reverts SequencerDown", async function () {
      const { full, sequencer } = await loadFixture(adapterFixture);
      const now = BigInt(await time.latest());
      await sequencer.set(1, now - 2n * GRACE);
      await expect(full.price()).to.be.revertedWithCustomError(full, "SequencerDown");
      await sequencer.set(0, 0); // startedAt 0: not initialised
      await expect(full.price()).to.be.revertedWithCustomError(full, "SequencerDown");
      await sequencer.set(0, now - 2n * GRACE);
      await sequencer.setReverts(true);
      await expect(full.price()).to.be.revertedWithCustomError(full, "SequencerDown");
      await sequencer.setReverts(false);
      expect(await full.priceWad()).to.equal(wad("2000"));
      // A sequencer address that answers nothing (no code): SequencerDown, not a decoding panic.
      const [, other] = await ethers.getSigners();
      const noCode = await deployAdapter((await ethers.getSigners())[0]!, {
        token: await full.token(),
        owner: other!.address,
        primary: await full.PRIMARY(),
        maxAge: Number(MAX_AGE),
        minPrice: MIN,
        maxPrice: MAX,
        sequencer: other!.address,
        sequencerGracePeriod: Number(GRACE),
      });
      await expect(noCode.price()).to.be.revertedWithCustomError(noCode, "SequencerDown");
    });

    it("an uptime feed dated in the future counts as within the grace period", async function () {
      const { full, sequencer } = await loadFixture(adapterFixture);
      const future = BigInt(await time.latest()) + 600n;
      await sequencer.set(0, future);
      await expect(full.price()).to.be.revertedWithCustomError(full, "GracePeriodNotOver").withArgs(future, GRACE);
    });

    it("within the grace period (inclusive) after coming back up reverts GracePeriodNotOver", async function () {
      const { full, sequencer, primary } = await loadFixture(adapterFixture);
      const upSince = BigInt(await time.latest()) + 10n;
      await time.setNextBlockTimestamp(upSince);
      await sequencer.set(0, upSince);
      await primary.set(2000n * 10n ** 8n, upSince + 1n);
      await time.setNextBlockTimestamp(upSince + GRACE);
      await expect(full.price.send())
        .to.be.revertedWithCustomError(full, "GracePeriodNotOver")
        .withArgs(upSince, GRACE);
      await time.setNextBlockTimestamp(upSince + GRACE + 1n);
      await expect(full.price.send()).to.not.be.reverted;
      expect(await full.priceWad()).to.equal(wad("2000"));
    });
  });

  describe("fallback feed", function () {
    it("is used when the primary reverts, within the max deviation of the last checkpoint", async function () {
      const { full, primary, fallback } = await loadFixture(adapterFixture);
      await full.checkpoint();
      await primary.setReverts(true);
      const now = BigInt(await time.latest());
      await fallback.set(wad("2040"), now); // +2.0%: the limit is inclusive
      expect(await full.priceWad()).to.equal(wad("2040"));
      expect(await full.price()).to.equal(wad("2040"));
      await fallback.set(wad("1960"), now); // -2.0%
      expect(await full.priceWad()).to.equal(wad("1960"));
    });

    it("beyond the max deviation reverts FallbackDeviationTooHigh(reference, fallback)", async function () {
      const { full, primary, fallback } = await loadFixture(adapterFixture);
      await full.checkpoint();
      await primary.setReverts(true);
      const now = BigInt(await time.latest());
      await fallback.set(wad("2040") + 1n, now);
      await expect(full.price())
        .to.be.revertedWithCustomError(full, "FallbackDeviationTooHigh")
        .withArgs(wad("2000"), wad("2040") + 1n);
      await fallback.set(wad("1500"), now);
      await expect(full.price())
        .to.be.revertedWithCustomError(full, "FallbackDeviationTooHigh")
        .withArgs(wad("2000"), wad("1500"));
    });

    it("a stale primary is the reference itself; no checkpoint needed", async function () {
      const { full, primary, fallback } = await loadFixture(adapterFixture);
      const now = BigInt(await time.latest());
      await primary.set(2100n * 10n ** 8n, now - MAX_AGE - 100n);
      await fallback.set(wad("2110"), now);
      expect(await full.priceWad()).to.equal(wad("2110"));
      await fallback.set(wad("2000"), now); // -4.8% from the stale 2100
      await expect(full.price())
        .to.be.revertedWithCustomError(full, "FallbackDeviationTooHigh")
        .withArgs(wad("2100"), wad("2000"));
    });

    it("a future-dated primary is the reference itself", async function () {
      const { full, primary, fallback } = await loadFixture(adapterFixture);
      const now = BigInt(await time.latest());
      await primary.set(1900n * 10n ** 8n, now + 3_600n);
      await fallback.set(wad("1910"), now);
      expect(await full.priceWad()).to.equal(wad("1910"));
      await fallback.set(wad("2000"), now); // +5.3% from the future-dated 1900
      await expect(full.price())
        .to.be.revertedWithCustomError(full, "FallbackDeviationTooHigh")
        .withArgs(wad("1900"), wad("2000"));
    });

    it("without any reference (primary reverted, never checkpointed) reverts NoFallbackReference", async function () {
      const { full, primary } = await loadFixture(adapterFixture);
      await primary.setReverts(true);
      await expect(full.price()).to.be.revertedWithCustomError(full, "NoFallbackReference");
    });

    it("issue 13 #9: a checkpoint older than MAX_REFERENCE_AGE is no reference: NoFallbackReference", async function () {
      const { full, primary, fallback } = await loadFixture(adapterFixture);
      expect(await full.MAX_REFERENCE_AGE()).to.equal(REF_AGE);
      await full.checkpoint(); // $2,000
      const checkpointedAt = (await full.lastPrimaryUpdatedAt()) as bigint;
      await primary.setReverts(true);
      // A year later ETH trades at $1,400: the correct fallback is not refused as "30% off", nor is a wrong
      // $1,999 accepted as "within 2%": with no recent reference the fallback cannot be checked at all.
      await time.increase(365 * 86400);
      const now = BigInt(await time.latest());
      await fallback.set(wad("1400"), now);
      await expect(full.price()).to.be.revertedWithCustomError(full, "NoFallbackReference");
      await fallback.set(wad("1999"), now);
      await expect(full.price()).to.be.revertedWithCustomError(full, "NoFallbackReference");
      // Exactly MAX_REFERENCE_AGE old is still a reference; one second older is not.
      await primary.setReverts(false);
      await primary.set(2000n * 10n ** 8n, now);
      await full.checkpoint();
      await primary.setReverts(true);
      await time.setNextBlockTimestamp(now + REF_AGE);
      await fallback.set(wad("1999"), now + REF_AGE);
      expect(await full.priceWad()).to.equal(wad("1999"));
      await time.increase(1);
      await expect(full.price()).to.be.revertedWithCustomError(full, "NoFallbackReference");
      expect(checkpointedAt).to.be.lessThan(now);
    });

    it("issue 13 #9: a stale primary older than MAX_REFERENCE_AGE is no reference either", async function () {
      const { full, primary, fallback } = await loadFixture(adapterFixture);
      const now = BigInt(await time.latest());
      await primary.set(2000n * 10n ** 8n, now - REF_AGE - 1n);
      await fallback.set(wad("2000"), now);
      await expect(full.price()).to.be.revertedWithCustomError(full, "NoFallbackReference");
      await primary.set(2000n * 10n ** 8n, now - REF_AGE + 60n); // a minute younger than the limit
      expect(await full.priceWad()).to.equal(wad("2000"));
    });

    it("an invalid fallback leaves the primary's own error", async function () {
      const { full, primary, fallback } = await loadFixture(adapterFixture);
      await full.checkpoint();
      const now = BigInt(await time.latest());
      await primary.set(0, now);
      await fallback.set(wad("2000"), now - MAX_AGE - 1n);
      await expect(full.price())
        .to.be.revertedWithCustomError(full, "NonPositivePrice")
        .withArgs(await primary.getAddress(), 0);
      await fallback.setReverts(true);
      await expect(full.price())
        .to.be.revertedWithCustomError(full, "NonPositivePrice")
        .withArgs(await primary.getAddress(), 0);
    });

    it("is not used while the primary is valid", async function () {
      const { full, fallback } = await loadFixture(adapterFixture);
      await fallback.set(wad("2030"), BigInt(await time.latest()));
      expect(await full.priceWad()).to.equal(wad("2000"));
    });
  });

  describe("malformed feeds: answered as the ABI decoder of a high-level call does", function () {
    /** Runtime code that answers any call with `words` (32 bytes each), cut or padded to `length` bytes. */
    function answering(words: bigint[], length: number): string {
      const push = words.map(
        (w, i) => `7f${w.toString(16).padStart(64, "0")}60${(i * 32).toString(16).padStart(2, "0")}52`,
      );
      return `0x${push.join("")}60${length.toString(16).padStart(2, "0")}6000f3`;
    }
    const setCode = (addr: string, code: string) => ethers.provider.send("hardhat_setCode", [addr, code]);
    const round = async (answer: bigint, roundId = 7n) => {
      const now = BigInt(await time.latest());
      return [roundId, answer, now, now, roundId];
    };

    it("a short answer, a round id beyond uint80 or no code at all revert without reason, never reaching the fallback", async function () {
      const { full, primary, fallback } = await loadFixture(adapterFixture);
      await full.checkpoint();
      await fallback.set(wad("2000"), BigInt(await time.latest()));
      const feed = await primary.getAddress();
      const ok = await round(2000n * 10n ** 8n);
      await setCode(feed, answering(ok, 0xa0 + 0x20)); // longer than five words: the extra bytes are ignored
      expect(await full.priceWad()).to.equal(wad("2000"));
      await setCode(feed, answering(ok, 0xa0 - 1));
      await expect(full.price()).to.be.revertedWithoutReason();
      await setCode(feed, answering(await round(2000n * 10n ** 8n, 1n << 80n), 0xa0));
      await expect(full.price()).to.be.revertedWithoutReason();
      const badLastRound = await round(2000n * 10n ** 8n);
      badLastRound[4] = 1n << 80n;
      await setCode(feed, answering(badLastRound, 0xa0));
      await expect(full.price()).to.be.revertedWithoutReason();
      await setCode(feed, "0x");
      await expect(full.price()).to.be.revertedWithoutReason();
      expect(await full.tryPrice()).to.deep.equal([false, 0n]);
    });

    it("a malformed fallback reverts without reason too; a short sequencer answer is SequencerDown", async function () {
      const { full, primary, fallback, sequencer } = await loadFixture(adapterFixture);
      await full.checkpoint();
      await primary.setReverts(true);
      await setCode(await fallback.getAddress(), answering(await round(wad("2000")), 0x40));
      await expect(full.price()).to.be.revertedWithoutReason();
      await primary.setReverts(false);
      const up = [1n, 0n, BigInt(await time.latest()) - 2n * GRACE, 0n, 1n];
      await setCode(await sequencer.getAddress(), answering(up, 0xa0 - 1));
      await expect(full.price()).to.be.revertedWithCustomError(full, "SequencerDown");
      await setCode(await sequencer.getAddress(), answering([1n << 80n, ...up.slice(1)], 0xa0));
      await expect(full.price()).to.be.revertedWithoutReason();
      await setCode(await sequencer.getAddress(), answering(up, 0xa0));
      expect(await full.priceWad()).to.equal(wad("2000"));
    });
  });

  describe("bounds governance", function () {
    it("bounds are fixed at deployment: the constructor emits BoundsSet, a price outside them reverts, no setter", async function () {
      const { deployer, base, primary } = await loadFixture(adapterFixture);
      const narrow = await deployAdapter(deployer, { ...base, minPrice: wad("2500"), maxPrice: wad("3000") });
      await expect(narrow.deploymentTransaction()).to.emit(narrow, "BoundsSet").withArgs(wad("2500"), wad("3000"));
      expect([await narrow.minPrice(), await narrow.maxPrice()]).to.deep.equal([wad("2500"), wad("3000")]);
      await expect(narrow.price())
        .to.be.revertedWithCustomError(narrow, "PriceOutOfBounds")
        .withArgs(await primary.getAddress(), 2000n * 10n ** 8n, 2500n * 10n ** 8n, 3000n * 10n ** 8n);
      const adapterFns: string[] = [];
      narrow.interface.forEachFunction((fn) => adapterFns.push(fn.name));
      expect(adapterFns).to.include("price").and.not.include("setBounds");
    });
  });
});
