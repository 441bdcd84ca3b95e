// Handlebars helpers of the API reference templates (scripts/docs-api.ts).
module.exports = {
  eq: (a, b) => a === b,
  oneline: (s) => String(s ?? "").replace(/\s+/g, " ").trim(),
};
