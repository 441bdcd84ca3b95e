/** A local Hardhat node at LOCALHOST_RPC_URL (default http://127.0.0.1:8545), chain id 31337: see local.ts. */
import { localConfig } from "./local";

export default localConfig("localhost");
