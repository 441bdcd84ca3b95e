import { useEffect, useState } from "react";
import { Wallet } from "./components/Wallet";
import { Markets } from "./pages/Markets";
import { Position } from "./pages/Position";
import { Insurance } from "./pages/Insurance";
import { Risk } from "./pages/Risk";

const PAGES = { markets: Markets, position: Position, insurance: Insurance, risk: Risk } as const;
type Page = keyof typeof PAGES;

function pageFromHash(): Page {
  const h = window.location.hash.replace(/^#\/?/, "");
  return (h in PAGES ? h : "markets") as Page;
}

export function App() {
  const [page, setPage] = useState<Page>(pageFromHash);
  useEffect(() => {
    const on = () => setPage(pageFromHash());
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  const Current = PAGES[page];
  return (
    <>
      <header>
        <strong className="brand">Ballast</strong>
        <nav aria-label="Pages">
          {(Object.keys(PAGES) as Page[]).map((p) => (
            <a key={p} href={`#/${p}`} aria-current={p === page ? "page" : undefined}>
              {p[0]!.toUpperCase() + p.slice(1)}
            </a>
          ))}
        </nav>
        <Wallet />
      </header>
      <main>
        <Current />
      </main>
    </>
  );
}
