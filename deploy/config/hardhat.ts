/** The embedded Hardhat network (tests, `npm run demo`): see local.ts. */
import { localConfig } from "./local";

export default localConfig("hardhat");
