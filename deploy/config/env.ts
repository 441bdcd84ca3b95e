/**
 * Governance addresses of public networks come from environment variables (comma-separated lists), so the same
 * committed config serves any multisig. Missing ones are reported by validation with the variable's name.
 */
import type { GovernanceConfig } from "./types";

/** The environment variable behind each governance list (used in validation messages). */
export const GOVERNANCE_ENV = {
  proposers: "BALLAST_PROPOSERS",
  executors: "BALLAST_EXECUTORS",
  riskAdmins: "BALLAST_RISK_ADMINS",
  guardians: "BALLAST_GUARDIANS",
} as const;

function list(name: string): string[] {
  return (process.env[name] ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Reads the governance lists; executors default to the proposers. */
export function governanceFromEnv(timelockMinDelay: number): GovernanceConfig {
  const proposers = list(GOVERNANCE_ENV.proposers);
  const executors = list(GOVERNANCE_ENV.executors);
  return {
    timelockMinDelay,
    proposers,
    executors: executors.length > 0 ? executors : proposers,
    riskAdmins: list(GOVERNANCE_ENV.riskAdmins),
    guardians: list(GOVERNANCE_ENV.guardians),
  };
}
