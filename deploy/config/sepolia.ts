/**
 * Sepolia: test tokens deployed by the module (6-decimal USDC-like, 18-decimal WETH-like, 8-decimal WBTC-like),
 * priced by Chainlink's real Sepolia feeds. Feed addresses: ETH/USD and BTC/USD appear in Chainlink's own
 * documentation samples (smartcontractkit/documentation: public/samples/DataFeeds/HistoricalDataConsumer.sol and
 * DataConsumerV3.sol); USDC/USD is the address used across public Sepolia integrations.
 * Chainlink does not publish Sepolia heartbeats in those sources, so the margins are generous and validation reads
 * each feed's decimals, description and latest round on chain before anything is sent.
 * Governance: BALLAST_PROPOSERS, BALLAST_EXECUTORS (default: proposers), BALLAST_RISK_ADMINS, BALLAST_GUARDIANS.
 */
import type { NetworkDeployConfig } from "./types";
import { LOCAL_MARKETS } from "./local";
import { governanceFromEnv } from "./env";

const config: NetworkDeployConfig = {
  network: "sepolia",
  chainId: 11155111,
  local: false,
  assets: [
    {
      symbol: "USDC",
      token: { kind: "mock", name: "Ballast Test USD Coin", decimals: 6 },
      feed: {
        kind: "existing",
        address: "0xA2F78ab2355fe2f984D808B5CeE7FD0A93D5270E",
        decimals: 8,
        heartbeat: 86_400,
        description: "USDC / USD",
      },
      maxAgeMargin: 7_200,
      minPrice: "0.5",
      maxPrice: "2",
    },
    {
      symbol: "WETH",
      token: { kind: "mock", name: "Ballast Test Wrapped Ether", decimals: 18 },
      feed: {
        kind: "existing",
        address: "0x694AA1769357215DE4FAC081bf1f309aDC325306",
        decimals: 8,
        heartbeat: 3_600,
        description: "ETH / USD",
      },
      maxAgeMargin: 7_200,
      minPrice: "10",
      maxPrice: "100000",
    },
    {
      symbol: "WBTC",
      token: { kind: "mock", name: "Ballast Test Wrapped Bitcoin", decimals: 8 },
      feed: {
        kind: "existing",
        address: "0x1b44F3514812d835EB1BDB0acB33d3fA3351Ee43",
        decimals: 8,
        heartbeat: 3_600,
        description: "BTC / USD",
      },
      maxAgeMargin: 7_200,
      minPrice: "100",
      maxPrice: "2000000",
    },
  ],
  markets: LOCAL_MARKETS,
  governance: governanceFromEnv(3_600),
};

export default config;
