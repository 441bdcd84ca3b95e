/**
 * Deploy config validation: every bad config is rejected with a clear message before anything is sent.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import path from "node:path";
import hre, { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import {
  configFor,
  validateConfig,
  validateConfigOnChain,
  ConfigValidationError,
  type NetworkDeployConfig,
} from "../../deploy/config";
import { checkNetworkEnv, DeployEnvError } from "../../scripts/lib/deploy-env";
import { deployBallast } from "../../scripts/lib/deploy-ballast";
import { childEnv } from "../../scripts/lib/deploy-node";
import { MockERC20__factory } from "../../typechain-types";
import { MockV3Aggregator__factory } from "../../typechain-types/factories/@chainlink/contracts/src/v0.8/tests/MockV3Aggregator__factory";

const base = (): NetworkDeployConfig => structuredClone(configFor("hardhat"));

function rejects(config: NetworkDeployConfig, message: string): void {
  try {
    validateConfig(config);
  } catch (e) {
    expect(e).to.be.instanceOf(ConfigValidationError);
    expect((e as Error).message).to.contain(message);
    return;
  }
  expect.fail(`config accepted; expected "${message}"`);
}

describe("Deploy config validation (before anything is sent)", function () {
  it("accepts every committed network config's parameters", function () {
    for (const n of ["hardhat", "localhost"]) expect(() => validateConfig(configFor(n))).to.not.throw();
    const prev = { ...process.env };
    Object.assign(process.env, {
      BALLAST_PROPOSERS: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
      BALLAST_RISK_ADMINS: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
      BALLAST_GUARDIANS: "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
    });
    try {
      for (const n of ["sepolia", "mainnet"]) expect(() => validateConfig(configFor(n))).to.not.throw();
    } finally {
      for (const k of ["BALLAST_PROPOSERS", "BALLAST_RISK_ADMINS", "BALLAST_GUARDIANS"]) {
        if (prev[k] === undefined) delete process.env[k];
        else process.env[k] = prev[k];
      }
    }
  });

  const cases: [string, (c: NetworkDeployConfig) => void, string][] = [
    [
      "LTV at or above the liquidation threshold",
      (c) => (c.markets[0]!.collaterals[0]!.ltv = "0.85"),
      "market #1 (USDC) collateral WETH: ltv 85% must be below the liquidationThreshold 85%",
    ],
    [
      "liquidation threshold above 95%",
      (c) => (c.markets[0]!.collaterals[0]!.liquidationThreshold = "0.96"),
      "liquidationThreshold 96% must be above 0 and at most 95%",
    ],
    [
      "liquidation bonus above 20%",
      (c) => (c.markets[0]!.collaterals[0]!.liquidationBonus = "0.21"),
      "liquidationBonus 21% must be at most 20%",
    ],
    [
      "threshold x (1 + bonus) not below 100%",
      (c) => Object.assign(c.markets[0]!.collaterals[0]!, { liquidationThreshold: "0.9", liquidationBonus: "0.12" }),
      "liquidationThreshold x (1 + liquidationBonus) = 0.9 x 1.12 must be below 100%",
    ],
    ["reserve factor above 50%", (c) => (c.markets[0]!.reserveFactor = "0.6"), "reserveFactor 60% must be at most 50%"],
    [
      "insurance premium factor above 50%",
      (c) => (c.markets[1]!.insurancePremiumFactor = "0.51"),
      "market #2 (WETH): insurancePremiumFactor 51% must be at most 50%",
    ],
    [
      "base rate above 100%",
      (c) => (c.markets[0]!.rateModel.baseRate = "1.5"),
      "rateModel.baseRate 150% must be at most 100%",
    ],
    [
      "slope above 1,000%",
      (c) => (c.markets[0]!.rateModel.slope2 = "11"),
      "rateModel.slope2 1100% must be at most 1,000%",
    ],
    [
      "target utilization outside [1%, 99%]",
      (c) => (c.markets[0]!.rateModel.targetUtilization = "0.995"),
      "rateModel.targetUtilization 99.5% must be between 1% and 99%",
    ],
    [
      "exactTransfers that is not a boolean",
      (c) => Object.assign(c.markets[0]!, { exactTransfers: "yes" }),
      "market #1 (USDC): exactTransfers must be true or false",
    ],
    ["a malformed ratio", (c) => (c.markets[0]!.collaterals[1]!.ltv = "75%"), 'ltv "75%" is not a decimal ratio'],
    ["an unknown collateral", (c) => (c.markets[0]!.collaterals[1]!.asset = "DOGE"), "asset DOGE is not in assets"],
    [
      "the loan asset as its own collateral",
      (c) => (c.markets[0]!.collaterals[1]!.asset = "USDC"),
      "the loan asset cannot be its own collateral",
    ],
    [
      "more than 8 collaterals",
      (c) => (c.markets[0]!.collaterals = Array.from({ length: 9 }, () => ({ ...c.markets[0]!.collaterals[0]! }))),
      "needs 1 to 8 collaterals, has 9",
    ],
    [
      "a borrow cap above the supply cap",
      (c) => Object.assign(c.markets[0]!, { supplyCap: "100", borrowCap: "200" }),
      "borrowCap 200 must not exceed supplyCap 100",
    ],
    [
      "a cap with too many decimals",
      (c) => (c.markets[0]!.supplyCap = "1.0000001"),
      'supplyCap "1.0000001" must be an amount of USDC',
    ],
    [
      "token decimals above 18",
      (c) => (c.assets[1]!.token.decimals = 24),
      "asset WETH: token decimals 24 must be an integer from 0 to 18",
    ],
    [
      "a feed max age beyond 7 days",
      (c) => (c.assets[0]!.maxAgeMargin = 7 * 86_400),
      "asset USDC: max age 691200 s (heartbeat + margin) exceeds the adapter's limit of 7 days",
    ],
    [
      "a mock price outside the adapter bounds",
      (c) => (c.assets[1]!.minPrice = "5000"),
      "asset WETH: mock feed price 3000 lies outside the bounds [5000, 100000]",
    ],
    [
      "inverted price bounds",
      (c) => (c.assets[2]!.maxPrice = "50"),
      "asset WBTC: maxPrice 50 must be above minPrice 100",
    ],
    [
      "a bad governance address",
      (c) => (c.governance.guardians = ["0x1234"]),
      "governance.guardians: 0x1234 is not an address",
    ],
    ["no risk admin", (c) => (c.governance.riskAdmins = []), "governance.riskAdmins is empty"],
    [
      "a mock token on mainnet",
      (c) => Object.assign(c, { chainId: 1, network: "mainnet", local: false }),
      "asset USDC: mainnet cannot use a mock token",
    ],
    [
      "a Uniswap pool at a fee tier that does not exist",
      (c) => (c.uniswap = { kind: "deploy", pools: [{ collateral: "WETH", loan: "USDC", fee: 2500 }] }),
      "uniswap pool WETH/USDC: fee 2500 is not a Uniswap v3 fee tier (100, 500, 3000, 10000)",
    ],
    [
      "a Uniswap pool of an unlisted asset",
      (c) => (c.uniswap = { kind: "deploy", pools: [{ collateral: "DOGE", loan: "USDC", fee: 3000 }] }),
      "uniswap pool DOGE/USDC: both assets must be listed in assets",
    ],
    [
      "a Uniswap address that is not checksummed",
      (c) =>
        (c.uniswap = {
          kind: "existing",
          source: "test",
          factory: "0x1f98431c8ad98523631ae4a59f267346ea31f98",
          quoterV2: "0x61fFE014bA17989E743c5F6cB21bF9697530B21e",
          positionManager: "0xC36442b4a4522E871399CD717aBDD847Ab11FE88",
          pools: [],
        }),
      "uniswap.factory: 0x1f98431c8ad98523631ae4a59f267346ea31f98 is not a checksummed address",
    ],
    [
      "a mock feed on a public network",
      (c) => Object.assign(c, { chainId: 11155111, network: "sepolia", local: false }),
      "asset USDC: a public network needs a real Chainlink feed, not a mock",
    ],
  ];
  for (const [what, mutate, message] of cases) {
    it(`rejects ${what}`, function () {
      const c = base();
      mutate(c);
      rejects(c, message);
    });
  }

  it("names the environment variable when a public network's governance is not set", function () {
    const prev = process.env.BALLAST_PROPOSERS;
    delete process.env.BALLAST_PROPOSERS;
    try {
      rejects(configFor("sepolia"), "governance.proposers is empty: set BALLAST_PROPOSERS (comma-separated addresses)");
    } finally {
      if (prev !== undefined) process.env.BALLAST_PROPOSERS = prev;
    }
  });

  it("rejects a short timelock on a public network", function () {
    const c = structuredClone(configFor("sepolia"));
    c.governance = { ...base().governance, timelockMinDelay: 60 };
    rejects(c, "governance.timelockMinDelay 60 s is too short for a public network (at least 1 hour)");
  });

  it("reports every problem at once and sends nothing", async function () {
    const [deployer] = await ethers.getSigners();
    const nonce = await ethers.provider.getTransactionCount(deployer!.address);
    const c = base();
    c.markets[0]!.reserveFactor = "0.9";
    c.assets[0]!.maxPrice = "0.1";
    const err = await deployBallast(hre, { config: c, write: false }).then(
      () => undefined,
      (e: unknown) => e as ConfigValidationError,
    );
    expect(err).to.be.instanceOf(ConfigValidationError);
    expect(err!.problems).to.have.length.greaterThanOrEqual(2);
    expect(err!.message).to.match(/^Invalid Ballast deploy config for "hardhat" \(nothing was sent\)/);
    expect(await ethers.provider.getTransactionCount(deployer!.address)).to.equal(nonce);
  });
});

describe("Deploy config validation on chain (existing tokens and feeds)", function () {
  async function existingConfig() {
    const [deployer] = await ethers.getSigners();
    const token = await new MockERC20__factory(deployer!).deploy("Existing", "EXT", 6);
    const feed = await new MockV3Aggregator__factory(deployer!).deploy(8, 100_000_000n);
    const c = base();
    c.assets[0] = {
      ...c.assets[0]!,
      token: { kind: "existing", address: await token.getAddress(), decimals: 6 },
      feed: { kind: "existing", address: await feed.getAddress(), decimals: 8, heartbeat: 86_400 },
    };
    return { c, feed, deployer: deployer!.address };
  }
  async function onChainRejects(c: NetworkDeployConfig, deployer: string, message: string, pure = true): Promise<void> {
    if (pure) validateConfig(c);
    const err = await validateConfigOnChain(c, ethers.provider, deployer).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err, `expected "${message}"`).to.be.instanceOf(ConfigValidationError);
    expect(err!.message).to.contain(message);
  }

  it("accepts existing contracts that match the config", async function () {
    const { c, deployer } = await existingConfig();
    await validateConfigOnChain(c, ethers.provider, deployer);
  });

  it("rejects a token whose decimals() differ from the config", async function () {
    const { c, deployer } = await existingConfig();
    c.assets[0]!.token.decimals = 18;
    await onChainRejects(c, deployer, "asset USDC: token decimals() is 6 on chain, the config says 18");
  });

  it("rejects a feed whose decimals() differ from the config", async function () {
    const { c, deployer } = await existingConfig();
    c.assets[0]!.feed.decimals = 18;
    await onChainRejects(c, deployer, "asset USDC: feed decimals() is 8 on chain, the config says 18");
  });

  it("rejects a feed whose latest round is older than its heartbeat plus margin", async function () {
    const { c, deployer } = await existingConfig();
    await time.increase(86_400 + 3_600 + 60);
    await onChainRejects(c, deployer, "older than its heartbeat 86400 s + margin 3600 s");
  });

  it("rejects a feed with another description than expected", async function () {
    const { c, deployer } = await existingConfig();
    (c.assets[0]!.feed as { description?: string }).description = "USDC / USD";
    await onChainRejects(c, deployer, 'feed description() is "v0.8/tests/MockV3Aggregator.sol" on chain');
  });

  it("rejects a feed answer outside the adapter bounds", async function () {
    const { c, feed, deployer } = await existingConfig();
    await feed.updateAnswer(300_000_000n); // 3 USD for a stablecoin
    await onChainRejects(
      c,
      deployer,
      "asset USDC: feed answer 300000000 (8 decimals) lies outside the bounds [0.5, 2]",
    );
  });

  it("rejects an address without code", async function () {
    const { c, deployer } = await existingConfig();
    (c.assets[0]!.token as { address: string }).address = "0x000000000000000000000000000000000000dEaD";
    await onChainRejects(
      c,
      deployer,
      "asset USDC: no contract at token address 0x000000000000000000000000000000000000dEaD",
    );
  });

  it("rejects the wrong chain and a deployer that would keep a role", async function () {
    const { c, deployer } = await existingConfig();
    await onChainRejects(
      { ...c, chainId: 1 },
      deployer,
      'connected to chain id 31337, but the "hardhat" config is for chain id 1',
      false,
    );
    c.governance.guardians = [deployer];
    await onChainRejects(c, deployer, `governance.guardians contains the deployer ${deployer}`);
  });
});

describe("Deploy environment variables", function () {
  it("names each missing variable of a public network", function () {
    expect(() => checkNetworkEnv("sepolia", {}))
      .to.throw(DeployEnvError)
      .with.property("message")
      .that.contains("SEPOLIA_RPC_URL is not set")
      .and.contains("DEPLOYER_PRIVATE_KEY is not set");
    expect(() => checkNetworkEnv("mainnet", { MAINNET_RPC_URL: "https://x", DEPLOYER_PRIVATE_KEY: "0x12" }))
      .to.throw(DeployEnvError)
      .with.property("message")
      .that.contains("DEPLOYER_PRIVATE_KEY is malformed");
    expect(checkNetworkEnv("hardhat", {})).to.deep.equal([]);
    expect(
      checkNetworkEnv("sepolia", { SEPOLIA_RPC_URL: "https://rpc", DEPLOYER_PRIVATE_KEY: "0x" + "1".repeat(64) }),
    ).to.deep.equal(["ETHERSCAN_API_KEY is not set: the contracts will not be verifiable"]);
  });

  it("scripts/deploy.ts prints a clear message, not a stack trace, and exits 1", function () {
    const env = childEnv();
    for (const k of ["SEPOLIA_RPC_URL", "DEPLOYER_PRIVATE_KEY"]) delete env[k];
    const r = spawnSync("npx", ["hardhat", "run", "scripts/deploy.ts", "--network", "sepolia"], {
      cwd: path.resolve(__dirname, "..", ".."),
      env,
      encoding: "utf8",
    });
    expect(r.status).to.equal(1);
    expect(r.stderr).to.contain("Cannot deploy to sepolia (nothing was sent)");
    expect(r.stderr).to.contain("SEPOLIA_RPC_URL is not set");
    expect(r.stderr).to.not.match(/\n\s+at .+\(.+:\d+:\d+\)/);
  });
});
