// Mocha reporter: the spec output, then one closing line "N passed, N failed" that CI reads.
const Mocha = require("mocha");
const { EVENT_RUN_END } = Mocha.Runner.constants;

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const s = runner.stats || {};
      const line = `${s.passes || 0} passed, ${s.failures || 0} failed` + (s.pending ? `, ${s.pending} skipped` : "");
      // Printed after the spec epilogue so it is the run's last line.
      process.nextTick(() => console.log(line));
      if (process.env.SUMMARY_FILE) require("fs").appendFileSync(process.env.SUMMARY_FILE, `${s.passes || 0} ${s.failures || 0}\n`);
    });
  }
}
module.exports = SummaryReporter;
