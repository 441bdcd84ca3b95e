/**
 * The Ignition modules on the embedded network: each module alone, then the whole protocol with its role
 * handover, deployments/<network>.json and the operator tasks.
 */
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import hre, { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { BaseContract } from "ethers";
import { configFor } from "../../deploy/config";
import { buildBallastModules, DEFAULT_ADMIN_ROLE, RISK_ROLE, GUARDIAN_ROLE } from "../../deploy/modules/Ballast";
import { HARDHAT_ACCOUNTS } from "../../deploy/config/local";
import { deployBallast, timelockArtifact } from "../../scripts/lib/deploy-ballast";
import { seedLocal } from "../../scripts/lib/deploy-seed";
import {
  BallastCore__factory,
  BallastLens__factory,
  ChainlinkPriceAdapter__factory,
  InsuranceFund__factory,
  MockERC20__factory,
} from "../../typechain-types";
import { MockV3Aggregator__factory } from "../../typechain-types/factories/@chainlink/contracts/src/v0.8/tests/MockV3Aggregator__factory";

const config = configFor("hardhat");

async function modules() {
  return buildBallastModules(config, { timelockArtifact: await timelockArtifact(hre) });
}
async function addr(c: BaseContract | undefined): Promise<string> {
  if (!c) throw new Error("missing contract");
  return c.getAddress();
}

describe("Deployment modules (Hardhat Ignition) on the embedded network", function () {
  it("BallastCore links ConfigLogic and LiquidationLogic and makes the deployer its first admin", async function () {
    const [deployer] = await ethers.getSigners();
    const r = (await hre.ignition.deploy((await modules()).core)) as unknown as Record<string, BaseContract>;
    const core = BallastCore__factory.connect(await addr(r.BallastCore), deployer!);
    expect(await core.hasRole(DEFAULT_ADMIN_ROLE, deployer!.address)).to.equal(true);
    expect(await core.marketCount()).to.equal(0n);
    expect(await ethers.provider.getCode(await addr(r.ConfigLogic))).to.not.equal("0x");
    expect(await ethers.provider.getCode(await addr(r.LiquidationLogic))).to.not.equal("0x");
  });

  it("BallastAssets deploys 6-, 18- and 8-decimal test tokens and Chainlink mock feeds at realistic prices", async function () {
    const r = (await hre.ignition.deploy((await modules()).assets)) as unknown as Record<string, BaseContract>;
    const expected: Record<string, [number, bigint]> = {
      USDC: [6, 1n * 10n ** 8n],
      WETH: [18, 3000n * 10n ** 8n],
      WBTC: [8, 60000n * 10n ** 8n],
    };
    for (const [sym, [dec, answer]] of Object.entries(expected)) {
      const token = MockERC20__factory.connect(await addr(r[sym]), ethers.provider);
      expect(await token.decimals()).to.equal(BigInt(dec));
      expect(await token.symbol()).to.equal(sym);
      const feed = MockV3Aggregator__factory.connect(await addr(r[`${sym}PriceFeed`]), ethers.provider);
      expect(await feed.decimals()).to.equal(8n);
      expect(await feed.latestAnswer()).to.equal(answer);
    }
  });

  it("BallastOracles prices each asset and is owned by the timelock from construction (nothing pending)", async function () {
    const r = (await hre.ignition.deploy((await modules()).oracles)) as unknown as Record<string, BaseContract>;
    const eth = ChainlinkPriceAdapter__factory.connect(await addr(r.WETHPriceAdapter), ethers.provider);
    // 3000 USD per 1e18 base units: price = 3000e36 / 1e18.
    expect(await eth.price()).to.equal(3000n * 10n ** 18n);
    expect(await eth.PRIMARY_MAX_AGE()).to.equal(3600n + 1800n);
    const usdc = ChainlinkPriceAdapter__factory.connect(await addr(r.USDCPriceAdapter), ethers.provider);
    expect(await usdc.price()).to.equal(10n ** 30n); // 1 USD per 1e6 base units
    expect(await usdc.PRIMARY_MAX_AGE()).to.equal(86_400n + 3_600n);
    // The owner is the deployment's TimelockController itself, set in the constructor: no pending transfer.
    const timelock = await ethers.getContractAt("TimelockController", await eth.owner());
    expect(await timelock.getMinDelay()).to.equal(BigInt(config.governance.timelockMinDelay));
    expect(await eth.pendingOwner()).to.equal(ethers.ZeroAddress);
    expect(await usdc.owner()).to.equal(await timelock.getAddress());
  });

  it("BallastLens reads the core it was built with", async function () {
    const r = (await hre.ignition.deploy((await modules()).lens)) as unknown as Record<string, BaseContract>;
    const lens = BallastLens__factory.connect(await addr(r.BallastLens), ethers.provider);
    expect(await lens.core()).to.equal(await addr(r.BallastCore));
  });

  it("BallastMarkets creates each market with its parameters and registers its insurance fund", async function () {
    const r = (await hre.ignition.deploy((await modules()).markets)) as unknown as Record<string, BaseContract>;
    const fund1 = InsuranceFund__factory.connect(await addr(r.InsuranceFund1), ethers.provider);
    const fund2 = InsuranceFund__factory.connect(await addr(r.InsuranceFund2), ethers.provider);
    const core = BallastCore__factory.connect(await fund1.core(), ethers.provider);
    expect(await core.marketCount()).to.equal(2n);
    const c1 = await core.config(1);
    expect(c1.insuranceFund).to.equal(await fund1.getAddress());
    expect(c1.reserveFactor).to.equal(ethers.parseEther("0.1"));
    expect(c1.minBorrow).to.equal(10n * 10n ** 6n);
    expect(c1.collateralCount).to.equal(2n);
    const weth = await core.collateral(1, 0);
    expect([weth.ltv, weth.liquidationThreshold, weth.liquidationBonus]).to.deep.equal([
      ethers.parseEther("0.8"),
      ethers.parseEther("0.85"),
      ethers.parseEther("0.05"),
    ]);
    expect((await core.config(2)).insuranceFund).to.equal(await fund2.getAddress());
    expect(await fund2.marketId()).to.equal(2n);
    expect(await fund1.symbol()).to.equal("bINS-USDC");
    expect((await core.config(1)).flags & 2n).to.equal(0n); // no exactTransfers: every pull is checked
  });

  it("BallastMarkets attests a market's tokens exact (setExactTransfers) only where the config says exactTransfers", async function () {
    const attested = structuredClone(config);
    attested.markets[0]!.exactTransfers = true;
    const mods = buildBallastModules(attested, { timelockArtifact: await timelockArtifact(hre) });
    const r = (await hre.ignition.deploy(mods.markets)) as unknown as Record<string, BaseContract>;
    const fund1 = InsuranceFund__factory.connect(await addr(r.InsuranceFund1), ethers.provider);
    const core = BallastCore__factory.connect(await fund1.core(), ethers.provider);
    const FLAG_EXACT_TRANSFERS = 2n;
    expect((await core.config(1)).flags & FLAG_EXACT_TRANSFERS).to.equal(FLAG_EXACT_TRANSFERS);
    expect((await core.config(2)).flags & FLAG_EXACT_TRANSFERS).to.equal(0n);
    const events = await core.queryFilter(core.filters.ExactTransfersSet());
    expect(events.map((e) => [e.args.id, e.args.exact])).to.deep.equal([[1n, true]]);
  });
});

describe("Full deployment: role handover, deployments file, seeding and tasks", function () {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "ballast-deploy-test-"));
  after(() => fs.rmSync(outDir, { recursive: true, force: true }));

  async function fullDeployment() {
    const result = await deployBallast(hre, { deploymentsDir: outDir });
    const [deployer, governance, risk, guardian, user] = await ethers.getSigners();
    const c = result.record.contracts;
    return {
      ...result,
      c,
      core: BallastCore__factory.connect(c.BallastCore!, deployer!),
      timelock: await ethers.getContractAt("TimelockController", c.TimelockController!),
      deployer: deployer!,
      governance: governance!,
      risk: risk!,
      guardian: guardian!,
      user: user!,
    };
  }

  it("leaves the deployer with no role at all; the timelock and the configured holders have theirs", async function () {
    const { c, core, timelock, deployer, record } = await loadFixture(fullDeployment);
    const who = deployer.address;
    expect(record.deployer).to.equal(who);
    for (const role of [DEFAULT_ADMIN_ROLE, RISK_ROLE, GUARDIAN_ROLE])
      expect(await core.hasRole(role, who)).to.equal(false);
    expect(await core.hasRole(DEFAULT_ADMIN_ROLE, c.TimelockController!)).to.equal(true);
    // the timelock also holds the risk role: lowering a threshold or raising a bonus needs both (issue 13, #17)
    expect(await core.hasRole(RISK_ROLE, c.TimelockController!)).to.equal(true);
    expect(await core.hasRole(RISK_ROLE, HARDHAT_ACCOUNTS.risk)).to.equal(true);
    expect(await core.hasRole(GUARDIAN_ROLE, HARDHAT_ACCOUNTS.guardian)).to.equal(true);
    for (const name of ["InsuranceFund1", "InsuranceFund2"]) {
      const fund = InsuranceFund__factory.connect(c[name]!, ethers.provider);
      expect(await fund.hasRole(DEFAULT_ADMIN_ROLE, who)).to.equal(false);
      expect(await fund.hasRole(DEFAULT_ADMIN_ROLE, c.TimelockController!)).to.equal(true);
    }
    for (const sym of ["USDC", "WETH", "WBTC"]) {
      const adapter = ChainlinkPriceAdapter__factory.connect(c[`${sym}PriceAdapter`]!, ethers.provider);
      expect(await adapter.owner()).to.equal(c.TimelockController);
      expect(await adapter.pendingOwner()).to.equal(ethers.ZeroAddress);
    }
    for (const role of ["DEFAULT_ADMIN_ROLE", "PROPOSER_ROLE", "EXECUTOR_ROLE", "CANCELLER_ROLE"]) {
      const id = (await timelock.getFunction(role)()) as string;
      expect(await timelock.hasRole(id, who), `timelock ${role}`).to.equal(false);
    }
    expect(await timelock.hasRole(await timelock.PROPOSER_ROLE(), HARDHAT_ACCOUNTS.governance)).to.equal(true);
    expect(await timelock.getMinDelay()).to.equal(300n);
  });

  it("the deployer can no longer govern; governance goes through the timelock's delay", async function () {
    const { core, timelock, deployer, governance, c } = await loadFixture(fullDeployment);
    await expect(core.connect(deployer).setReserveFloor(1, 1))
      .to.be.revertedWithCustomError(core, "AccessControlUnauthorizedAccount")
      .withArgs(deployer.address, DEFAULT_ADMIN_ROLE);
    const data = core.interface.encodeFunctionData("setReserveFloor", [1, 123n]);
    const salt = ethers.id("floor");
    const tl = timelock.connect(governance);
    await tl.getFunction("schedule")(c.BallastCore!, 0, data, ethers.ZeroHash, salt, 300);
    await expect(tl.getFunction("execute")(c.BallastCore!, 0, data, ethers.ZeroHash, salt)).to.be.reverted;
    await time.increase(300);
    await tl.getFunction("execute")(c.BallastCore!, 0, data, ethers.ZeroHash, salt);
    expect((await core.config(1)).reserveFloor).to.equal(123n);
  });

  it("writes deployments/<network>.json with the chain id, a start block and every contract", async function () {
    const { file, record, c } = await loadFixture(fullDeployment);
    expect(file).to.equal(path.join(outDir, "hardhat.json"));
    const json = JSON.parse(fs.readFileSync(file!, "utf8")) as typeof record;
    expect(json.chainId).to.equal(31337);
    expect(json.block).to.be.a("number").and.be.greaterThan(0);
    expect(await ethers.provider.getCode(c.BallastCore!, json.block)).to.not.equal("0x");
    expect(await ethers.provider.getCode(c.BallastCore!, json.block - 1)).to.equal("0x");
    const expected = ["BallastCore", "BallastLens", "TimelockController", "ConfigLogic", "LiquidationLogic"].concat(
      ...["USDC", "WETH", "WBTC"].map((s) => [s, `${s}PriceFeed`, `${s}PriceAdapter`]),
      ["InsuranceFund1", "InsuranceFund2"],
    );
    expect(Object.keys(json.contracts).sort()).to.deep.equal(expected.sort());
    for (const a of Object.values(json.contracts)) expect(await ethers.provider.getCode(a)).to.not.equal("0x");
    expect(json.markets.map((m) => [m.id, m.loan, m.collaterals])).to.deep.equal([
      [1, "USDC", ["WETH", "WBTC"]],
      [2, "WETH", ["WBTC", "USDC"]],
    ]);
  });

  it("seeds borrowers at different health factors, suppliers and insurance stakes, with no role needed", async function () {
    const { record, c } = await loadFixture(fullDeployment);
    const seed = await seedLocal(hre, record);
    const hfs = seed.positions
      .filter((p) => p.market === 1 && p.role.startsWith("borrower"))
      .map((p) => Number(p.healthFactor));
    expect(hfs).to.have.length(3);
    expect(new Set(hfs).size).to.equal(3);
    for (const hf of hfs) expect(hf).to.be.greaterThan(1).and.lessThan(3);
    const lens = BallastLens__factory.connect(c.BallastLens!, ethers.provider);
    const m1 = await lens.market(1);
    // 500,000 supplied plus the interest accrued since (a few blocks at 14% utilization).
    expect(m1.totalSupplyAssets).to.be.within(500_000n * 10n ** 6n, 500_001n * 10n ** 6n);
    const borrowed = (12_000n + 36_000n + 23_500n) * 10n ** 6n;
    expect(m1.totalBorrowAssets).to.be.within(borrowed, borrowed + 10n ** 6n); // plus interest since
    const fund = InsuranceFund__factory.connect(c.InsuranceFund1!, ethers.provider);
    expect(await fund.totalAssets()).to.equal(50_000n * 10n ** 6n);
  });

  it("operator tasks print markets, positions and solvency tables; set-price moves a mock feed", async function () {
    const { c, record } = await loadFixture(fullDeployment);
    await seedLocal(hre, record);
    const printed: string[] = [];
    const log = console.log;
    const prevDir = process.env.BALLAST_DEPLOYMENTS_DIR;
    process.env.BALLAST_DEPLOYMENTS_DIR = outDir;
    console.log = (...a: unknown[]) => void printed.push(a.map(String).join(" "));
    try {
      await hre.run("ballast:markets");
      await hre.run("ballast:position", { account: "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f" });
      await hre.run("ballast:set-price", { asset: "WETH", price: "2500" });
      await hre.run("ballast:solvency", { market: 1 });
    } finally {
      console.log = log;
      if (prevDir === undefined) delete process.env.BALLAST_DEPLOYMENTS_DIR;
      else process.env.BALLAST_DEPLOYMENTS_DIR = prevDir;
    }
    const [markets, position, setPrice, solvency] = printed;
    expect(markets).to.match(/1\s+USDC\s+500,000\.00\s+71,500\.00\s+14\.30%/);
    expect(markets).to.contain("WETH (LTV 80.00%, LT 85.00%)  $3,000.00    valid");
    expect(position).to.match(/1\s+USDC\s+0\.00\s+23,500\.00\s+\$30,000\.00\s+\$23,500\.\d\d\s+1\.0851/);
    expect(setPrice).to.equal(`WETH/USD feed ${c.WETHPriceFeed}: 3,000.00 -> 2,500.00 USD`);
    expect(solvency).to.match(/total debt\s+71,500\.\d\d USDC/);
    expect(solvency).to.match(/insurance fund assets\s+50,000\.\d\d USDC/);
    const lens = BallastLens__factory.connect(c.BallastLens!, ethers.provider);
    // 10 WETH at 2,500 x 0.85 / 23,500 = 0.904...: the near-liquidation borrower is now liquidatable.
    expect(await lens.healthFactor(1, "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f")).to.be.lessThan(10n ** 18n);
  });
});
