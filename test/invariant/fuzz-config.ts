/**
 * How many sequences a fuzz test runs and from which seed, the same rule for every stateful fuzz test:
 * `<runsVar>` sets the count (and then a random seed, printed, unless `<seedVar>` pins it); without it the CI
 * size and a fixed seed; under solidity-coverage (instrumented, much slower) a small fixed-seed run.
 */
import hre from "hardhat";

export interface FuzzRuns {
  numRuns: number;
  seed: number;
}

export function fuzzRuns(o: { runsVar: string; seedVar: string; ci: number; coverage: number; fixedSeed: number }) {
  const covering = Boolean((hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING);
  const runsEnv = process.env[o.runsVar];
  const seedEnv = process.env[o.seedVar];
  const numRuns = runsEnv ? Number(runsEnv) : covering ? o.coverage : o.ci;
  const seed = seedEnv ? Number(seedEnv) : runsEnv ? Math.floor(Math.random() * 2 ** 31) : o.fixedSeed;
  return { numRuns, seed } satisfies FuzzRuns;
}
