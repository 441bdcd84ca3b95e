/**
 * Batch reads through the ReplayReader contract (contracts/mocks/ReplayReader.sol): many view calls on one
 * target in one eth_call (in chunks), so the replay reads every position or every holder's balance with one
 * request per block instead of one per borrower.
 */
import { Interface, type Signer } from "ethers";
import { ReplayReader__factory } from "../../typechain-types";
import { rpc } from "../util";

/** View calls per eth_call: keeps each well under the block gas limit. */
const CHUNK = 400;
const IFACE = new Interface(["function read(address target, bytes[] calls) view returns (bytes[] results)"]);

/** Deploys the reader (once per world). */
export async function deployReader(deployer: Signer): Promise<string> {
  const r = await new ReplayReader__factory(deployer).deploy();
  await r.waitForDeployment();
  return r.getAddress();
}

/** The raw return data of each call on `target`, in order, at `blockTag`. */
export async function batchRead(
  reader: string,
  target: string,
  calls: string[],
  blockTag: string | number = "latest",
): Promise<string[]> {
  const tag = typeof blockTag === "number" ? "0x" + blockTag.toString(16) : blockTag;
  const out: string[] = [];
  for (let i = 0; i < calls.length; i += CHUNK) {
    const data = IFACE.encodeFunctionData("read", [target, calls.slice(i, i + CHUNK)]);
    const ret = (await rpc("eth_call", [{ to: reader, data }, tag])) as string;
    out.push(...(IFACE.decodeFunctionResult("read", ret)[0] as string[]));
  }
  return out;
}

/** Sum of `token.balanceOf(h)` over the holders. */
export async function sumBalances(reader: string, token: string, holders: string[]): Promise<bigint> {
  const erc20 = new Interface(["function balanceOf(address) view returns (uint256)"]);
  const rets = await batchRead(
    reader,
    token,
    holders.map((h) => erc20.encodeFunctionData("balanceOf", [h])),
  );
  return rets.reduce((s, r) => s + BigInt(r), 0n);
}
