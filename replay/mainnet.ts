/**
 * Mainnet addresses and the code that works the same on a real mainnet fork and on the offline mainnet replica:
 * token balances written through storage (the balance slot is found by probing), and Chainlink feed proxies taken
 * over by impersonating their owner and pointing them at a replay aggregator.
 *
 * The replica: the same token and feed-proxy interfaces placed at the mainnet addresses with hardhat_setCode and
 * storage writes (OpenZeppelin ERC20 test tokens with the real decimals and symbols; a proxy with Chainlink's
 * owner/proposeAggregator/confirmAggregator interface), so the fork code path runs offline unchanged.
 */
import { ethers, type JsonRpcProvider, type Provider, type Signer } from "ethers";
import { MockERC20__factory, ReplicaAggregatorProxy__factory } from "../typechain-types";
import { MockV3Aggregator__factory } from "../typechain-types/factories/@chainlink/contracts/src/v0.8/tests/MockV3Aggregator__factory";
import mainnetConfig from "../deploy/config/mainnet";
import { installUniswapAt, type UniswapTargets } from "../deploy/uniswap/install";
import type { UniswapDeployment } from "../deploy/uniswap/contracts";

export const MAINNET = {
  tokens: {
    WETH: { address: "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2", decimals: 18, name: "Wrapped Ether" },
    WBTC: { address: "0x2260FAC5E5542a773Aa44fBCfeDf7C193bc2C599", decimals: 8, name: "Wrapped BTC" },
    USDC: { address: "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48", decimals: 6, name: "USD Coin" },
    USDT: { address: "0xdAC17F958D2ee523a2206206994597C13D831ec7", decimals: 6, name: "Tether USD" },
  },
  /** Chainlink EACAggregatorProxy addresses (8 decimals). WBTC is priced with BTC/USD (an assumption). */
  feeds: {
    "ETH/USD": "0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419",
    "BTC/USD": "0xF4030086522a5bEEa4988F8cA5B36dbC97BeE88c",
    "USDC/USD": "0x8fFfFfd4AfB6115b954Bd326cbe7B4BA576818f6",
    "USDT/USD": "0x3E7d1eAB13ad0104d2750B8863b489D65364e32D",
  },
} as const;

export type FeedName = keyof typeof MAINNET.feeds;
export type TokenName = keyof typeof MAINNET.tokens;

/** The owner the replica's proxies report (any address: the fork path reads owner() and impersonates it). */
export const REPLICA_PROXY_OWNER = "0x21f73D42Eb58Ba49dDB685dc29D3bF5c0f0373CA";

type Rpc = { send(method: string, params: unknown[]): Promise<unknown> };

const pad32 = (x: bigint) => ethers.zeroPadValue(ethers.toBeHex(x), 32);

/** Places the replica at the mainnet addresses on `provider` (a node's JSON-RPC or the in-process network). */
export async function installReplica(rpc: Rpc, deployer: Signer): Promise<void> {
  const provider = deployer.provider as Provider;
  const copy = async (from: string, to: string, slots: number) => {
    await rpc.send("hardhat_setCode", [to, await provider.getCode(from)]);
    for (let s = 0; s < slots; s++) {
      const v = await provider.getStorage(from, s);
      await rpc.send("hardhat_setStorageAt", [to, pad32(BigInt(s)), v]);
    }
  };
  for (const [symbol, t] of Object.entries(MAINNET.tokens)) {
    const tmp = await new MockERC20__factory(deployer).deploy(t.name, symbol, t.decimals);
    await tmp.waitForDeployment();
    await copy(await tmp.getAddress(), t.address, 6);
  }
  for (const proxy of Object.values(MAINNET.feeds)) {
    const agg = await new MockV3Aggregator__factory(deployer).deploy(8, 1n);
    await agg.waitForDeployment();
    const p = await new ReplicaAggregatorProxy__factory(deployer).deploy(REPLICA_PROXY_OWNER, await agg.getAddress());
    await p.waitForDeployment();
    await copy(await p.getAddress(), proxy, 3);
  }
}

/** Finds the storage slot of `token`'s balance mapping by probing (works for WETH, WBTC, USDC, USDT and OZ). */
export async function balanceSlot(rpc: Rpc, provider: Provider, token: string): Promise<number> {
  const probe = "0x00000000000000000000000000000000000b1a57";
  const erc20 = new ethers.Contract(token, ["function balanceOf(address) view returns (uint256)"], provider);
  for (let slot = 0; slot < 30; slot++) {
    const key = ethers.solidityPackedKeccak256(["uint256", "uint256"], [probe, slot]);
    const before = await provider.getStorage(token, key);
    await rpc.send("hardhat_setStorageAt", [token, key, pad32(123456789n)]);
    const bal = (await erc20.getFunction("balanceOf")(probe)) as bigint;
    await rpc.send("hardhat_setStorageAt", [token, key, before]);
    if (bal === 123456789n) return slot;
  }
  throw new Error(`balance slot of ${token} not found`);
}

/** Sets `holder`'s balance of `token` through storage (and the total supply is not touched). */
export async function setTokenBalance(rpc: Rpc, token: string, slot: number, holder: string, amount: bigint) {
  const key = ethers.solidityPackedKeccak256(["uint256", "uint256"], [holder, slot]);
  await rpc.send("hardhat_setStorageAt", [token, key, pad32(amount)]);
}

/**
 * Takes over a Chainlink feed proxy: impersonates its owner, proposes and confirms `aggregator`. Returns the
 * owner address. Works on the real EACAggregatorProxy and on the replica.
 */
export async function takeOverFeed(rpc: Rpc, provider: JsonRpcProvider | Provider, proxy: string, aggregator: string) {
  const p = new ethers.Contract(
    proxy,
    [
      "function owner() view returns (address)",
      "function proposeAggregator(address)",
      "function confirmAggregator(address)",
      "function aggregator() view returns (address)",
    ],
    provider,
  );
  const owner = (await p.getFunction("owner")()) as string;
  await rpc.send("hardhat_impersonateAccount", [owner]);
  await rpc.send("hardhat_setBalance", [owner, "0x" + (10n ** 20n).toString(16)]);
  const from = owner;
  const data1 = p.interface.encodeFunctionData("proposeAggregator", [aggregator]);
  const data2 = p.interface.encodeFunctionData("confirmAggregator", [aggregator]);
  for (const data of [data1, data2]) {
    const hash = (await rpc.send("eth_sendTransaction", [{ from, to: proxy, data, gas: "0x100000" }])) as string;
    const receipt = await (provider as Provider).getTransactionReceipt(hash); // automining dev node / fork
    if (!receipt || receipt.status !== 1) throw new Error(`take-over of ${proxy} failed`);
  }
  await rpc.send("hardhat_stopImpersonatingAccount", [owner]);
  return owner;
}

/**
 * Mainnet Uniswap v3 pools by collateral/loan/fee: the two deploy/config/mainnet.ts names, and USDC/USDT 0.05% (the
 * fork suite's USDC-depeg market). They are the factory's CREATE2 addresses: the replica's factory, placed at the real
 * address, creates its pools at these same addresses.
 */
export const MAINNET_POOLS: Record<string, string> = {
  "WETH/USDC/500": "0x88e6A0c2dDD26FEEb64F039a2c41296FcB3f5640",
  "WBTC/USDC/3000": "0x99ac8cA7087fA4A2A1FB6357269965A2014ABc35",
  "USDC/USDT/500": "0x7858E59e0C01EA06Df3aF3D20aC7B0003275D4Bf",
};

/** Uniswap v3's mainnet addresses, as deploy/config/mainnet.ts records them (from Uniswap's deployment docs). */
export function mainnetUniswap(): UniswapTargets {
  const u = mainnetConfig.uniswap;
  if (!u || u.kind !== "existing" || !u.swapRouter)
    throw new Error("deploy/config/mainnet.ts lacks the Uniswap addresses");
  return { factory: u.factory, router: u.swapRouter, positionManager: u.positionManager, quoter: u.quoterV2 };
}

/**
 * The replica's Uniswap v3: the published factory, SwapRouter, NonfungiblePositionManager and QuoterV2 bytecode
 * placed at their real mainnet addresses, the periphery built against the real factory address and WETH (so the
 * pools the factory creates sit at their real mainnet addresses). No pool is created here.
 */
export async function installUniswapReplica(rpc: Rpc, deployer: Signer): Promise<UniswapDeployment> {
  return installUniswapAt(rpc, deployer, mainnetUniswap(), MAINNET.tokens.WETH.address);
}
