/**
 * `npm run docs:api`: regenerates docs/api/ (the contracts' reference) from the NatSpec with solidity-docgen and the
 * templates of scripts/docgen/. `--check` (what the test suite runs, test/unit/docs-api.test.ts) regenerates into a
 * temporary folder and fails, listing the files, when docs/api/ is not current: run `npm run docs:api` and commit.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..");
export const API_DIR = path.join(ROOT, "docs", "api");

const INDEX = `# Ballast contracts reference

Generated from the contracts' NatSpec by \`npm run docs:api\` (solidity-docgen); do not edit by hand. The tests fail
when it is not current. For how to use these from a dApp, see [../INTEGRATORS.md](../INTEGRATORS.md).

Conventions that hold for every function:

- **Units.** Amounts are the token's base units (a 6-decimal USDC: 1 USDC = 1e6). Ratios (LTV, thresholds, bonus,
  factors, utilization) and annual rates are WAD (1e18 = 100%). Prices from an adapter are USD per base unit x 1e36,
  so a USD value with 18 decimals is \`amount x price / 1e36\`. Health factors are WAD (1e18 = 1.0);
  \`type(uint256).max\` means no debt.
- **Assets or shares.** \`supply\`, \`withdraw\`, \`borrow\` and \`repay\` take \`assets\` and \`shares\`: pass exactly one
  non-zero (else \`InconsistentInput\`). By assets the core rounds the shares in its favour (fewer minted, more
  burned); by shares it rounds the assets in its favour (more pulled, less paid). To repay or withdraw everything,
  pass the position's whole share balance (\`position(id, user)\`) with \`assets = 0\`: by assets, interest accrued
  until the block leaves dust.
- **Collateral index.** A market has up to 8 collaterals, numbered from 0 in the order they were added
  (\`collateral(id, index)\`, \`deployments/<network>.json\` \`markets[].collaterals\`); every collateral function takes
  this index, and \`setAdapter\` takes \`-1\` for the loan asset.
- **Named return values** are listed under each function; structs are listed with their fields at the end of the page.
- **Errors.** Every revert of a core call, including the price adapters' and OpenZeppelin tokens' it bubbles up, is
  declared in \`IBallastCore\`.

| contract | page |
|---|---|
`;

/** Generates the reference into `out` (emptied first). */
export async function generateApi(out: string): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { docgen } = require("solidity-docgen/dist/docgen") as {
    docgen: (o: Record<string, unknown>) => Promise<void>;
  };
  fs.rmSync(out, { recursive: true, force: true });
  await docgen({
    input: path.join(ROOT, "contracts"),
    output: out,
    exclude: [path.join(ROOT, "contracts", "mocks"), path.join(ROOT, "contracts", "libraries")],
    templates: path.join(ROOT, "scripts", "docgen"),
    helpers: path.join(ROOT, "scripts", "docgen", "helpers.js"),
    extension: "md",
    "solc-module": require.resolve("solc"),
    "output-structure": "contracts",
  });
  const pages = listPages(out).filter((p) => p !== "README.md");
  for (const p of pages) {
    const file = path.join(out, p);
    fs.writeFileSync(
      file,
      fs
        .readFileSync(file, "utf8")
        .replace(/[ \t]+\n/g, "\n")
        .replace(/\n{3,}/g, "\n\n")
        .trimEnd() + "\n",
    );
  }
  const rows = pages.map((p) => `| \`${path.basename(p, ".md")}\` | [${p}](${p}) |`);
  fs.writeFileSync(path.join(out, "README.md"), INDEX + rows.join("\n") + "\n");
}

/** Every page under `dir`, relative, sorted. */
export function listPages(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const walk = (d: string): string[] =>
    fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => {
      const p = path.join(d, e.name);
      return e.isDirectory() ? walk(p) : [path.relative(dir, p)];
    });
  return walk(dir).sort();
}

/** The pages that differ between docs/api and a fresh generation (empty when current). */
export async function staleApiPages(): Promise<string[]> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ballast-api-"));
  try {
    await generateApi(tmp);
    const all = new Set([...listPages(tmp), ...listPages(API_DIR)]);
    return [...all].filter((p) => {
      const a = path.join(tmp, p);
      const b = path.join(API_DIR, p);
      return !fs.existsSync(a) || !fs.existsSync(b) || fs.readFileSync(a, "utf8") !== fs.readFileSync(b, "utf8");
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (process.argv.includes("--check")) {
    const stale = await staleApiPages();
    if (stale.length) {
      console.error(`docs/api is not current (${stale.join(", ")}): run \`npm run docs:api\` and commit`);
      process.exitCode = 1;
    } else console.log("docs/api is current");
    return;
  }
  await generateApi(API_DIR);
  console.log(`docs/api: ${listPages(API_DIR).length} pages`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
