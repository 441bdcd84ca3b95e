/**
 * Hardhat Ignition modules of the whole Ballast protocol. A module is built from a validated network config
 * (deploy/config/<network>.ts): run deployments through `scripts/deploy.ts` (or `deployBallast` in
 * scripts/lib/deploy-ballast.ts), which validates the config, on chain too, before Ignition sends anything.
 *
 * Modules (each deployable alone, in this dependency order):
 * - BallastCore: the ConfigLogic and LiquidationLogic libraries linked into BallastCore (deployer as first admin);
 * - BallastTimelock: an OpenZeppelin TimelockController (no admin: it administers itself);
 * - BallastAssets: each asset's token and USD feed (test tokens and MockV3Aggregator feeds where the config says
 *   so, `contractAt` for existing ones);
 * - BallastOracles: a ChainlinkPriceAdapter per asset, owned by the timelock from its constructor (so no
 *   Ownable2Step transfer is left pending);
 * - BallastLens: the read-only lens;
 * - BallastMarkets: each market created with its parameters, its InsuranceFund (admin: the timelock) deployed and
 *   registered, and its tokens attested exact (`setExactTransfers`) where the config says `exactTransfers`; the
 *   market id is read from the MarketCreated event;
 * - Ballast: all of the above, then the role handover: the timelock gets DEFAULT_ADMIN_ROLE and RISK_ROLE (risk
 *   changes that can liquidate existing positions, such as a lower liquidation threshold, need both), the
 *   configured addresses RISK_ROLE and GUARDIAN_ROLE, and finally the deployer renounces its admin role, so it ends
 *   with none.
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type { Artifact, CallableContractFuture } from "@nomicfoundation/ignition-core";
import { id as keccakId, ZeroAddress, ZeroHash } from "ethers";
import type { AssetConfig, MarketConfig, NetworkDeployConfig } from "../config/types";
import { maxAgeOf, parseAmount, parseDecimal } from "../config/validate";

export const DEFAULT_ADMIN_ROLE = ZeroHash;
export const RISK_ROLE = keccakId("BALLAST_RISK_ROLE");
export const GUARDIAN_ROLE = keccakId("BALLAST_GUARDIAN_ROLE");

const IERC20_METADATA = "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol:IERC20Metadata";
const AGGREGATOR_V3 = "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorV3Interface.sol:AggregatorV3Interface";

export interface ModuleOptions {
  /** TimelockController artifact: the project's compiled one when present, else OpenZeppelin's published build. */
  timelockArtifact: Artifact;
}

/** A decimal string the validation already accepted (throws if called on an unvalidated config). */
function must(value: bigint | undefined, what: string): bigint {
  if (value === undefined) throw new Error(`${what} is invalid: validate the config first`);
  return value;
}
const ratio = (v: string, what: string): bigint => must(parseDecimal(v, 18), what);

function asset(config: NetworkDeployConfig, symbol: string): AssetConfig {
  const a = config.assets.find((x) => x.symbol === symbol);
  if (!a) throw new Error(`asset ${symbol} is not in the config`);
  return a;
}

/** Contract names in deployments/<network>.json and in the module results. */
export const names = {
  token: (symbol: string) => symbol,
  feed: (symbol: string) => `${symbol}PriceFeed`,
  adapter: (symbol: string) => `${symbol}PriceAdapter`,
  fund: (marketNumber: number) => `InsuranceFund${marketNumber}`,
};

/** Builds every module of a deployment of `config` (each module object once, as Ignition requires). */
export function buildBallastModules(config: NetworkDeployConfig, opts: ModuleOptions) {
  const coreModule = buildModule("BallastCore", (m) => {
    const configLogic = m.library("ConfigLogic");
    const liquidationLogic = m.library("LiquidationLogic");
    const core = m.contract("BallastCore", [m.getAccount(0)], {
      libraries: { ConfigLogic: configLogic, LiquidationLogic: liquidationLogic },
    });
    return { BallastCore: core, ConfigLogic: configLogic, LiquidationLogic: liquidationLogic };
  });

  const timelockModule = buildModule("BallastTimelock", (m) => {
    const g = config.governance;
    const timelock = m.contract("TimelockController", opts.timelockArtifact, [
      BigInt(g.timelockMinDelay),
      g.proposers,
      g.executors,
      ZeroAddress, // no extra admin: the timelock administers itself
    ]);
    return { TimelockController: timelock };
  });

  const assetsModule = buildModule("BallastAssets", (m) => {
    const out: Record<string, CallableContractFuture<string>> = {};
    for (const a of config.assets) {
      out[names.token(a.symbol)] =
        a.token.kind === "mock"
          ? m.contract("MockERC20", [a.token.name, a.symbol, a.token.decimals], { id: names.token(a.symbol) })
          : m.contractAt(IERC20_METADATA, a.token.address, { id: names.token(a.symbol) });
      out[names.feed(a.symbol)] =
        a.feed.kind === "mock"
          ? m.contract(
              "MockV3Aggregator",
              [a.feed.decimals, must(parseDecimal(a.feed.price, a.feed.decimals), `${a.symbol} feed price`)],
              { id: names.feed(a.symbol) },
            )
          : m.contractAt(AGGREGATOR_V3, a.feed.address, { id: names.feed(a.symbol) });
    }
    return out;
  });

  const oraclesModule = buildModule("BallastOracles", (m) => {
    const { TimelockController: timelock } = m.useModule(timelockModule);
    const assets = m.useModule(assetsModule);
    const out: Record<string, CallableContractFuture<string>> = {};
    for (const a of config.assets) {
      const token = assets[names.token(a.symbol)];
      const feed = assets[names.feed(a.symbol)];
      if (!token || !feed) throw new Error(`asset ${a.symbol} missing from BallastAssets`);
      out[names.adapter(a.symbol)] = m.contract(
        "ChainlinkPriceAdapter",
        [
          {
            token,
            owner: timelock,
            primary: feed,
            primaryMaxAge: BigInt(maxAgeOf(a)),
            fallbackFeed: ZeroAddress,
            fallbackMaxAge: 0n,
            maxFallbackDeviation: 0n,
            maxReferenceAge: 0n,
            sequencer: ZeroAddress, // Ethereum L1 and its testnet: no sequencer uptime feed
            sequencerGracePeriod: 0n,
            minPrice: ratio(a.minPrice, `${a.symbol} minPrice`),
            maxPrice: ratio(a.maxPrice, `${a.symbol} maxPrice`),
          },
        ],
        { id: names.adapter(a.symbol) },
      );
    }
    return out;
  });

  const lensModule = buildModule("BallastLens", (m) => {
    const { BallastCore: core } = m.useModule(coreModule);
    return { BallastLens: m.contract("BallastLens", [core]), BallastCore: core };
  });

  const marketsModule = buildModule("BallastMarkets", (m) => {
    const { BallastCore: core } = m.useModule(coreModule);
    const { TimelockController: timelock } = m.useModule(timelockModule);
    const assets = m.useModule(assetsModule);
    const adapters = m.useModule(oraclesModule);
    const out: Record<string, CallableContractFuture<string>> = {};
    config.markets.forEach((mk: MarketConfig, i) => {
      const n = i + 1;
      const loan = asset(config, mk.loan);
      const loanDec = loan.token.decimals;
      const amount = (v: string, what: string) => must(parseAmount(v, loanDec), `market ${n} ${what}`);
      const params = {
        loanToken: assets[names.token(mk.loan)]!,
        loanAdapter: adapters[names.adapter(mk.loan)]!,
        supplyCap: amount(mk.supplyCap, "supplyCap"),
        borrowCap: amount(mk.borrowCap, "borrowCap"),
        minBorrow: amount(mk.minBorrow, "minBorrow"),
        minLeftover: amount(mk.minLeftover, "minLeftover"),
        reserveFactor: ratio(mk.reserveFactor, "reserveFactor"),
        insurancePremiumFactor: ratio(mk.insurancePremiumFactor, "insurancePremiumFactor"),
        rateModel: {
          baseRate: ratio(mk.rateModel.baseRate, "baseRate"),
          slope1: ratio(mk.rateModel.slope1, "slope1"),
          slope2: ratio(mk.rateModel.slope2, "slope2"),
          targetUtilization: ratio(mk.rateModel.targetUtilization, "targetUtilization"),
        },
        collaterals: mk.collaterals.map((c) => ({
          token: assets[names.token(c.asset)]!,
          adapter: adapters[names.adapter(c.asset)]!,
          ltv: ratio(c.ltv, "ltv"),
          liquidationThreshold: ratio(c.liquidationThreshold, "liquidationThreshold"),
          liquidationBonus: ratio(c.liquidationBonus, "liquidationBonus"),
          supplyCap: must(parseAmount(c.supplyCap, asset(config, c.asset).token.decimals), `${c.asset} supplyCap`),
        })),
      };
      const create = m.call(core, "createMarket", [params], { id: `createMarket${n}` });
      const marketId = m.readEventArgument(create, "MarketCreated", "id", { id: `market${n}Id` });
      const fund = m.contract(
        "InsuranceFund",
        [assets[names.token(mk.loan)]!, core, marketId, timelock, mk.insurance.name, mk.insurance.symbol],
        { id: names.fund(n) },
      );
      out[names.fund(n)] = fund;
      m.call(core, "setInsuranceFund", [marketId, fund], { id: `setInsuranceFund${n}` });
      if (mk.exactTransfers) m.call(core, "setExactTransfers", [marketId, true], { id: `setExactTransfers${n}` });
    });
    return out;
  });

  const ballastModule = buildModule("Ballast", (m) => {
    const coreOut = m.useModule(coreModule);
    const core = coreOut.BallastCore;
    const timelockOut = m.useModule(timelockModule);
    const timelock = timelockOut.TimelockController;
    const assetsOut = m.useModule(assetsModule);
    const oraclesOut = m.useModule(oraclesModule);
    const marketsOut = m.useModule(marketsModule);
    const lensOut = m.useModule(lensModule);
    const deployer = m.getAccount(0);
    const g = config.governance;

    // Hand over only once every market and fund is in place (createMarket and setInsuranceFund need the admin).
    const grants = [
      m.call(core, "grantRole", [DEFAULT_ADMIN_ROLE, timelock], { id: "grantAdminToTimelock", after: [marketsModule] }),
      m.call(core, "grantRole", [RISK_ROLE, timelock], { id: "grantRiskToTimelock", after: [marketsModule] }),
      ...g.riskAdmins.map((a, i) =>
        m.call(core, "grantRole", [RISK_ROLE, a], { id: `grantRisk${i + 1}`, after: [marketsModule] }),
      ),
      ...g.guardians.map((a, i) =>
        m.call(core, "grantRole", [GUARDIAN_ROLE, a], { id: `grantGuardian${i + 1}`, after: [marketsModule] }),
      ),
    ];
    m.call(core, "renounceRole", [DEFAULT_ADMIN_ROLE, deployer], { id: "renounceDeployerAdmin", after: grants });

    return { ...coreOut, ...timelockOut, ...assetsOut, ...oraclesOut, ...marketsOut, ...lensOut };
  });

  return {
    core: coreModule,
    timelock: timelockModule,
    assets: assetsModule,
    oracles: oraclesModule,
    lens: lensModule,
    markets: marketsModule,
    ballast: ballastModule,
  };
}
