/**
 * What a person typing commands meets, against the shared seeded local node: the ballast:* tasks' bad inputs (one
 * line, exit code 1, no stack trace), the asset in any case and the out-of-bounds warning, the in-process note,
 * `npm run node` on a taken port, `npm run deploy:local` over a live deployment, `npm run demo -- --borrowers abc`,
 * and the one seeded account left without approvals.
 */
import { expect } from "chai";
import fs from "node:fs";
import net from "node:net";
import { Contract, JsonRpcProvider, MaxUint256 } from "ethers";
import { freePort } from "../../scripts/lib/deploy-node";
import { readDeployment } from "../../scripts/lib/deploy-output";
import { UNAPPROVED_ACCOUNT } from "../../scripts/lib/deploy-seed";
import { assetSymbol, parsePrice } from "../../tasks/ballast";
import { seededNode, run, hardhat, errLines } from "../helpers/local-node";

describe("CLI inputs: tasks, node, deploy:local and demo refuse bad input in one line", function () {
  it("ballast:* tasks on localhost: a bad price, an unknown market, any-case asset with an out-of-bounds warning", async function () {
    const { env, dir, node } = await seededNode();
    const bad = await hardhat(
      ["ballast:set-price", "--asset", "weth", "--price", "abc", "--network", "localhost"],
      env,
    );
    expect(bad.code).to.equal(1);
    expect(errLines(bad.stderr)).to.deep.equal([
      "Error: --price abc is not a number (USD per whole WETH, e.g. 2500.5)",
    ]);
    const market = await hardhat(["ballast:solvency", "--market", "9", "--network", "localhost"], env);
    expect(market.code).to.equal(1);
    expect(errLines(market.stderr)).to.deep.equal(["Error: unknown --market 9: localhost has markets 1, 2"]);

    const d = readDeployment("localhost", dir);
    const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true });
    const feed = new Contract(d.contracts.WBTCPriceFeed!, ["function latestAnswer() view returns (int256)"], provider);
    const low = await hardhat(["ballast:set-price", "--asset", "wbtc", "--price", "50", "--network", "localhost"], env);
    expect(low.code, low.stderr).to.equal(0);
    expect(low.stdout).to.contain("WBTC/USD feed");
    expect(low.stdout).to.match(/warning: 50\.00 USD is outside the WBTC adapter's bounds \[100\.00, 2,000,000\.00\]/);
    expect(await feed.getFunction("latestAnswer")()).to.equal(50n * 10n ** 8n);
    const back = await hardhat(
      ["ballast:set-price", "--asset", "WBTC", "--price", "60000", "--network", "localhost"],
      env,
    );
    expect(back.code, back.stderr).to.equal(0);
    expect(back.stdout).not.to.contain("warning");
    expect(await feed.getFunction("latestAnswer")()).to.equal(60_000n * 10n ** 8n);
    provider.destroy();
  });

  it("price and asset parsing: too many decimals, unknown asset listing the known ones", function () {
    expect(parsePrice("2500.5", 8, "WETH")).to.equal(250_050_000_000n);
    expect(() => parsePrice("1.123456789", 8, "WETH")).to.throw(
      "--price 1.123456789 has 9 decimals; the WETH feed has 8",
    );
    expect(() => parsePrice("-3", 8, "WETH")).to.throw("--price -3 is not a number");
    const d = { contracts: { USDCPriceFeed: "0x1", WETHPriceFeed: "0x2" } } as never;
    expect(assetSymbol(d, "weth")).to.equal("WETH");
    expect(() => assetSymbol(d, "doge")).to.throw("unknown --asset doge: known assets are USDC, WETH");
  });

  it("a task without --network says it ran on Hardhat's empty in-process chain", async function () {
    const r = await hardhat(["ballast:markets"], {});
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.contain("no --network, so this ran on Hardhat's in-process chain");
  });

  it("npm run node on a taken port stops with a message and deploys nothing", async function () {
    const port = await freePort();
    const taken = net.createServer().listen(port, "127.0.0.1");
    try {
      const r = await run("npm", ["run", "--silent", "node"], { BALLAST_NODE_PORT: String(port) });
      expect(r.code).to.equal(1);
      expect(errLines(r.stderr)).to.deep.equal([
        `node: port ${port} on 127.0.0.1 is already in use (another \`npm run node\`?): stop it, or start this one on another port with BALLAST_NODE_PORT=8546 npm run node. Nothing was deployed.`,
      ]);
    } finally {
      taken.close();
    }
  });

  it("npm run deploy:local refuses to replace a live deployment unless --fresh; the file is unchanged", async function () {
    const { env, dir } = await seededNode();
    const before = fs.readFileSync(`${dir}/localhost.json`, "utf8");
    const r = await run("npm", ["run", "--silent", "deploy:local"], env);
    expect(r.code).to.equal(1);
    const d = JSON.parse(before) as { contracts: { BallastCore: string } };
    expect(errLines(r.stderr)).to.deep.equal([
      `deployments/localhost.json already points at a live Ballast core ${d.contracts.BallastCore} (chain 31337, block ${JSON.parse(before).block}); deploying again would create a second protocol and overwrite that file. Nothing was sent. To deploy a new one anyway: --fresh (or BALLAST_FRESH=1).`,
    ]);
    expect(fs.readFileSync(`${dir}/localhost.json`, "utf8")).to.equal(before);
  });

  it("npm run demo -- --borrowers abc is refused before anything runs", async function () {
    const r = await run("npm", ["run", "--silent", "demo", "--", "--borrowers", "abc"]);
    expect(r.code).to.equal(1);
    expect(errLines(r.stderr)).to.deep.equal([
      'demo: --borrowers (BORROWERS) must be a positive whole number, got "abc"',
    ]);
  });

  it("the seeded node leaves account #3 without approvals (the others approved the core)", async function () {
    const { node, dir } = await seededNode();
    const d = readDeployment("localhost", dir);
    const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true });
    const accounts = (await provider.send("eth_accounts", [])) as string[];
    const usdc = new Contract(
      d.contracts.USDC!,
      [
        "function allowance(address,address) view returns (uint256)",
        "function balanceOf(address) view returns (uint256)",
      ],
      provider,
    );
    const core = d.contracts.BallastCore!;
    expect(await usdc.getFunction("allowance")(accounts[UNAPPROVED_ACCOUNT]!, core)).to.equal(0n);
    expect(await usdc.getFunction("balanceOf")(accounts[UNAPPROVED_ACCOUNT]!)).to.equal(1_000_000n * 10n ** 6n);
    expect(await usdc.getFunction("allowance")(accounts[2]!, core)).to.equal(MaxUint256);
    provider.destroy();
  });
});
