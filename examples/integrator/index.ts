/**
 * A dApp's first read of Ballast through the published package with ethers v6: the deployment (from a local node's
 * deployments folder, or the package's address book), the ABIs, the TypeChain factories and the SDK client, over any
 * JSON-RPC node (RPC_URL, default http://127.0.0.1:8545; DEPLOYMENTS_DIR, the folder `npm run node` writes into).
 * Prints one JSON line (the package test parses it).
 */
import { Contract, JsonRpcProvider } from "ethers";
import {
  abis,
  getDeployment,
  parseDeployment,
  BallastClient,
  BallastLens__factory,
  type BallastLens,
  WAD,
} from "@ballast/protocol";

async function main(): Promise<void> {
  const provider = new JsonRpcProvider(process.env.RPC_URL ?? "http://127.0.0.1:8545");
  const { chainId } = await provider.getNetwork();

  // 1. Addresses: this chain's deployment (a local node's folder first, then the package's address book).
  const dir = process.env.DEPLOYMENTS_DIR;
  const deployment = getDeployment(chainId, dir ? { dir } : {});
  const lensAddress = deployment.contracts.BallastLens;
  const coreAddress = deployment.contracts.BallastCore;
  if (!lensAddress || !coreAddress) throw new Error("incomplete deployment");

  // 2. ABIs: a plain ethers Contract.
  const core = new Contract(coreAddress, abis.BallastCore, provider);
  const marketCount = (await core.getFunction("marketCount")()) as bigint;

  // 3. TypeChain types: a typed lens call.
  const lens: BallastLens = BallastLens__factory.connect(lensAddress, provider);
  const market = await lens.market(1n);

  // 4. The SDK client.
  const client = BallastClient.fromAddresses(parseDeployment(deployment, deployment.network), provider);
  const viaSdk = await client.readMarket(1n);

  console.log(
    JSON.stringify({
      chainId: chainId.toString(),
      network: deployment.network,
      marketCount: marketCount.toString(),
      loanToken: market.loanToken,
      sdkLoanToken: viaSdk.loanToken,
      totalSupplyAssets: market.totalSupplyAssets.toString(),
      wad: WAD.toString(),
    }),
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
