import type { ReactNode } from "react";

/** One labelled figure; `testId` lets the e2e suite read it. */
export function Stat({
  label,
  value,
  testId,
  tone,
}: {
  label: string;
  value: ReactNode;
  testId?: string;
  tone?: string;
}) {
  return (
    <div className={`stat ${tone ?? ""}`}>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}
