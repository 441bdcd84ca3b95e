/**
 * The app imports the SDK (../sdk) and the ABIs from the Hardhat artifacts (../artifacts, after
 * `npx hardhat compile`), so the dev server may read the repository root. The runtime config (RPC, indexer,
 * deployment) is /config.json, written next to the built files by `npm run app` and the e2e suite.
 */
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import path from "node:path";

export default defineConfig({
  plugins: [react()],
  server: { fs: { allow: [path.resolve(import.meta.dirname, "..")] } },
  build: {
    target: "es2022",
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        manualChunks(id: string) {
          if (id.includes("uplot")) return "charts";
          return undefined;
        },
      },
    },
  },
});
