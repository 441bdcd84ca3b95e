/** A table's header row: one column header per entry. */
import type { ReactNode } from "react";

export function Head({ cols }: { cols: ReactNode[] }) {
  return (
    <thead>
      <tr>
        {cols.map((c, i) => (
          <th scope="col" key={i}>
            {c}
          </th>
        ))}
      </tr>
    </thead>
  );
}
