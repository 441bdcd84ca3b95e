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
}
