/**
 * Places the published Uniswap v3 contracts (factory, SwapRouter, NonfungiblePositionManager, QuoterV2) at given
 * addresses on a development chain (hardhat_setCode), e.g. at their real mainnet addresses on the offline mainnet
 * replica. Each contract is first deployed normally, so its real constructor runs with the real arguments; then its
 * runtime code (immutables included) and every storage slot its constructor wrote (read from the deployment's
 * trace, debug_traceTransaction) are copied to the target address. An immutable holding the contract's own address
 * (NoDelegateCall's `original` in the factory: createPool checks `address(this) == original`) is rewritten to the
 * target address in the copied code.
 *
 * The factory is placed first and the periphery is built with the TARGET factory address and WETH9, so the pool
 * addresses the periphery derives (CREATE2 from the factory address and POOL_INIT_CODE_HASH) and the pools the
 * placed factory creates are the ones the real factory would create: the real pool addresses.
 */
import { ContractFactory, zeroPadValue, type Signer } from "ethers";
import { checkInitCodeHash, uniswapArtifact, type UniswapDeployment } from "./contracts";

/** A JSON-RPC endpoint (the in-process network or a node's provider). */
export interface Rpc {
  send(method: string, params: unknown[]): Promise<unknown>;
}

/** Where each contract goes. */
export interface UniswapTargets {
  factory: string;
  router: string;
  positionManager: string;
  quoter: string;
}

interface StructLog {
  op: string;
  depth: number;
  stack?: string[];
}

/** The (slot, value) pairs a contract creation wrote to the created contract's own storage, in order. */
async function constructorWrites(rpc: Rpc, txHash: string): Promise<[string, string][]> {
  const trace = (await rpc.send("debug_traceTransaction", [
    txHash,
    { disableMemory: true, disableStorage: true, disableStack: false },
  ])) as { structLogs: StructLog[] };
  const writes: [string, string][] = [];
  for (const l of trace.structLogs) {
    if (l.op !== "SSTORE" || l.depth !== 1 || !l.stack || l.stack.length < 2) continue;
    const word = (x: string) => zeroPadValue("0x" + x.replace(/^0x/, "").padStart(64, "0"), 32);
    writes.push([word(l.stack[l.stack.length - 1]!), word(l.stack[l.stack.length - 2]!)]);
  }
  return writes;
}

/** Deploys `name` with `args`, then copies its runtime code and constructor storage to `target`. */
async function placeAt(
  rpc: Rpc,
  signer: Signer,
  name: Parameters<typeof uniswapArtifact>[0],
  args: unknown[],
  target: string,
) {
  const a = uniswapArtifact(name);
  const c = await new ContractFactory(a.abi, a.bytecode, signer).deploy(...args);
  await c.waitForDeployment();
  const tx = c.deploymentTransaction();
  if (!tx) throw new Error(`no deployment transaction for Uniswap ${name}`);
  const provider = signer.provider;
  if (!provider) throw new Error("the signer needs a provider");
  const self = (await c.getAddress()).toLowerCase().slice(2);
  const code = (await provider.getCode(await c.getAddress())).toLowerCase();
  await rpc.send("hardhat_setCode", [target, code.split(self).join(target.toLowerCase().slice(2))]);
  for (const [slot, value] of await constructorWrites(rpc, tx.hash)) {
    await rpc.send("hardhat_setStorageAt", [target, slot, value]);
  }
}

/**
 * Places factory, SwapRouter, NonfungiblePositionManager (the NFT descriptor: `weth9`, a placeholder, tokenURI is
 * never called) and QuoterV2 at `targets`, the periphery built against `targets.factory` and `weth9`.
 */
export async function installUniswapAt(
  rpc: Rpc,
  signer: Signer,
  targets: UniswapTargets,
  weth9: string,
): Promise<UniswapDeployment> {
  checkInitCodeHash();
  await placeAt(rpc, signer, "factory", [], targets.factory);
  await placeAt(rpc, signer, "router", [targets.factory, weth9], targets.router);
  await placeAt(rpc, signer, "positionManager", [targets.factory, weth9, weth9], targets.positionManager);
  await placeAt(rpc, signer, "quoter", [targets.factory, weth9], targets.quoter);
  return { ...targets, weth9 };
}
