/**
 * Shared configuration of the local networks (embedded `hardhat` and a `localhost` node): test tokens, Chainlink
 * MockV3Aggregator feeds at realistic prices, decimals and heartbeats, and two markets. Governance roles go to
 * Hardhat's well-known test accounts #1 to #3 (never the deployer, account #0).
 */
import type { AssetConfig, MarketConfig, NetworkDeployConfig } from "./types";

/** Hardhat's default test accounts (public, from the mnemonic "test test ... junk"). */
export const HARDHAT_ACCOUNTS = {
  deployer: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
  governance: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  risk: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
  guardian: "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
} as const;

export const LOCAL_ASSETS: AssetConfig[] = [
  {
    symbol: "USDC",
    token: { kind: "mock", name: "Test USD Coin", decimals: 6 },
    feed: { kind: "mock", decimals: 8, price: "1", heartbeat: 86_400 },
    maxAgeMargin: 3_600,
    minPrice: "0.5",
    maxPrice: "2",
  },
  {
    symbol: "WETH",
    token: { kind: "mock", name: "Test Wrapped Ether", decimals: 18 },
    feed: { kind: "mock", decimals: 8, price: "3000", heartbeat: 3_600 },
    maxAgeMargin: 1_800,
    minPrice: "10",
    maxPrice: "100000",
  },
  {
    symbol: "WBTC",
    token: { kind: "mock", name: "Test Wrapped Bitcoin", decimals: 8 },
    feed: { kind: "mock", decimals: 8, price: "60000", heartbeat: 3_600 },
    maxAgeMargin: 1_800,
    minPrice: "100",
    maxPrice: "2000000",
  },
];

export const LOCAL_MARKETS: MarketConfig[] = [
  {
    loan: "USDC",
    collaterals: [
      { asset: "WETH", ltv: "0.8", liquidationThreshold: "0.85", liquidationBonus: "0.05", supplyCap: "max" },
      { asset: "WBTC", ltv: "0.75", liquidationThreshold: "0.8", liquidationBonus: "0.07", supplyCap: "max" },
    ],
    supplyCap: "max",
    borrowCap: "max",
    minBorrow: "10",
    minLeftover: "10",
    reserveFactor: "0.1",
    insurancePremiumFactor: "0.05",
    rateModel: { baseRate: "0", slope1: "0.04", slope2: "3", targetUtilization: "0.8" },
    insurance: { name: "Ballast Insurance USDC market 1", symbol: "bINS-USDC" },
  },
  {
    loan: "WETH",
    collaterals: [
      { asset: "WBTC", ltv: "0.7", liquidationThreshold: "0.75", liquidationBonus: "0.08", supplyCap: "max" },
      { asset: "USDC", ltv: "0.8", liquidationThreshold: "0.85", liquidationBonus: "0.05", supplyCap: "max" },
    ],
    supplyCap: "max",
    borrowCap: "max",
    minBorrow: "0.005",
    minLeftover: "0.005",
    reserveFactor: "0.15",
    insurancePremiumFactor: "0.05",
    rateModel: { baseRate: "0", slope1: "0.03", slope2: "1", targetUtilization: "0.9" },
    insurance: { name: "Ballast Insurance WETH market 2", symbol: "bINS-WETH" },
  },
];

export function localConfig(network: string): NetworkDeployConfig {
  return {
    network,
    chainId: 31337,
    local: true,
    assets: LOCAL_ASSETS,
    markets: LOCAL_MARKETS,
    governance: {
      timelockMinDelay: 300,
      proposers: [HARDHAT_ACCOUNTS.governance],
      executors: [HARDHAT_ACCOUNTS.governance],
      riskAdmins: [HARDHAT_ACCOUNTS.risk],
      guardians: [HARDHAT_ACCOUNTS.guardian],
    },
    // Seeded by `npm run node` (BALLAST_SEED=1) so the keeper's flash mode has a venue: depths are test figures.
    // A pool serves both directions: market 2's USDC collateral sells through the WETH/USDC pool.
    uniswap: {
      kind: "deploy",
      pools: [
        { collateral: "WETH", loan: "USDC", fee: 500, depthUsd2Pct: 2_000_000 },
        { collateral: "WBTC", loan: "USDC", fee: 3000, depthUsd2Pct: 1_000_000 },
        { collateral: "WBTC", loan: "WETH", fee: 3000, depthUsd2Pct: 500_000 },
      ],
    },
  };
}
