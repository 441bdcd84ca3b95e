/**
 * Seeds a local deployment so a wallet or a dApp has something to show: funds the first ten test accounts with
 * every test token, supplies both markets, opens borrowers at different health factors and stakes in the
 * insurance funds. Local networks only (test tokens mint freely; no role is needed, the deployer has none).
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { parseUnits, MaxUint256, formatUnits, type Signer } from "ethers";
import {
  BallastCore__factory,
  BallastLens__factory,
  InsuranceFund__factory,
  MockERC20__factory,
} from "../../typechain-types";
import type { Deployment } from "./deploy-output";

/** The seeded account left without any approval, so a dApp tested on the node meets the approval step. */
export const UNAPPROVED_ACCOUNT = 3;

/** Whole tokens minted to each of the first ten accounts. */
export const SEED_BALANCES: Record<string, string> = { USDC: "1000000", WETH: "1000", WBTC: "50" };

export interface SeedPosition {
  role: string;
  account: string;
  market: number;
  healthFactor: string;
}

export interface SeedReport {
  funded: string[];
  positions: SeedPosition[];
}

/** Funds `accounts` with every test token and, except #UNAPPROVED_ACCOUNT, approves the core and the funds. */
async function fundAccounts(
  d: Deployment,
  accounts: Signer[],
  tokens: string[],
  amt: (sym: string, v: string) => bigint,
): Promise<string[]> {
  const funded: string[] = [];
  for (const [i, s] of accounts.entries()) {
    const address = await s.getAddress();
    for (const sym of tokens) {
      const token = MockERC20__factory.connect(d.contracts[sym]!, s);
      await (await token.mint(address, amt(sym, SEED_BALANCES[sym]!))).wait();
      if (i === UNAPPROVED_ACCOUNT) continue;
      await (await token.approve(d.contracts.BallastCore!, MaxUint256)).wait();
      for (const m of d.markets.filter((x) => x.loan === sym)) {
        await (await token.approve(d.contracts[m.insuranceFund]!, MaxUint256)).wait();
      }
    }
    funded.push(address);
  }
  return funded;
}

export async function seedLocal(hre: HardhatRuntimeEnvironment, d: Deployment): Promise<SeedReport> {
  if (d.chainId !== 31337) throw new Error(`seeding is for local networks only, not chain ${d.chainId}`);
  const signers = await hre.ethers.getSigners();
  const at = (i: number) => {
    const s = signers[i];
    if (!s) throw new Error(`the node has no account #${i}`);
    return s;
  };
  const core = BallastCore__factory.connect(d.contracts.BallastCore!, at(0));
  const lens = BallastLens__factory.connect(d.contracts.BallastLens!, at(0));
  const decimals: Record<string, number> = {};
  const tokens = Object.keys(SEED_BALANCES).filter((s) => d.contracts[s]);
  for (const sym of tokens)
    decimals[sym] = Number(await MockERC20__factory.connect(d.contracts[sym]!, at(0)).decimals());
  const amt = (sym: string, v: string) => parseUnits(v, decimals[sym]);

  const funded = await fundAccounts(d, signers.slice(0, 10), tokens, amt);

  const market = (loan: string) => d.markets.find((m) => m.loan === loan);
  const colIndex = (m: { collaterals: string[] }, sym: string) => {
    const i = m.collaterals.indexOf(sym);
    if (i < 0) throw new Error(`${sym} is not a collateral`);
    return i;
  };
  const positions: SeedPosition[] = [];
  const record = async (role: string, i: number, id: number) => {
    const hf = await lens.healthFactor(id, at(i).address);
    positions.push({
      role,
      account: at(i).address,
      market: id,
      healthFactor: hf === MaxUint256 ? "no debt" : formatUnits(hf, 18).slice(0, 6),
    });
  };

  const m1 = market("USDC");
  const m2 = market("WETH");
  if (m1) {
    await (await core.connect(at(4)).supply(m1.id, amt("USDC", "500000"), 0, at(4).address)).wait();
    await record("supplier", 4, m1.id);
    const open = async (i: number, sym: string, col: string, debt: string, role: string) => {
      const c = core.connect(at(i));
      await (await c.supplyCollateral(m1.id, colIndex(m1, sym), amt(sym, col), at(i).address)).wait();
      await (await c.borrow(m1.id, amt("USDC", debt), 0, at(i).address, at(i).address)).wait();
      await record(role, i, m1.id);
    };
    await open(6, "WETH", "10", "12000", "borrower, safe");
    await open(7, "WBTC", "1", "36000", "borrower, moderate");
    await open(8, "WETH", "10", "23500", "borrower, near liquidation");
    const fund = InsuranceFund__factory.connect(d.contracts[m1.insuranceFund]!, at(9));
    await (await fund.deposit(amt("USDC", "50000"), at(9).address)).wait();
    positions.push({ role: "insurance staker", account: at(9).address, market: m1.id, healthFactor: "-" });
  }
  if (m2) {
    await (await core.connect(at(5)).supply(m2.id, amt("WETH", "300"), 0, at(5).address)).wait();
    await record("supplier", 5, m2.id);
    const c = core.connect(at(6));
    await (await c.supplyCollateral(m2.id, colIndex(m2, "USDC"), amt("USDC", "50000"), at(6).address)).wait();
    await (await c.borrow(m2.id, amt("WETH", "5"), 0, at(6).address, at(6).address)).wait();
    await record("borrower, safe", 6, m2.id);
    const fund = InsuranceFund__factory.connect(d.contracts[m2.insuranceFund]!, at(9));
    await (await fund.deposit(amt("WETH", "20"), at(9).address)).wait();
    positions.push({ role: "insurance staker", account: at(9).address, market: m2.id, healthFactor: "-" });
  }
  return { funded, positions };
}

export function describeSeed(s: SeedReport): string {
  const funded = Object.entries(SEED_BALANCES)
    .map(([k, v]) => `${v} ${k}`)
    .join(", ");
  return [
    `Seeded: accounts #0-#9 hold ${funded} each (and 10,000 ETH); all but #${UNAPPROVED_ACCOUNT} have approved the ` +
      `core and the insurance funds (#${UNAPPROVED_ACCOUNT} has approved nothing: a wallet meets the approval step)`,
    ...s.positions.map(
      (p) => `  market ${p.market}  ${p.role.padEnd(26)} ${p.account}  health factor ${p.healthFactor}`,
    ),
  ].join("\n");
}
