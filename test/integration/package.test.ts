/**
 * The published package from a separate project: build (tsc to dist/), `npm pack` into os.tmpdir(), install the
 * tarball into a copy of examples/integrator (offline: dependencies come from the npm cache), type-check the
 * example against the shipped types, and run it against a local node deployment: it imports the address book,
 * the ABIs, the TypeChain factories and the SDK client and calls views.
 */
import { expect } from "chai";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, startNode, runScript, childEnv, type LocalNode } from "../../scripts/lib/deploy-node";
import { readDeployment } from "../../scripts/lib/deploy-output";

const ROOT = path.resolve(__dirname, "..", "..");

function sh(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  return new Promise<{ code: number; output: string }>((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: childEnv(env), stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (b: Buffer) => (output += b.toString()));
    child.stderr.on("data", (b: Buffer) => (output += b.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code: code ?? 1, output }));
  });
}
async function ok(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<string> {
  const r = await sh(cmd, args, cwd, env);
  expect(r.code, `${cmd} ${args.join(" ")}\n${r.output}`).to.equal(0);
  return r.output;
}

describe("Package: npm pack used from a separate project", function () {
  let node: LocalNode | undefined;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ballast-pack-test-"));
  after(async function () {
    await node?.stop();
    if (node)
      fs.rmSync(path.join(ROOT, "deploy", "deployments", `localhost-pack-${node.port}`), {
        recursive: true,
        force: true,
      });
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("packs, installs offline into the example project and reads a local deployment through it", async function () {
    const deployments = path.join(tmp, "deployments");
    // 1. A local node with a deployment (the addresses the package will ship for chain 31337).
    const [port] = await Promise.all([freePort()]);
    const nodeStarted = startNode(ROOT, port);
    // 2. Meanwhile, the build: a copy of the package root with dist/ compiled by tsc (the repo's dist/ is untouched).
    const pkgRoot = path.join(tmp, "pkg");
    fs.mkdirSync(pkgRoot);
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { files: string[] };
    fs.copyFileSync(path.join(ROOT, "package.json"), path.join(pkgRoot, "package.json"));
    const tsc = require.resolve("typescript/bin/tsc");
    const built = sh(
      process.execPath,
      [tsc, "-p", "tsconfig.build.json", "--outDir", path.join(pkgRoot, "dist")],
      ROOT,
    );
    node = await nodeStarted;
    const deploy = await runScript(ROOT, "scripts/deploy.ts", node.url, {
      BALLAST_DEPLOYMENTS_DIR: deployments,
      BALLAST_QUIET: "1",
      BALLAST_IGNITION_ID: `localhost-pack-${port}`,
    });
    expect(deploy.code, deploy.output).to.equal(0);
    const b = await built;
    expect(b.code, b.output).to.equal(0);
    await ok("npx", ["ts-node", "--transpile-only", "scripts/lib/deploy-package.ts"], ROOT, {
      BALLAST_DEPLOYMENTS_DIR: deployments,
      BALLAST_PACKAGE_LOCAL: "1",
      BALLAST_PACKAGE_DIST: path.join(pkgRoot, "dist"),
    });
    for (const f of manifest.files.filter((x) => x !== "dist")) {
      fs.cpSync(path.join(ROOT, f), path.join(pkgRoot, f), { recursive: true });
    }

    // 3. npm pack into the temporary folder.
    const packOut = await ok("npm", ["pack", "--pack-destination", tmp, "--silent"], pkgRoot);
    const tarball = path.join(tmp, packOut.trim().split("\n").pop()!.trim());
    expect(fs.existsSync(tarball), tarball).to.equal(true);

    // 4. The example project, installed from the tarball with the npm cache only.
    const example = path.join(tmp, "example");
    fs.cpSync(path.join(ROOT, "examples", "integrator"), example, { recursive: true });
    const pj = JSON.parse(fs.readFileSync(path.join(example, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    pj.dependencies["@ballast/protocol"] = `file:${tarball}`;
    fs.writeFileSync(path.join(example, "package.json"), JSON.stringify(pj, null, 2));
    await ok(
      "npm",
      ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"],
      example,
    );
    await ok(process.execPath, [tsc, "-p", "tsconfig.json"], example);

    // 5. Run it against the node.
    const out = await ok(process.execPath, ["dist/index.js"], example, { RPC_URL: node.url });
    const result = JSON.parse(out.trim().split("\n").pop()!) as Record<string, string>;
    const d = readDeployment("localhost", deployments);
    expect(result).to.deep.include({
      chainId: "31337",
      network: "localhost",
      marketCount: "2",
      loanToken: d.contracts.USDC,
      sdkLoanToken: d.contracts.USDC,
      totalSupplyAssets: "0",
      wad: (10n ** 18n).toString(),
    });
  });
});
