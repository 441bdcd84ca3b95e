/**
 * The short real window of each episode the fork suite replays: the crash hours (`every`: every n-th row of the
 * data file), short enough to keep the suite within CI time.
 */
import type { ForkWindow } from "./prices";

/** The crash hours of each episode (real rows; `every`: every n-th row). */
export const WINDOWS: Record<string, ForkWindow> = {
  "blackthursday-2020-03": { from: "2020-03-12T06:00:00Z", to: "2020-03-13T03:00:00Z", every: 2 },
  may2021: { from: "2021-05-19T11:00:00Z", to: "2021-05-19T15:00:00Z", every: 2 },
  "ftx-2022-11": { from: "2022-11-08T00:00:00Z", to: "2022-11-10T00:00:00Z" },
  aug2024: { from: "2024-08-04T20:00:00Z", to: "2024-08-05T04:00:00Z" },
  "usdc-2023-03": { from: "2023-03-10T18:00:00Z", to: "2023-03-11T12:00:00Z" },
  oct2025: { from: "2025-10-10T19:00:00Z", to: "2025-10-10T23:00:00Z" },
};
