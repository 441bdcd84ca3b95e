/**
 * The keeper's venue per network: a deployment file's `uniswap` section, else its network config's existing
 * Uniswap v3 (QuoterV2 and pools), as the flash mode's profit check quotes it.
 */
import { expect } from "chai";
import { JsonRpcProvider } from "ethers";
import type { Deployment } from "../../deployments/types";
import { poolFees, venueOf, venueQuote } from "../../keeper/venue";

const USDC = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48";
const WETH = "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2";
const file = (network: string, extra: Partial<Deployment> = {}) =>
  ({ network, chainId: 1, block: 1, contracts: { USDC, WETH }, markets: [], ...extra }) as unknown as Deployment;

describe("keeper venue: the QuoterV2 and pools of each network", function () {
  it("reads mainnet's QuoterV2 and pools from its config when the file predates the venue; Sepolia lists none", function () {
    const v = venueOf(file("mainnet"))!;
    expect(v.quoterV2).to.equal("0x61fFE014bA17989E743c5F6cB21bF9697530B21e");
    const fees = poolFees(file("mainnet"), v);
    expect(fees.get(`${WETH.toLowerCase()}/${USDC.toLowerCase()}`)).to.equal(500);
    expect(fees.get(`${USDC.toLowerCase()}/${WETH.toLowerCase()}`)).to.equal(500); // a pool serves both ways
    const provider = new JsonRpcProvider("http://127.0.0.1:1", 1, { staticNetwork: true });
    expect(venueQuote(provider, file("mainnet"))?.venue.quoterV2).to.equal(v.quoterV2);
    expect(venueOf(file("sepolia"))!.quoterV2).to.equal("0xEd1f6473345F45b75F8179591dd5bA1888cf2FB3");
    expect(venueQuote(provider, file("sepolia"))).to.equal(undefined); // no pool for Ballast's test tokens
    expect(venueOf(file("unknown-net"))).to.equal(undefined);
    provider.destroy();
  });

  it("prefers the deployment's own venue (what a local node's seeding wrote)", function () {
    const uniswap = { factory: "0x1", quoterV2: "0x2", pools: [{ collateral: "WETH", loan: "USDC", fee: 3000 }] };
    const d = file("localhost", { uniswap });
    expect(venueOf(d)).to.deep.equal(uniswap);
    expect(poolFees(d, uniswap).get(`${WETH.toLowerCase()}/${USDC.toLowerCase()}`)).to.equal(3000);
  });
});
