/**
 * Peer gas figures of issue 15 (receipt gasUsed on the same scenario, built by ../shared/gasbench from the peers'
 * repositories at pinned commits; see that README) and the ratio of Ballast's figures to the best production peer.
 */
export interface PeerFigures {
  morphoBlueProd: number; // Morpho Blue with MorphoChainlinkOracleV2 and AdaptiveCurveIrm
  compoundIII: number; // Comet (liquidatePartial: absorb + buyCollateral)
  bestProduction: number;
}

function peer(morphoBlueProd: number, compoundIII: number): PeerFigures {
  return { morphoBlueProd, compoundIII, bestProduction: Math.min(morphoBlueProd, compoundIII) };
}

/** The 11 compared steps, in scenario order. */
export const PEERS: Record<string, PeerFigures> = {
  firstSupply: peer(135_728, 108_356),
  supply: peer(101_597, 92_129),
  supplyCollateral: peer(88_386, 139_590),
  borrow: peer(125_778, 94_988),
  accrue: peer(56_584, 41_817),
  repayHalf: peer(87_455, 74_642),
  repayAll: peer(82_655, 77_041),
  withdrawCollateral: peer(68_775, 68_540),
  withdrawHalf: peer(82_896, 72_300),
  liquidatePartial: peer(132_227, 209_901),
  liquidateBadDebt: peer(130_814, 103_506),
};

export interface Ratios {
  perStep: Record<string, number>;
  geometricMean: number;
}

/** Ballast / best production peer per step (3 decimals) and their geometric mean over the compared steps. */
export function ratios(steps: Record<string, number>): Ratios {
  const perStep: Record<string, number> = {};
  let logSum = 0;
  for (const [k, p] of Object.entries(PEERS)) {
    const r = steps[k]! / p.bestProduction;
    perStep[k] = Number(r.toFixed(3));
    logSum += Math.log(r);
  }
  return { perStep, geometricMean: Number(Math.exp(logSum / Object.keys(PEERS).length).toFixed(3)) };
}

/** The ratio table, one line per compared step. */
export function ratioTable(steps: Record<string, number>, r: Ratios): string[] {
  const lines = ["step                 ballast  morphoProd   compound  bestProd   ratio"];
  for (const [k, p] of Object.entries(PEERS)) {
    const cols = [steps[k]!, p.morphoBlueProd, p.compoundIII, p.bestProduction].map((v) => String(v).padStart(9));
    lines.push(`${k.padEnd(20)}${cols.join("  ")}   ${r.perStep[k]!.toFixed(3)}`);
  }
  lines.push(
    `geometric mean over ${Object.keys(PEERS).length} steps (ballast / best production peer): ${r.geometricMean.toFixed(3)}`,
  );
  return lines;
}
