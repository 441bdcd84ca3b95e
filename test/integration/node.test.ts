/**
 * The localhost path against a real Hardhat node started by the test: `npx hardhat node` on a free port of
 * 127.0.0.1, `scripts/deploy.ts --network localhost` (what `npm run deploy:local` runs), a view read over
 * JSON-RPC, an operator task over the same node, then the node is stopped.
 */
import { expect } from "chai";
import { JsonRpcProvider } from "ethers";
import { readDeployment } from "../../scripts/lib/deploy-output";
import { BallastCore__factory, BallastLens__factory } from "../../typechain-types";
import { DEFAULT_ADMIN_ROLE } from "../../deploy/modules/Ballast";
import { seededNode, run } from "../helpers/local-node";

describe("Local node deployment (localhost path)", function () {
  it("deploys to a running node, writes deployments/localhost.json and serves views", async function () {
    const { node, dir, deploy, env } = await seededNode();
    const url = node.url;
    expect(deploy.code, deploy.output).to.equal(0);
    expect(deploy.output).to.contain("Ballast on localhost (chain id 31337)");
    const d = readDeployment("localhost", dir);
    expect(d.chainId).to.equal(31337);

    const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true });
    const core = BallastCore__factory.connect(d.contracts.BallastCore!, provider);
    expect(await core.marketCount()).to.equal(2n);
    expect(await core.hasRole(DEFAULT_ADMIN_ROLE, d.contracts.TimelockController!)).to.equal(true);
    expect(await core.hasRole(DEFAULT_ADMIN_ROLE, d.deployer)).to.equal(false);
    const lens = BallastLens__factory.connect(d.contracts.BallastLens!, provider);
    const m = await lens.market(1);
    expect(m.loanToken).to.equal(d.contracts.USDC);
    expect(m.totalSupplyAssets).to.be.greaterThanOrEqual(500_000n * 10n ** 6n); // seeded supplier
    expect(m.loanOracle.valid).to.equal(true);
    provider.destroy();

    const task = await run("npx", ["hardhat", "ballast:markets", "--network", "localhost"], env);
    expect(task.code, task.stdout + task.stderr).to.equal(0);
    expect(task.stdout).to.match(/1\s+USDC\s+500,000\.\d\d/);
  });
});
