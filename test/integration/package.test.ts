/**
 * The published package from a separate project: a bare `npm pack` (its `prepack` builds dist/), the tarball's
 * contents (dist/ shipped, no test mocks), the tarball installed into a fresh copy of examples/integrator in a
 * temporary folder, both examples type-checked against the shipped types and run against the shared local node:
 * ethers (address book from the node's deployments folder, ABIs, TypeChain, SDK client) and viem
 * (`@ballast/protocol/abis` `as const`, a revert decoded with the core's ABI alone). `@ballast/protocol/abis` and
 * `/deployments` load without ethers.
 */
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { JsonRpcProvider } from "ethers";
import { readDeployment } from "../../scripts/lib/deploy-output";
import { BallastLens__factory } from "../../typechain-types";
import { seededNode, run, ROOT } from "../helpers/local-node";

async function ok(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<string> {
  const r = await run(cmd, args, env, cwd);
  expect(r.code, `${cmd} ${args.join(" ")}\n${r.stdout}\n${r.stderr}`).to.equal(0);
  return r.stdout;
}
const lastJson = (out: string) => JSON.parse(out.trim().split("\n").pop()!) as Record<string, unknown>;

/** Fails if the script loads ethers (a Module._load hook), else prints what it printed. */
const WITHOUT_ETHERS = `const M = require("module"); const load = M._load;
M._load = function (r, ...a) { if (r === "ethers" || r.startsWith("ethers/")) throw new Error("ethers was loaded"); return load.call(this, r, ...a); };
const a = require("@ballast/protocol/abis"); const d = require("@ballast/protocol/deployments");
console.log(JSON.stringify({ abis: ["BallastCore", "BallastLens", "IBallastCore", "InsuranceFund", "ERC20"].every((k) => k in a.abis), core: a.ballastCoreAbi.length > 0, book: typeof d.getDeployment }));`;

describe("Package: npm pack installed in a fresh project, used with ethers and with viem", function () {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ballast-pack-test-"));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("a bare npm pack ships dist/ without mocks; the examples type-check and read a local node through it", async function () {
    const [{ node, dir }, packOut] = await Promise.all([
      seededNode(),
      ok("npm", ["pack", "--pack-destination", tmp, "--silent"], ROOT),
    ]);
    const tarball = path.join(tmp, packOut.trim().split("\n").pop()!.trim());
    const files = (await ok("tar", ["tzf", tarball], ROOT)).split("\n");
    for (const f of [
      "dist/pkg/index.js",
      "dist/pkg/abis.d.ts",
      "dist/sdk/contracts.d.ts",
      "dist/deployments/book.json",
    ]) {
      expect(files, f).to.include(`package/${f}`);
    }
    expect(files.filter((f) => /mock/i.test(f))).to.deep.equal([]);

    const example = path.join(tmp, "example");
    fs.cpSync(path.join(ROOT, "examples", "integrator"), example, { recursive: true });
    const pj = JSON.parse(fs.readFileSync(path.join(example, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    pj.dependencies["@ballast/protocol"] = `file:${tarball}`;
    fs.writeFileSync(path.join(example, "package.json"), JSON.stringify(pj, null, 2));
    await ok(
      "npm",
      ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"],
      example,
    );
    await ok(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.json"], example);

    const env = { RPC_URL: node.url, DEPLOYMENTS_DIR: dir };
    const d = readDeployment("localhost", dir);
    const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true });
    const supplied = (await BallastLens__factory.connect(d.contracts.BallastLens!, provider).market(1))
      .totalSupplyAssets;
    provider.destroy();
    expect(lastJson(await ok(process.execPath, ["dist/index.js"], example, env))).to.deep.include({
      chainId: "31337",
      network: "localhost",
      marketCount: "2",
      loanToken: d.contracts.USDC,
      sdkLoanToken: d.contracts.USDC,
      wad: (10n ** 18n).toString(),
    });
    const viem = lastJson(await ok(process.execPath, ["dist/viem.mjs"], example, env));
    expect(viem).to.deep.include({ chainId: "31337", marketCount: "2", loanToken: d.contracts.USDC });
    expect(BigInt(viem.totalSupplyAssets as string)).to.be.greaterThanOrEqual(supplied); // accrued since
    expect(viem).to.deep.include({
      revert: "BorrowAboveLtv",
      revertBorrower: "0x000000000000000000000000000000000000bEEF",
    });

    expect(lastJson(await ok(process.execPath, ["-e", WITHOUT_ETHERS], example))).to.deep.equal({
      abis: true,
      core: true,
      book: "function",
    });
  });
});
