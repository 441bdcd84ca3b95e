// solidity-coverage configuration (`npm run coverage` = `hardhat coverage`).
// Mocks are test-only and never deployed: excluded from instrumentation and from the figures.
module.exports = {
  skipFiles: ["mocks/"],
  istanbulReporter: ["json-summary", "text", "lcov"],
  mocha: { timeout: 1_800_000 },
};
