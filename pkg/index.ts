/**
 * @ballast/protocol: what a dApp, wallet or keeper imports.
 * - the SDK (sdk/): pure bigint math mirroring the contracts, BallastClient, revert decoding, address helpers;
 * - the TypeChain contract types and factories (re-exported by the SDK);
 * - `abis`: the ABI of each contract an integrator calls;
 * - `deployments`: the address book per chain id, as built into this package (see deployments/<network>.json).
 */
import {
  BallastCore__factory,
  BallastLens__factory,
  ChainlinkPriceAdapter__factory,
  IBallastCore__factory,
  IPriceAdapter__factory,
  InsuranceFund__factory,
  ERC20__factory,
} from "../typechain-types";

export * from "../sdk";
export { deployments, getDeployment, ballastAddress } from "../deployments";
export type { Deployment, DeploymentMarket } from "../deployments";

/** ABIs (ethers/viem-compatible JSON fragments) of the contracts integrators call. */
export const abis = {
  BallastCore: BallastCore__factory.abi,
  IBallastCore: IBallastCore__factory.abi,
  BallastLens: BallastLens__factory.abi,
  InsuranceFund: InsuranceFund__factory.abi,
  ChainlinkPriceAdapter: ChainlinkPriceAdapter__factory.abi,
  IPriceAdapter: IPriceAdapter__factory.abi,
  ERC20: ERC20__factory.abi,
} as const;
