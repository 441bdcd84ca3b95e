/** The core's events that change a market's parameters (counted in `market_totals.parameterChanges`). */
export const PARAMETER_EVENTS: readonly string[] = [
  "MarketCreated",
  "CollateralAdded",
  "CollateralRiskSet",
  "AdapterSet",
  "CapsSet",
  "MinAmountsSet",
  "RateModelSet",
  "FactorsSet",
  "LiquidationParamsSet",
  "ReserveFloorSet",
  "InsuranceFundSet",
  "PausedSet",
];

/** The insurance fund's parameter events (in `event`, and listed by `GET /api/funds/:address`). */
export const FUND_PARAMETER_EVENTS: readonly string[] = ["DrawLimitsSet", "CooldownParamsSet", "Retired"];
