import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { MockERC20__factory } from "../../typechain-types";
import { deployCore, wad } from "../../scripts/lib/protocol";
import {
  E18,
  VIRTUAL_SHARES,
  createMarketFrom,
  deployAdapterFor,
  marketParams,
  mulDivDown,
  mulDivUp,
  wMulDown,
} from "../helpers/core-helpers";

const LOAN_USD = "1.25";
const COL_USD = "3123.45678";

/** loan decimals / loan feed decimals / collateral decimals / collateral feed decimals */
const COMBOS: [number, number, number, number][] = [
  [6, 8, 18, 18],
  [18, 18, 8, 8],
  [8, 8, 6, 18],
  [6, 18, 6, 8],
  [18, 8, 18, 8],
];

async function decimalsFixture() {
  const [deployer, supplier, borrower] = await ethers.getSigners();
  const { core } = await deployCore(deployer!);
  const coreAddr = await core.getAddress();
  const markets = [];
  for (const [ld, lf, cd, cf] of COMBOS) {
    const loan = await new MockERC20__factory(deployer!).deploy("L", "L", ld);
    const col = await new MockERC20__factory(deployer!).deploy("C", "C", cd);
    const lp = await deployAdapterFor(deployer!, await loan.getAddress(), LOAN_USD, lf);
    const cp = await deployAdapterFor(deployer!, await col.getAddress(), COL_USD, cf);
    const id = await createMarketFrom(
      core,
      marketParams(await loan.getAddress(), await lp.adapter.getAddress(), [
        { token: await col.getAddress(), adapter: await cp.adapter.getAddress(), ltv: wad("0.75"), lt: wad("0.8") },
      ]),
    );
    for (const [t, s] of [
      [loan, supplier!],
      [col, borrower!],
    ] as const) {
      await t.mint(s.address, 10n ** 40n);
      await t.connect(s).approve(coreAddr, ethers.MaxUint256);
    }
    markets.push({ id, loan, col, loanAdapter: lp.adapter, colAdapter: cp.adapter, ld, lf, cd, cf });
  }
  return { core, markets, supplier: supplier!, borrower: borrower! };
}

describe("integration: 6, 8 and 18 decimal assets with 8 and 18 decimal feeds", function () {
  COMBOS.forEach(([ld, lf, cd, cf], i) => {
    it(`loan ${ld}d (feed ${lf}d), collateral ${cd}d (feed ${cf}d): whole tokens are worth their price and the LTV limit is exact`, async function () {
      const { core, markets, supplier, borrower } = await loadFixture(decimalsFixture);
      const mk = markets[i]!;
      const loanPrice = await mk.loanAdapter.price();
      const colPrice = await mk.colAdapter.price();
      // value (USD, 18 decimals) of one whole token = its USD price
      expect(mulDivDown(10n ** BigInt(ld), loanPrice, E18)).to.equal(ethers.parseUnits(LOAN_USD, 18));
      expect(mulDivDown(10n ** BigInt(cd), colPrice, E18)).to.equal(ethers.parseUnits(COL_USD, 18));

      const supplied = 1_000_000n * 10n ** BigInt(ld);
      await expect(core.connect(supplier).supply(mk.id, supplied, 0, supplier.address))
        .to.emit(core, "Supply")
        .withArgs(mk.id, supplier.address, supplier.address, supplied, supplied * VIRTUAL_SHARES);
      const colAmount = 3n * 10n ** BigInt(cd); // 3 whole tokens = $9,370.37034
      await core.connect(borrower).supplyCollateral(mk.id, 0, colAmount, borrower.address);
      const power = wMulDown(mulDivDown(colAmount, colPrice, E18), wad("0.75"));
      expect(power).to.equal(wMulDown(3n * ethers.parseUnits(COL_USD, 18), wad("0.75")));
      // largest debt whose value (rounded up) fits the power
      const max = mulDivDown(power, E18, loanPrice);
      await expect(core.connect(borrower).borrow(mk.id, max + 1n, 0, borrower.address, borrower.address))
        .to.be.revertedWithCustomError(core, "BorrowAboveLtv")
        .withArgs(mk.id, borrower.address, mulDivUp(max + 1n, loanPrice, E18), power);
      await expect(
        core.connect(borrower).borrow(mk.id, max, 0, borrower.address, borrower.address),
      ).to.changeTokenBalance(mk.loan, borrower, max);
      // $7,028 of borrowing power at $1.25 = 5,622.7 loan tokens
      expect(max / 10n ** BigInt(ld)).to.equal(5622n);
    });
  });
});
