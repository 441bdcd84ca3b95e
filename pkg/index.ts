/**
 * @ballast/protocol: what a dApp, wallet or keeper imports.
 * - the SDK (sdk/): pure bigint math mirroring the contracts, BallastClient, revert decoding, address helpers;
 * - the TypeChain contract types and factories of the protocol's contracts (re-exported by the SDK; no mocks);
 * - `abis` and `<contract>Abi`: each contract's ABI `as const` (also alone, without ethers: `@ballast/protocol/abis`);
 * - `deployments`: the address book per chain id, as built into this package (see deployments/<network>.json);
 *   `getDeployment(chainId, { dir })` also reads a local node's deployments folder.
 */
export * from "../sdk";
export * from "./abis";
export { deployments, getDeployment, ballastAddress, readDeploymentsDir } from "../deployments";
export type { Deployment, DeploymentMarket, GetDeploymentOptions } from "../deployments";
