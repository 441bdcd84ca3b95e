import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { WagmiProvider } from "wagmi";
import { App } from "./App";
import { wagmiConfig } from "./chain";
import { RuntimeContext } from "./hooks/runtime";
import { loadRuntime } from "./runtime";
import "./style.css";

const queryClient = new QueryClient({
  defaultOptions: { queries: { refetchInterval: 2_000, staleTime: 1_000, retry: 1 } },
});

const root = createRoot(document.getElementById("root")!);
loadRuntime().then(
  (rt) =>
    root.render(
      <StrictMode>
        <RuntimeContext.Provider value={rt}>
          <WagmiProvider config={wagmiConfig(rt)}>
            <QueryClientProvider client={queryClient}>
              <App />
            </QueryClientProvider>
          </WagmiProvider>
        </RuntimeContext.Provider>
      </StrictMode>,
    ),
  (e: Error) => root.render(<p role="alert">Cannot start: {e.message}</p>),
);
