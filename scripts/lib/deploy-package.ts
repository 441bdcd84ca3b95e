/**
 * Last step of `npm run build`: ships the deployments in dist/deployments/. Each selected
 * deployments/<network>.json is copied there (the SDK's loadDeployments reads them in Node) and the address book
 * dist/deployments/book.json (imported by `deployments`, so it works in browser bundles too) is rewritten.
 * Local deployments (chain 31337) are left out unless BALLAST_PACKAGE_LOCAL=1; BALLAST_DEPLOYMENTS_DIR picks
 * another source folder and BALLAST_PACKAGE_DIST another dist folder (the package test builds a copy). Run: `ts-node --transpile-only scripts/lib/deploy-package.ts`.
 */
import fs from "node:fs";
import path from "node:path";
import { buildAddressBook, deploymentsDir } from "./deploy-output";

function main(): void {
  const root = path.resolve(__dirname, "..", "..");
  const src = deploymentsDir(root);
  const out = path.join(process.env.BALLAST_PACKAGE_DIST ?? path.join(root, "dist"), "deployments");
  if (!fs.existsSync(path.join(out, "index.js"))) throw new Error("run tsc -p tsconfig.build.json first");
  const book = buildAddressBook(src, process.env.BALLAST_PACKAGE_LOCAL === "1");
  for (const d of Object.values(book)) {
    fs.writeFileSync(path.join(out, `${d.network}.json`), JSON.stringify(d, null, 2) + "\n");
  }
  fs.writeFileSync(path.join(out, "book.json"), JSON.stringify(book, null, 2) + "\n");
  const list = Object.values(book).map((d) => `${d.network} (${d.chainId})`);
  console.log(`Package address book: ${list.length ? list.join(", ") : "no deployments"}`);
}

main();
