/**
 * The real Uniswap v3 contracts, deployed from the bytecode the npm packages publish (@uniswap/v3-core 1.0.1:
 * factory and pool; @uniswap/v3-periphery 1.4.4: SwapRouter, NonfungiblePositionManager, QuoterV2). That bytecode
 * is mainnet's; the periphery's PoolAddress.POOL_INIT_CODE_HASH equals keccak256 of the core's pool creation code
 * (checked by `checkInitCodeHash`, and by test/unit/uniswap-swapper.test.ts).
 */
import { Contract, ContractFactory, keccak256, type ContractRunner, type InterfaceAbi, type Signer } from "ethers";
import fs from "node:fs";
import path from "node:path";

interface Artifact {
  abi: InterfaceAbi;
  bytecode: string;
}

/** The pool init code hash hard-coded in v3-periphery 1.4.4's PoolAddress library. */
export const POOL_INIT_CODE_HASH = "0xe34f199b19b2b4f47f68442619d555527d244f78a3297ea89325f843f87b8b54";

const ARTIFACTS = {
  factory: "@uniswap/v3-core/artifacts/contracts/UniswapV3Factory.sol/UniswapV3Factory.json",
  pool: "@uniswap/v3-core/artifacts/contracts/UniswapV3Pool.sol/UniswapV3Pool.json",
  router: "@uniswap/v3-periphery/artifacts/contracts/SwapRouter.sol/SwapRouter.json",
  positionManager:
    "@uniswap/v3-periphery/artifacts/contracts/NonfungiblePositionManager.sol/NonfungiblePositionManager.json",
  quoter: "@uniswap/v3-periphery/artifacts/contracts/lens/QuoterV2.sol/QuoterV2.json",
} as const;

const cache = new Map<string, Artifact>();

/** One of the published Uniswap artifacts. */
export function uniswapArtifact(name: keyof typeof ARTIFACTS): Artifact {
  const hit = cache.get(name);
  if (hit) return hit;
  const file = require.resolve(ARTIFACTS[name]);
  const a = JSON.parse(fs.readFileSync(path.resolve(file), "utf8")) as Artifact;
  cache.set(name, a);
  return a;
}

/** Throws unless the periphery's pool address derivation matches the core's pool bytecode. */
export function checkInitCodeHash(): void {
  const got = keccak256(uniswapArtifact("pool").bytecode);
  if (got !== POOL_INIT_CODE_HASH)
    throw new Error(`Uniswap pool init code hash ${got} differs from the periphery's ${POOL_INIT_CODE_HASH}`);
}

/** A Uniswap contract at `address` with its published ABI. */
export function uniswapAt(name: keyof typeof ARTIFACTS, address: string, runner?: ContractRunner): Contract {
  return new Contract(address, uniswapArtifact(name).abi, runner);
}

export interface UniswapDeployment {
  factory: string;
  router: string;
  positionManager: string;
  quoter: string;
  /** The WETH9 address the periphery was built with (only used for ETH wrapping, which Ballast does not use). */
  weth9: string;
}

async function deployOne(name: keyof typeof ARTIFACTS, signer: Signer, args: unknown[]): Promise<string> {
  const a = uniswapArtifact(name);
  const c = await new ContractFactory(a.abi, a.bytecode, signer).deploy(...args);
  await c.waitForDeployment();
  return c.getAddress();
}

/**
 * Deploys factory, SwapRouter, NonfungiblePositionManager and QuoterV2. `weth9` may be any non-zero address
 * (the network's WETH where there is one); `descriptor` is the NFT descriptor (default: `weth9`, a placeholder:
 * tokenURI is never called here).
 */
export async function deployUniswap(signer: Signer, weth9: string, descriptor?: string): Promise<UniswapDeployment> {
  checkInitCodeHash();
  const factory = await deployOne("factory", signer, []);
  const router = await deployOne("router", signer, [factory, weth9]);
  const positionManager = await deployOne("positionManager", signer, [factory, weth9, descriptor ?? weth9]);
  const quoter = await deployOne("quoter", signer, [factory, weth9]);
  return { factory, router, positionManager, quoter, weth9 };
}
