/** A uPlot chart (lazy-loaded: the library is fetched with the first chart, not with the app). */
import { useEffect, useRef } from "react";
import type uPlot from "uplot";

export interface Series {
  label: string;
  values: (number | null)[];
  color: string;
  /** Second y axis (right), e.g. a price beside amounts. */
  right?: boolean;
  bars?: boolean;
}

export function Chart({
  title,
  x,
  series,
  time = true,
  height = 240,
}: {
  title: string;
  x: number[];
  series: Series[];
  time?: boolean;
  height?: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const key = JSON.stringify([title, x, series, time, height]);
  useEffect(() => {
    let plot: uPlot | undefined;
    let dead = false;
    void Promise.all([import("uplot"), import("uplot/dist/uPlot.min.css")]).then(([{ default: UPlot }]) => {
      if (dead || !ref.current) return;
      const width = Math.max(320, ref.current.clientWidth - 8);
      plot = new UPlot(
        {
          title,
          width,
          height,
          scales: { x: { time } },
          axes: [
            time ? {} : { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500] },
            { scale: "y", size: 70 },
            { scale: "r", side: 1, grid: { show: false }, size: 70 },
          ],
          series: [
            {},
            ...series.map((s) => ({
              label: s.label,
              stroke: s.color,
              fill: s.bars ? s.color + "55" : undefined,
              scale: s.right ? "r" : "y",
              paths: s.bars ? UPlot.paths.bars!({ size: [0.6, 40] }) : undefined,
            })),
          ],
        },
        [x, ...series.map((s) => s.values)] as uPlot.AlignedData,
        ref.current,
      );
    });
    return () => {
      dead = true;
      plot?.destroy();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- redrawn when the data (the key) changes
  }, [key]);
  return <div ref={ref} className="chart" role="img" aria-label={title} data-testid="chart" />;
}
