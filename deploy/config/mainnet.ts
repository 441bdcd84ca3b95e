/**
 * Ethereum mainnet: real WETH, WBTC, USDC and USDT with their Chainlink USD feeds and published heartbeats
 * (Chainlink's published mainnet feeds, docs.chain.link "Price Feed Contract Addresses": ETH/USD and BTC/USD 3,600 s, USDC/USD and USDT/USD 86,400 s, all 8 decimals). WBTC is
 * priced with BTC/USD: a WBTC depeg is not seen by the oracle, so its LTV and caps are the most conservative.
 * Validation re-reads decimals, description and the latest round of each feed on chain before anything is sent.
 * Governance: BALLAST_PROPOSERS (the multisig), BALLAST_EXECUTORS (default: proposers), BALLAST_RISK_ADMINS,
 * BALLAST_GUARDIANS.
 */
import type { NetworkDeployConfig, RateModelConfig } from "./types";
import { governanceFromEnv } from "./env";

const STABLE_RATES: RateModelConfig = { baseRate: "0", slope1: "0.05", slope2: "1.5", targetUtilization: "0.9" };

const config: NetworkDeployConfig = {
  network: "mainnet",
  chainId: 1,
  local: false,
  assets: [
    {
      symbol: "USDC",
      token: { kind: "existing", address: "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48", decimals: 6 },
      feed: {
        kind: "existing",
        address: "0x8fFfFfd4AfB6115b954Bd326cbe7B4BA576818f6",
        decimals: 8,
        heartbeat: 86_400,
        description: "USDC / USD",
      },
      maxAgeMargin: 3_600,
      minPrice: "0.5",
      maxPrice: "2",
    },
    {
      symbol: "USDT",
      token: { kind: "existing", address: "0xdAC17F958D2ee523a2206206994597C13D831ec7", decimals: 6 },
      feed: {
        kind: "existing",
        address: "0x3E7d1eAB13ad0104d2750B8863b489D65364e32D",
        decimals: 8,
        heartbeat: 86_400,
        description: "USDT / USD",
      },
      maxAgeMargin: 3_600,
      minPrice: "0.5",
      maxPrice: "2",
    },
    {
      symbol: "WETH",
      token: { kind: "existing", address: "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2", decimals: 18 },
      feed: {
        kind: "existing",
        address: "0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419",
        decimals: 8,
        heartbeat: 3_600,
        description: "ETH / USD",
      },
      maxAgeMargin: 1_200,
      minPrice: "100",
      maxPrice: "100000",
    },
    {
      symbol: "WBTC",
      token: { kind: "existing", address: "0x2260FAC5E5542a773Aa44fBCfeDf7C193bc2C599", decimals: 8 },
      feed: {
        kind: "existing",
        address: "0xF4030086522a5bEEa4988F8cA5B36dbC97BeE88c",
        decimals: 8,
        heartbeat: 3_600,
        description: "BTC / USD",
      },
      maxAgeMargin: 1_200,
      minPrice: "1000",
      maxPrice: "2000000",
    },
  ],
  markets: [
    {
      loan: "USDC",
      collaterals: [
        { asset: "WETH", ltv: "0.8", liquidationThreshold: "0.83", liquidationBonus: "0.05", supplyCap: "20000" },
        { asset: "WBTC", ltv: "0.7", liquidationThreshold: "0.75", liquidationBonus: "0.07", supplyCap: "500" },
      ],
      supplyCap: "50000000",
      borrowCap: "40000000",
      minBorrow: "100",
      minLeftover: "50",
      reserveFactor: "0.1",
      insurancePremiumFactor: "0.05",
      rateModel: STABLE_RATES,
      insurance: { name: "Ballast Insurance USDC market 1", symbol: "bINS-USDC" },
      // USDC, WETH and WBTC have no fee or rebasing logic: pulls skip the fee-on-transfer check. USDC is an upgradeable
      // proxy: the guardian turns the check back on (setExactTransfers(id, false)) if an upgrade ever adds a fee.
      exactTransfers: true,
    },
    {
      loan: "USDT",
      collaterals: [
        { asset: "WETH", ltv: "0.8", liquidationThreshold: "0.83", liquidationBonus: "0.05", supplyCap: "20000" },
        { asset: "WBTC", ltv: "0.7", liquidationThreshold: "0.75", liquidationBonus: "0.07", supplyCap: "500" },
      ],
      supplyCap: "30000000",
      borrowCap: "25000000",
      minBorrow: "100",
      minLeftover: "50",
      reserveFactor: "0.1",
      insurancePremiumFactor: "0.05",
      rateModel: STABLE_RATES,
      insurance: { name: "Ballast Insurance USDT market 2", symbol: "bINS-USDT" },
      // No exactTransfers: USDT carries a fee switch (basisPointsRate, 0 today), so every pull keeps its check.
    },
    {
      loan: "WETH",
      collaterals: [
        { asset: "USDC", ltv: "0.8", liquidationThreshold: "0.85", liquidationBonus: "0.05", supplyCap: "50000000" },
        { asset: "WBTC", ltv: "0.7", liquidationThreshold: "0.75", liquidationBonus: "0.07", supplyCap: "500" },
      ],
      supplyCap: "30000",
      borrowCap: "20000",
      minBorrow: "0.05",
      minLeftover: "0.02",
      reserveFactor: "0.15",
      insurancePremiumFactor: "0.05",
      rateModel: { baseRate: "0", slope1: "0.03", slope2: "0.8", targetUtilization: "0.9" },
      insurance: { name: "Ballast Insurance WETH market 3", symbol: "bINS-WETH" },
      exactTransfers: true, // WETH, USDC and WBTC: plain tokens, as market 1
    },
  ],
  governance: governanceFromEnv(2 * 86_400),
  uniswap: {
    kind: "existing",
    source:
      "Uniswap docs, Ethereum Deployments (docs.uniswap.org/contracts/v3/reference/deployments/ethereum-deployments; github.com/Uniswap/docs content/protocols/v3/deployments/v3-ethereum-deployments.mdx)",
    factory: "0x1F98431c8aD98523631AE4a59f267346ea31F984",
    quoterV2: "0x61fFE014bA17989E743c5F6cB21bF9697530B21e",
    positionManager: "0xC36442b4a4522E871399CD717aBDD847Ab11FE88",
    swapRouter: "0xE592427A0AEce92De3Edee1F18E0157C05861564",
    pools: [
      { collateral: "WETH", loan: "USDC", fee: 500 },
      { collateral: "WBTC", loan: "USDC", fee: 3000 },
    ],
  },
};

export default config;
