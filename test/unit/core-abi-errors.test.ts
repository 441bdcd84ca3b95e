/**
 * Every revert a core call can return decodes with the core's ABI alone, as a plain-ABI client (viem) holds it: the
 * core's own errors, its libraries', the price adapters' (bubbled by borrow, withdrawCollateral, liquidate, flags)
 * and an OpenZeppelin token's missing approval or balance. Each error is encoded with the ABI of the contract that
 * raises it and decoded with viem's decodeErrorResult over BallastCore's artifact ABI only; then two real reverts
 * (a stale feed on borrow, a missing approval on supply) are decoded the same way.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { decodeErrorResult, encodeErrorResult, type Abi, type Hex } from "viem";

type AbiError = Extract<Abi[number], { type: "error" }>;
import { deployMarketFixture } from "../helpers/fixtures";
import { findRevertData } from "../../sdk/errors";
import { wad } from "../../scripts/lib/protocol";

const abiOf = (path: string) => require(`../../artifacts/contracts/${path}`).abi as Abi; // eslint-disable-line @typescript-eslint/no-require-imports
const CORE = abiOf("core/BallastCore.sol/BallastCore.json");
/** Contracts whose errors reach a caller of the core (those only raised by other entry points excluded). */
const SOURCES: [string, Abi, (e: AbiError) => boolean][] = [
  ["LiquidationLogic", abiOf("libraries/LiquidationLogic.sol/LiquidationLogic.json"), () => true],
  ["ConfigLogic", abiOf("libraries/ConfigLogic.sol/ConfigLogic.json"), () => true],
  ["IPriceAdapter", abiOf("interfaces/IPriceAdapter.sol/IPriceAdapter.json"), () => true],
  // The adapter's price() also raises NoFallbackReference; InvalidConfig and Ownable errors are its admin's only.
  [
    "ChainlinkPriceAdapter",
    abiOf("oracles/ChainlinkPriceAdapter.sol/ChainlinkPriceAdapter.json"),
    (e) => e.name === "NoFallbackReference",
  ],
  [
    "OpenZeppelin ERC20",
    abiOf("mocks/MockERC20.sol/MockERC20.json"),
    (e) => ["ERC20InsufficientBalance", "ERC20InsufficientAllowance"].includes(e.name),
  ],
];

/** A sample value of an ABI type. */
function sample(type: string, i: number): unknown {
  if (type === "address") return `0x${String(i + 1).padStart(40, "0")}`;
  if (type === "bool") return true;
  if (type.startsWith("uint")) return BigInt(i + 1);
  if (type.startsWith("int")) return -BigInt(i + 1);
  if (type === "bytes32") return `0x${"ab".repeat(32)}`;
  if (type === "string") return `s${i}`;
  throw new Error(`no sample for ${type}`);
}

describe("core ABI: every error that can bubble up decodes with the core's ABI alone (viem)", function () {
  for (const [name, abi, keep] of [["BallastCore", CORE, () => true] as const, ...SOURCES]) {
    it(`${name}: each error encodes with its own ABI and decodes with BallastCore's`, function () {
      const errors = abi.filter((x): x is AbiError => x.type === "error").filter(keep);
      expect(errors.length).to.be.greaterThan(0);
      for (const e of errors) {
        const args = e.inputs.map((p, i) => sample(p.type, i));
        const data = encodeErrorResult({ abi: [e], errorName: e.name, args } as never) as Hex;
        const decoded = decodeErrorResult({ abi: CORE, data });
        expect(decoded.errorName, `${name}.${e.name}`).to.equal(e.name);
        expect(decoded.args ?? [], `${name}.${e.name}`).to.deep.equal(args);
      }
    });
  }

  it("real reverts: a stale feed on borrow (StalePrice) and a missing approval on supply (ERC20InsufficientAllowance)", async function () {
    const { core, id, alice, bob, weth, usdc } = await loadFixture(deployMarketFixture);
    await core.connect(alice).supply(id, 1_000_000n * 10n ** 6n, 0, alice.address);
    await core.connect(bob).supplyCollateral(id, 0, wad("1"), bob.address);
    await time.increase(3 * 86_400); // past every feed's max age
    const stale = await core
      .connect(bob)
      .borrow.staticCall(id, 100n * 10n ** 6n, 0, bob.address, bob.address)
      .then(
        () => undefined,
        (e: unknown) => findRevertData(e),
      );
    const d1 = decodeErrorResult({ abi: CORE, data: stale as Hex });
    expect(d1.errorName).to.equal("StalePrice");
    const feeds = [await weth.feed.getAddress(), await usdc.feed.getAddress()];
    expect(feeds).to.include((d1.args as unknown[])[0]); // the first stale feed the borrow reads

    const [, , , , , , , stranger] = await ethers.getSigners();
    await usdc.token.mint(stranger!.address, 10n ** 6n);
    const noApproval = await core
      .connect(stranger!)
      .supply.staticCall(id, 10n ** 6n, 0, stranger!.address)
      .then(
        () => undefined,
        (e: unknown) => findRevertData(e),
      );
    const d2 = decodeErrorResult({ abi: CORE, data: noApproval as Hex });
    expect(d2.errorName).to.equal("ERC20InsufficientAllowance");
    expect(d2.args).to.deep.equal([await core.getAddress(), 0n, 10n ** 6n]);
  });
});
