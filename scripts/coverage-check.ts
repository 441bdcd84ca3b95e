/**
 * Fails (exit 1) unless contract coverage meets the bar of issue 7: lines >= 98% and branches >= 90%.
 * Reads coverage/coverage-summary.json written by `npm run coverage` (solidity-coverage, json-summary reporter).
 * Usage: npx ts-node scripts/coverage-check.ts [path/to/coverage-summary.json]
 */
import * as fs from "fs";
import * as path from "path";

const MIN_LINES = 98;
const MIN_BRANCHES = 90;

interface Metric {
  total: number;
  covered: number;
  pct: number | string;
}
type Summary = Record<string, { lines: Metric; branches: Metric; statements: Metric; functions: Metric }>;

function main(): void {
  const file = process.argv[2] ?? path.join("coverage", "coverage-summary.json");
  if (!fs.existsSync(file)) {
    console.error(`coverage-check: ${file} not found; run \`npm run coverage\` first`);
    process.exit(1);
  }
  const summary = JSON.parse(fs.readFileSync(file, "utf8")) as Summary;
  const total = summary.total;
  if (!total) {
    console.error("coverage-check: no `total` entry in the summary");
    process.exit(1);
  }
  const pct = (m: Metric) => (m.total === 0 ? 100 : (100 * m.covered) / m.total);
  const lines = pct(total.lines);
  const branches = pct(total.branches);
  console.log(
    `coverage: lines ${lines.toFixed(2)}% (min ${MIN_LINES}%), branches ${branches.toFixed(2)}% (min ${MIN_BRANCHES}%)`,
  );
  for (const [name, s] of Object.entries(summary)) {
    if (name === "total") continue;
    if (s.lines.covered < s.lines.total || s.branches.covered < s.branches.total) {
      console.log(
        `  ${path.relative(process.cwd(), name)}: lines ${s.lines.covered}/${s.lines.total}, branches ${s.branches.covered}/${s.branches.total}`,
      );
    }
  }
  const failures: string[] = [];
  if (lines < MIN_LINES) failures.push(`lines ${lines.toFixed(2)}% < ${MIN_LINES}%`);
  if (branches < MIN_BRANCHES) failures.push(`branches ${branches.toFixed(2)}% < ${MIN_BRANCHES}%`);
  if (failures.length > 0) {
    console.error(`coverage-check failed: ${failures.join(", ")}`);
    process.exit(1);
  }
  console.log("coverage-check passed");
}

main();
