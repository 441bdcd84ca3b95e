/** The shape of deployments/<network>.json, written by every Ballast deployment and shipped in the package. */
export interface DeploymentMarket {
  /** The market id in BallastCore. */
  id: number;
  /** Loan asset symbol (a key of `contracts`). */
  loan: string;
  /** Collateral symbols, in collateral index order. */
  collaterals: string[];
  /** Name of the market's insurance fund in `contracts`. */
  insuranceFund: string;
}

/** The Uniswap v3 venue the keeper's flash liquidations sell on and quote (QuoterV2), with its pools. */
export interface DeploymentVenue {
  factory: string;
  quoterV2: string;
  /** Each pool by asset symbols (keys of `contracts`) and fee tier (hundredths of a bip); a pool serves both ways. */
  pools: { collateral: string; loan: string; fee: number }[];
}

export interface Deployment {
  network: string;
  chainId: number;
  /** A block at or before the core's deployment: where an indexer starts. */
  block: number;
  /** Contract name to address: BallastCore, BallastLens, TimelockController, ConfigLogic, LiquidationLogic,
   * <SYMBOL> (token), <SYMBOL>PriceFeed, <SYMBOL>PriceAdapter, InsuranceFund<N>. */
  contracts: Record<string, string>;
  markets: DeploymentMarket[];
  governance: { timelock: string; riskAdmins: string[]; guardians: string[] };
  deployer: string;
  deployedAt: string;
  /** Where the keeper sells seized collateral (absent when the network has no venue configured). */
  uniswap?: DeploymentVenue;
}
