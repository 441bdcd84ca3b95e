/**
 * docs/api/ (the contracts' reference generated from the NatSpec by `npm run docs:api`) is current: a fresh
 * generation into a temporary folder matches the committed pages. When this fails, run `npm run docs:api` and commit.
 */
import { expect } from "chai";
import { listPages, staleApiPages, API_DIR } from "../../scripts/docs-api";

describe("docs/api is generated from the current NatSpec", function () {
  it("regenerating gives the committed pages, one per contract an integrator calls", async function () {
    const pages = listPages(API_DIR);
    for (const p of [
      "README.md",
      "interfaces/IBallastCore.md",
      "periphery/BallastLens.md",
      "periphery/PermitRouter.md",
    ]) {
      expect(pages).to.include(p);
    }
    expect(pages.filter((p) => p.includes("mocks") || p.startsWith("libraries"))).to.deep.equal([]);
    expect(await staleApiPages(), "run `npm run docs:api` and commit docs/api").to.deep.equal([]);
  });
});
