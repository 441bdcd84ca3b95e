// solidity-coverage configuration (`npm run coverage` = `hardhat coverage`).
// Mocks are test-only and never deployed: excluded from instrumentation and from the figures.
module.exports = {
  skipFiles: ["mocks/"],
  // The contracts compile with viaIR (hardhat.config.ts): instrumented without the Yul optimizer's stack
  // allocation they may run out of stack, so coverage keeps it on (solidity-coverage README, "Running out of stack").
  configureYulOptimizer: true,
  istanbulReporter: ["json-summary", "text", "lcov"],
  mocha: { timeout: 1_800_000 },
};
