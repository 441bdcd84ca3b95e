/**
 * The indexer's HTTP API (Hono, served by Ponder on its port):
 *   GET /api/markets/:id            running totals of a market (liquidations, bad debt and its split, flags)
 *   GET /api/markets/:id/liquidations, /bad-debt, /shortfalls   histories, newest first
 *   GET /api/markets/:id/parameters?names=   its parameter-change events (default: every kind), newest first
 *   GET /api/accounts/:address      an account's actions, liquidations and insurance events
 *   GET /api/funds/:address         a fund's totals, its stakes, cooldowns and draws, and its parameter changes
 *   GET /api/events?name=&limit=    every indexed event, newest first
 *   /graphql (GraphQL over every table) and /sql/* (Ponder's SQL over HTTP, for @ponder/client)
 * Amounts are decimal strings (bigints). CORS is open: the data is public chain data.
 */
import { Hono } from "hono";
import { cors } from "hono/cors";
import { db } from "ponder:api";
import schema from "ponder:schema";
import { and, client, desc, eq, graphql, inArray, replaceBigInts } from "ponder";
import { FUND_PARAMETER_EVENTS, PARAMETER_EVENTS } from "../../events";

const app = new Hono();
app.use("*", cors());
app.use("/graphql", graphql({ db, schema }));
app.use("/sql/*", client({ db, schema }));

const json = (v: unknown) => replaceBigInts(v, (x) => String(x));
const limitOf = (q: string | undefined) => Math.min(Math.max(Number(q ?? 100) || 100, 1), 1000);
const addr = (s: string) => s.toLowerCase() as `0x${string}`;

app.get("/api/markets/:id", async (c) => {
  const market = BigInt(c.req.param("id"));
  const row = (await db.select().from(schema.marketTotals).where(eq(schema.marketTotals.market, market)))[0];
  return c.json(
    json(row ?? { market, liquidations: 0, badDebt: 0n, fromReserves: 0n, fromInsurance: 0n, socialized: 0n }),
  );
});

const histories = {
  liquidations: schema.liquidation,
  "bad-debt": schema.badDebt,
  shortfalls: schema.shortfall,
} as const;

for (const [path, table] of Object.entries(histories)) {
  app.get(`/api/markets/:id/${path}`, async (c) => {
    const rows = await db
      .select()
      .from(table)
      .where(eq(table.market, BigInt(c.req.param("id"))))
      .orderBy(desc(table.block))
      .limit(limitOf(c.req.query("limit")));
    return c.json(json(rows));
  });
}

app.get("/api/markets/:id/parameters", async (c) => {
  const names = c.req.query("names")?.split(",") ?? [...PARAMETER_EVENTS];
  const rows = await db
    .select()
    .from(schema.event)
    .where(and(eq(schema.event.market, BigInt(c.req.param("id"))), inArray(schema.event.name, names)))
    .orderBy(desc(schema.event.block), desc(schema.event.logIndex))
    .limit(limitOf(c.req.query("limit")));
  return c.json(json(rows));
});

app.get("/api/accounts/:address", async (c) => {
  const a = addr(c.req.param("address"));
  const [actions, liquidations, insurance] = await Promise.all([
    db.select().from(schema.action).where(eq(schema.action.account, a)).orderBy(desc(schema.action.block)).limit(200),
    db
      .select()
      .from(schema.liquidation)
      .where(eq(schema.liquidation.borrower, a))
      .orderBy(desc(schema.liquidation.block)),
    db.select().from(schema.insurance).where(eq(schema.insurance.account, a)).orderBy(desc(schema.insurance.block)),
  ]);
  return c.json(json({ account: a, actions, liquidations, insurance }));
});

app.get("/api/funds/:address", async (c) => {
  const f = addr(c.req.param("address"));
  const [totals, events, parameters] = await Promise.all([
    db.select().from(schema.fundTotals).where(eq(schema.fundTotals.fund, f)),
    db
      .select()
      .from(schema.insurance)
      .where(eq(schema.insurance.fund, f))
      .orderBy(desc(schema.insurance.block))
      .limit(200),
    db
      .select()
      .from(schema.event)
      .where(and(eq(schema.event.address, f), inArray(schema.event.name, [...FUND_PARAMETER_EVENTS])))
      .orderBy(desc(schema.event.block), desc(schema.event.logIndex)),
  ]);
  return c.json(json({ fund: f, totals: totals[0] ?? null, events, parameters }));
});

app.get("/api/events", async (c) => {
  const name = c.req.query("name");
  const q = db.select().from(schema.event);
  const rows = await (name ? q.where(eq(schema.event.name, name)) : q)
    .orderBy(desc(schema.event.block), desc(schema.event.logIndex))
    .limit(limitOf(c.req.query("limit")));
  return c.json(json(rows));
});

export default app;
