#!/usr/bin/env node
// Generates the raw seed CSVs of the shopwise example project.
// Deterministic: a seeded PRNG and fixed reference data, so re-running it rewrites identical files.
// Plain Node, no dependencies:  node examples/shopwise/scripts/generate_seeds.mjs
//
// What the data holds (so analytics questions have real answers):
// - ~300 customers who sign up between 2023-07 and 2025-12, acquired through 8 marketing channels;
// - 40 products in 5 categories, prices in cents, a few price changes in 2025, late launches, 2 discontinued;
// - 2,500 orders over 2024-01..2025-12 with seasonality (November/December peak, summer dip) and 2025 growth;
// - product pairs that are often bought together (espresso machine + milk frother, tent + sleeping bag, ...);
// - payments by credit card, PayPal, gift card (split with card when the balance is short) and bank transfer,
//   failed attempts, cancellations, returns and partial refunds;
// - a planted anomaly: earbuds ordered during the March 2025 flash sale (2025-03-08..14) are mostly refunded
//   1-3 days later (a defective batch), so the week of 2025-03-09 shows a refund spike for that one product.

import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SEEDS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'seeds');
const DAY = 86_400_000;

// ---------------------------------------------------------------- PRNG helpers

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(20240101);
const chance = (p) => rand() < p;
const randInt = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
function pickWeighted(items, weightOf) {
  const total = items.reduce((s, x) => s + weightOf(x), 0);
  let r = rand() * total;
  for (const x of items) {
    r -= weightOf(x);
    if (r < 0) return x;
  }
  return items[items.length - 1];
}

// ---------------------------------------------------------------- dates

const utc = (s) => Date.parse(`${s}T00:00:00Z`);
const pad = (n) => String(n).padStart(2, '0');
function fmtDate(ms) {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}
function fmtTs(ms) {
  const d = new Date(ms);
  return `${fmtDate(ms)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}
/** Batch loads run at 02:15 the day after a row is created. */
const loadedAt = (ms) => fmtTs(Math.floor(ms / DAY) * DAY + DAY + (2 * 60 + 15) * 60_000);

// Relative demand per calendar month (Jan..Dec), growth per year, promotional windows.
const MONTH_WEIGHT = [0.8, 0.72, 0.85, 0.9, 0.95, 0.88, 0.82, 0.86, 0.95, 1.05, 1.7, 1.95];
const YEAR_WEIGHT = { 2023: 0.6, 2024: 1.0, 2025: 1.32 };
const BFCM = [
  [utc('2024-11-29'), utc('2024-12-03')],
  [utc('2025-11-28'), utc('2025-12-02')],
];
const EARBUDS_FLASH_SALE = [utc('2025-03-03'), utc('2025-03-17')];
const DEFECTIVE_BATCH = [utc('2025-03-08'), utc('2025-03-15')];
const inWindow = (ms, [a, b]) => ms >= a && ms < b;

function dayWeight(ms) {
  const d = new Date(ms);
  let w = MONTH_WEIGHT[d.getUTCMonth()] * YEAR_WEIGHT[d.getUTCFullYear()];
  if (d.getUTCDay() === 0 || d.getUTCDay() === 6) w *= 1.15;
  if (BFCM.some((win) => inWindow(ms, win))) w *= 3;
  if (inWindow(ms, EARBUDS_FLASH_SALE)) w *= 1.8;
  return w;
}
function daysBetween(from, to) {
  const days = [];
  for (let t = utc(from); t <= utc(to); t += DAY) days.push(t);
  return days;
}
/** A time of day, skewed to the evening. */
function timeOfDay() {
  const hour = pickWeighted([...Array(24).keys()], (h) => (h < 7 ? 0.2 : h < 12 ? 1 : h < 18 ? 1.3 : 2));
  return hour * 3_600_000 + randInt(0, 59) * 60_000 + randInt(0, 59) * 1000;
}

// ---------------------------------------------------------------- reference data

const CHANNELS = [
  { id: 1, name: 'Organic Search', group: 'earned', paid: false, launched: '2023-01-01', acquire: 0.25 },
  { id: 2, name: 'Paid Search', group: 'paid', paid: true, launched: '2023-01-01', acquire: 0.2, spend: 380000 },
  { id: 3, name: 'Paid Social', group: 'paid', paid: true, launched: '2023-03-01', acquire: 0.17, spend: 300000 },
  { id: 4, name: 'Email Newsletter', group: 'owned', paid: false, launched: '2023-01-01', acquire: 0.04 },
  { id: 5, name: 'Affiliate Partners', group: 'paid', paid: true, launched: '2023-06-01', acquire: 0.08, spend: 90000 },
  { id: 6, name: 'Customer Referral', group: 'earned', paid: false, launched: '2023-01-01', acquire: 0.12 },
  { id: 7, name: 'Direct', group: 'owned', paid: false, launched: '2023-01-01', acquire: 0.1 },
  { id: 8, name: 'Podcast Sponsorship', group: 'paid', paid: true, launched: '2025-02-01', acquire: 0.09, spend: 220000 },
];

// [name, price cents, cost share, popularity, launched, discontinued?, price changes [[from, cents]]]
const CATALOG = {
  Audio: [
    ['Aurora Wireless Earbuds', 7900, 0.46, 1.6, '2023-01-15', null, [['2025-04-01', 6900]]],
    ['Tidewater Bluetooth Speaker', 5900, 0.44, 1.2, '2023-01-15'],
    ['Nimbus Over-Ear Headphones', 14900, 0.5, 0.9, '2023-01-15'],
    ['Ember Turntable', 22900, 0.55, 0.5, '2024-09-01'],
    ['Ripple Soundbar', 18900, 0.52, 0.6, '2023-05-01'],
    ['Cascade Earbud Case', 1900, 0.3, 0.7, '2023-01-15', '2025-06-30'],
    ['Lumen Desk Speaker Pair', 9900, 0.48, 0.6, '2023-08-01'],
    ['Groove Vinyl Cleaning Kit', 2400, 0.32, 0.5, '2024-09-01'],
  ],
  'Home Office': [
    ['Atlas Standing Desk Frame', 34900, 0.58, 0.5, '2023-01-15', null, [['2025-09-01', 36900]]],
    ['Birchline Laptop Stand', 4900, 0.4, 1.3, '2023-01-15'],
    ['Quill Mechanical Keyboard', 11900, 0.47, 0.9, '2023-01-15'],
    ['Drift Wireless Mouse', 3900, 0.42, 1.2, '2023-01-15'],
    ['Halo Monitor Light Bar', 5900, 0.45, 0.8, '2025-05-01'],
    ['Anchor Cable Tray', 2400, 0.35, 0.6, '2023-04-01'],
    ['Slate Desk Mat', 2900, 0.3, 0.9, '2023-01-15'],
    ['Meridian Ergonomic Chair', 42900, 0.6, 0.35, '2023-06-01'],
  ],
  Kitchen: [
    ['Copperleaf Espresso Machine', 38900, 0.57, 0.6, '2023-01-15', null, [['2025-06-01', 41900]]],
    ['Copperleaf Milk Frother', 5900, 0.41, 0.7, '2023-01-15'],
    ['Harvest Pour-Over Kettle', 6900, 0.43, 0.9, '2023-01-15'],
    ['Stoneground Burr Grinder', 12900, 0.5, 0.7, '2023-03-01'],
    ['Fieldstone Cast Iron Skillet', 4900, 0.38, 1.0, '2023-01-15'],
    ['Saffron Knife Set', 15900, 0.45, 0.5, '2023-09-01'],
    ['Tern Glass Storage Set', 3400, 0.36, 0.6, '2023-01-15', '2024-12-31'],
    ['Orchard Cold Brew Jar', 2900, 0.33, 0.8, '2024-04-01'],
  ],
  Outdoor: [
    ['Ridgeback Trail Backpack', 12900, 0.48, 0.9, '2023-01-15', null, [['2025-03-01', 13900]]],
    ['Ridgeback Insulated Bottle', 3200, 0.3, 1.3, '2023-01-15'],
    ['Summit Trekking Poles', 8900, 0.45, 0.6, '2023-02-01'],
    ['Pinecrest Two-Person Tent', 24900, 0.55, 0.5, '2023-02-01'],
    ['Glacier Sleeping Bag', 15900, 0.52, 0.5, '2023-02-01'],
    ['Firefly Camp Lantern', 3900, 0.37, 0.9, '2023-01-15'],
    ['Basecamp Camp Stove', 7900, 0.46, 0.6, '2023-05-01'],
    ['Trailhead First Aid Kit', 2900, 0.34, 0.8, '2023-01-15'],
  ],
  Wellness: [
    ['Solace Yoga Mat', 6900, 0.4, 1.1, '2023-01-15', null, [['2025-01-15', 6400]]],
    ['Solace Cork Yoga Block', 1900, 0.3, 0.8, '2023-01-15'],
    ['Meadow Aroma Diffuser', 4900, 0.42, 0.8, '2023-01-15'],
    ['Verve Foam Roller', 3400, 0.35, 0.8, '2023-01-15'],
    ['Pulse Smart Jump Rope', 4400, 0.44, 0.7, '2025-02-01'],
    ['Stillwater Weighted Blanket', 11900, 0.5, 0.6, '2023-10-01'],
    ['Dawn Sunrise Alarm Clock', 7900, 0.47, 0.7, '2024-10-15'],
    ['Sprout Essential Oil Trio', 2400, 0.31, 0.9, '2023-01-15'],
  ],
};

/** Pairs bought together: when the first is in an order, the second joins it with this probability. */
const BOUGHT_TOGETHER = [
  ['Copperleaf Espresso Machine', 'Copperleaf Milk Frother', 0.65],
  ['Pinecrest Two-Person Tent', 'Glacier Sleeping Bag', 0.55],
  ['Ridgeback Trail Backpack', 'Ridgeback Insulated Bottle', 0.5],
  ['Solace Yoga Mat', 'Solace Cork Yoga Block', 0.6],
  ['Ember Turntable', 'Groove Vinyl Cleaning Kit', 0.6],
  ['Birchline Laptop Stand', 'Drift Wireless Mouse', 0.45],
  ['Harvest Pour-Over Kettle', 'Stoneground Burr Grinder', 0.35],
];

const FIRST_NAMES = ['Amara', 'Bram', 'Celeste', 'Dmitri', 'Elif', 'Farah', 'Gideon', 'Hana', 'Idris', 'Jonah',
  'Kaia', 'Lorenzo', 'Maren', 'Nikhil', 'Odette', 'Pavel', 'Quinn', 'Rosalind', 'Soren', 'Tamsin', 'Ulla', 'Viktor',
  'Wren', 'Xiomara', 'Yusuf', 'Zofia', 'Anouk', 'Basil', 'Cyrus', 'Delphine', 'Emeka', 'Freya', 'Gaspard', 'Hollis',
  'Ines', 'Jasper', 'Keziah', 'Linnea', 'Mateo', 'Noor'];
const LAST_NAMES = ['Abernathy', 'Baptiste', 'Castellano', 'Dunmore', 'Eriksen', 'Fairweather', 'Galloway',
  'Hartigan', 'Iwasaki', 'Jablonski', 'Kowalczyk', 'Lindqvist', 'Marchetti', 'Nakagawa', 'Okonkwo', 'Pemberton',
  'Quintero', 'Ravensworth', 'Sandoval', 'Thorne', 'Underhill', 'Valdivia', 'Whitlock', 'Yilmaz', 'Zeller', 'Ashdown',
  'Brightwater', 'Corrigan', 'Delacroix', 'Everly', 'Fontaine', 'Greenhalgh', 'Holloway', 'Ingram', 'Juarez',
  'Kingsley', 'Lachance', 'Mbeki', 'Northcott', 'Oyelaran'];
const COUNTRIES = [
  ['US', 0.45, ['Portland', 'Austin', 'Denver', 'Chicago', 'Brooklyn', 'Raleigh']],
  ['GB', 0.15, ['Leeds', 'Bristol', 'Manchester', 'London']],
  ['CA', 0.1, ['Toronto', 'Vancouver', 'Montreal']],
  ['DE', 0.1, ['Berlin', 'Hamburg', 'Munich']],
  ['NL', 0.07, ['Utrecht', 'Rotterdam', 'Amsterdam']],
  ['FR', 0.07, ['Lyon', 'Nantes', 'Paris']],
  ['AU', 0.06, ['Melbourne', 'Brisbane', 'Sydney']],
];
const EMAIL_DOMAINS = ['example.com', 'example.org', 'mail.example.net'];

// ---------------------------------------------------------------- products

function buildProducts() {
  const products = [];
  let id = 1;
  for (const [category, rows] of Object.entries(CATALOG)) {
    const prefix = category.replace(/[^A-Z]/g, '').padEnd(2, category[1].toUpperCase()).slice(0, 2);
    for (const [name, price, costShare, popularity, launched, discontinued, changes = []] of rows) {
      const history = [[utc(launched), price], ...changes.map(([from, cents]) => [utc(from), cents])];
      const current = history[history.length - 1];
      const updatedAt = discontinued ? utc(discontinued) + 17 * 3_600_000 : current[0] + 9 * 3_600_000;
      products.push({
        id,
        sku: `SW-${prefix}-${String(100 + id).padStart(4, '0')}`,
        name,
        category,
        history,
        costCents: Math.round((price * costShare) / 10) * 10,
        popularity,
        launchedMs: utc(launched),
        discontinuedMs: discontinued ? utc(discontinued) : null,
        updatedAt,
      });
      id += 1;
    }
  }
  return products;
}
function priceAt(product, ms) {
  let cents = product.history[0][1];
  for (const [from, c] of product.history) if (ms >= from) cents = c;
  return cents;
}
const sellable = (p, ms) => ms >= p.launchedMs && (p.discontinuedMs === null || ms <= p.discontinuedMs);

// ---------------------------------------------------------------- customers

function buildCustomers(count) {
  const signupDays = daysBetween('2023-07-01', '2025-12-15');
  const signups = Array.from({ length: count }, () => pickWeighted(signupDays, dayWeight) + timeOfDay());
  // The app hands out ids in signup order.
  signups.sort((a, b) => a - b);
  const emails = new Set();
  return signups.map((signedUpMs, i) => {
    const id = i + 1;
    const channel = pickWeighted(
      CHANNELS.filter((c) => utc(c.launched) <= signedUpMs),
      (c) => c.acquire,
    );
    const first = pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    let email = `${first}.${last}@${pick(EMAIL_DOMAINS)}`;
    if (emails.has(email.toLowerCase())) email = email.replace('@', `${id}@`);
    emails.add(email.toLowerCase());
    const [country, , cities] = pickWeighted(COUNTRIES, (c) => c[1]);
    return {
      id,
      first,
      last,
      // The app stores emails as typed; staging lower-cases them.
      email: chance(0.1) ? email.toUpperCase() : chance(0.5) ? email : email.toLowerCase(),
      // Older app versions wrote lower-case country codes.
      country: signedUpMs < utc('2024-03-01') && chance(0.4) ? country.toLowerCase() : country,
      city: pick(cities),
      channelId: channel.id,
      signedUpMs,
      optIn: chance(0.62),
      // Heavy-tailed purchase propensity: a few loyal customers order often.
      propensity: Math.pow(rand(), 2.2) * 6 + 0.15,
      prefersPaypal: chance(0.3),
    };
  });
}

// ---------------------------------------------------------------- orders and items

function chooseLines(products, ms) {
  const available = products.filter((p) => sellable(p, ms));
  const flashSale = inWindow(ms, EARBUDS_FLASH_SALE);
  const lineCount = pickWeighted([1, 2, 3, 4, 5, 6], (n) => [0.36, 0.3, 0.18, 0.09, 0.05, 0.02][n - 1]);
  const chosen = [];
  if (flashSale && chance(0.7)) chosen.push(products.find((p) => p.name === 'Aurora Wireless Earbuds'));
  while (chosen.length < lineCount) {
    const p = pickWeighted(available, (x) => x.popularity);
    if (!chosen.includes(p)) chosen.push(p);
  }
  for (const [a, b, prob] of BOUGHT_TOGETHER) {
    const partner = available.find((p) => p.name === b);
    if (partner && chosen.some((p) => p.name === a) && !chosen.includes(partner) && chance(prob)) chosen.push(partner);
  }
  return chosen.map((p) => ({ product: p, quantity: chance(0.85) ? 1 : chance(0.75) ? 2 : 3 }));
}

function couponFor(order, isFirst) {
  if (BFCM.some((w) => inWindow(order.orderedMs, w)) && chance(0.45)) return ['BFCM25', 0.25];
  if (isFirst && chance(0.4)) return ['WELCOME10', 0.1];
  if (order.orderedMs >= utc('2025-04-01') && order.orderedMs < utc('2025-05-01') && chance(0.22)) return ['SPRING15', 0.15];
  return [null, 0];
}

function statusFor(ms) {
  if (ms >= utc('2025-12-28')) return 'placed';
  if (ms >= utc('2025-12-20')) return 'shipped';
  if (chance(0.025)) return 'cancelled';
  if (chance(0.03)) return 'returned';
  return 'completed';
}

function buildOrders(customers, products, count) {
  const orderDays = daysBetween('2024-01-01', '2025-12-31');
  const skeletons = [];
  while (skeletons.length < count) {
    const orderedMs = pickWeighted(orderDays, dayWeight) + timeOfDay();
    const eligible = customers.filter((c) => c.signedUpMs < orderedMs);
    if (eligible.length === 0) continue;
    // Customers order most in the months right after signing up.
    const customer = pickWeighted(eligible, (c) => c.propensity / (1 + (orderedMs - c.signedUpMs) / (DAY * 400)));
    skeletons.push({ customer, orderedMs });
  }
  skeletons.sort((a, b) => a.orderedMs - b.orderedMs);

  const seen = new Set();
  const orders = [];
  let itemId = 1;
  skeletons.forEach((s, i) => {
    const isFirst = !seen.has(s.customer.id);
    seen.add(s.customer.id);
    const order = { id: 1000 + i + 1, customer: s.customer, orderedMs: s.orderedMs, items: [] };
    const [coupon, pct] = couponFor(order, isFirst);
    order.coupon = coupon;
    order.status = statusFor(s.orderedMs);
    const r = rand();
    order.channelId = r < 0.68 ? s.customer.channelId : r < 0.86 && s.customer.optIn ? 4 : 7;
    for (const { product, quantity } of chooseLines(products, s.orderedMs)) {
      const unit = priceAt(product, s.orderedMs);
      order.items.push({
        id: itemId++,
        product,
        quantity,
        unitPriceCents: unit,
        discountCents: Math.round(unit * quantity * pct),
      });
    }
    order.subtotalCents = order.items.reduce((sum, it) => sum + it.unitPriceCents * it.quantity - it.discountCents, 0);
    order.shippingCents = order.subtotalCents >= 7500 ? 0 : 695;
    order.totalCents = order.subtotalCents + order.shippingCents;
    orders.push(order);
  });
  return orders;
}

// ---------------------------------------------------------------- payments

function buildPayments(orders) {
  const rows = [];
  const add = (order, method, type, status, cents, ms) =>
    rows.push({ orderId: order.id, method, type, status, cents, ms });

  for (const order of orders) {
    const placed = order.orderedMs;
    if (order.status === 'cancelled' && chance(0.5)) continue; // cancelled before checkout completed

    // Charges.
    const charges = [];
    const r = rand();
    const preferred = order.customer.prefersPaypal ? 'paypal' : 'credit_card';
    const method = r < 0.7 ? preferred : r < 0.8 ? (preferred === 'paypal' ? 'credit_card' : 'paypal') : r < 0.9 ? 'bank_transfer' : 'gift_card';
    const chargeAt = placed + (method === 'bank_transfer' ? randInt(1, 2) * DAY + randInt(0, 36_000) * 1000 : randInt(5, 240) * 1000);
    if (method === 'gift_card') {
      const balance = pick([2500, 5000, 10000]);
      const gc = Math.min(balance, order.totalCents);
      charges.push(['gift_card', gc, chargeAt]);
      if (order.totalCents > gc) charges.push(['credit_card', order.totalCents - gc, chargeAt + 20_000]);
    } else {
      charges.push([method, order.totalCents, chargeAt]);
    }
    for (const [m, cents, ms] of charges) {
      if ((m === 'credit_card' && chance(0.06)) || (m === 'paypal' && chance(0.02))) {
        add(order, m, 'charge', 'failed', cents, ms - randInt(30, 180) * 1000);
      }
      add(order, m, 'charge', 'success', cents, ms);
    }

    // Refunds go back to the method that carried the largest charge.
    const refundMethod = charges.reduce((a, b) => (b[1] > a[1] ? b : a))[0];
    const refund = (cents, ms) => add(order, refundMethod, 'refund', 'success', cents, ms);
    if (order.status === 'cancelled') {
      refund(order.totalCents, chargeAt + randInt(1, 20) * 3_600_000);
    } else if (order.status === 'returned') {
      // Shipping is non-refundable on returns.
      refund(order.subtotalCents, placed + randInt(6, 25) * DAY + timeOfDay());
    } else if (order.status === 'completed') {
      const earbuds = order.items.find((it) => it.product.name === 'Aurora Wireless Earbuds');
      if (earbuds && inWindow(placed, DEFECTIVE_BATCH) && chance(0.85)) {
        refund(earbuds.unitPriceCents * earbuds.quantity - earbuds.discountCents, placed + randInt(1, 3) * DAY + timeOfDay());
      } else if (order.items.length > 1 && chance(0.035)) {
        const it = pick(order.items);
        refund(it.unitPriceCents * it.quantity - it.discountCents, placed + randInt(4, 20) * DAY + timeOfDay());
      }
    }
  }
  rows.sort((a, b) => a.ms - b.ms || a.orderId - b.orderId);
  return rows.map((p, i) => ({ ...p, id: i + 1 }));
}

// ---------------------------------------------------------------- ad spend

function buildAdSpend() {
  const rows = [];
  for (const channel of CHANNELS.filter((c) => c.paid)) {
    for (let y = 2024; y <= 2025; y += 1) {
      for (let m = 0; m < 12; m += 1) {
        const monthMs = Date.UTC(y, m, 1);
        if (monthMs < utc(channel.launched)) continue;
        const spendCents = Math.round((channel.spend * MONTH_WEIGHT[m] * YEAR_WEIGHT[y] * (0.85 + rand() * 0.3)) / 100) * 100;
        const cpc = channel.id === 3 ? 0.9 : channel.id === 8 ? 2.4 : 1.6;
        rows.push({ channelId: channel.id, monthMs, spendCents, clicks: Math.round(spendCents / 100 / cpc) });
      }
    }
  }
  return rows;
}

// ---------------------------------------------------------------- CSV output

function csv(header, rows) {
  const cell = (v) => {
    if (v === null || v === undefined) return '';
    const s = String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header.join(','), ...rows.map((r) => r.map(cell).join(','))].join('\n') + '\n';
}
function write(name, header, rows) {
  const text = csv(header, rows);
  writeFileSync(join(SEEDS_DIR, `${name}.csv`), text);
  return { name, rows: rows.length, bytes: Buffer.byteLength(text) };
}

function main() {
  mkdirSync(SEEDS_DIR, { recursive: true });
  const products = buildProducts();
  const customers = buildCustomers(300);
  const orders = buildOrders(customers, products, 2500);
  const payments = buildPayments(orders);
  const adSpend = buildAdSpend();

  const written = [
    write('raw_channels', ['id', 'name', 'channel_group', 'is_paid', 'launched_on'],
      CHANNELS.map((c) => [c.id, c.name, c.group, c.paid, c.launched])),
    write('raw_ad_spend', ['channel_id', 'spend_month', 'spend_cents', 'clicks'],
      adSpend.map((r) => [r.channelId, fmtDate(r.monthMs), r.spendCents, r.clicks])),
    write('raw_products',
      ['id', 'sku', 'name', 'category', 'price_cents', 'cost_cents', 'is_active', 'launched_at', 'updated_at', '_loaded_at'],
      products.map((p) => [p.id, p.sku, p.name, p.category, p.history[p.history.length - 1][1], p.costCents,
        p.discontinuedMs === null, fmtTs(p.launchedMs + 9 * 3_600_000), fmtTs(p.updatedAt), loadedAt(p.updatedAt)])),
    write('raw_customers',
      ['id', 'first_name', 'last_name', 'email', 'country', 'city', 'acquisition_channel_id', 'signed_up_at', 'marketing_opt_in', '_loaded_at'],
      customers.map((c) => [c.id, c.first, c.last, c.email, c.country, c.city, c.channelId, fmtTs(c.signedUpMs), c.optIn,
        loadedAt(c.signedUpMs)])),
    write('raw_orders', ['id', 'user_id', 'channel_id', 'created_at', 'status', 'coupon_code', 'shipping_cents', '_loaded_at'],
      orders.map((o) => [o.id, o.customer.id, o.channelId, fmtTs(o.orderedMs), o.status, o.coupon, o.shippingCents,
        loadedAt(o.orderedMs)])),
    write('raw_order_items', ['id', 'order_id', 'product_id', 'quantity', 'unit_price_cents', 'discount_cents'],
      orders.flatMap((o) => o.items.map((it) => [it.id, o.id, it.product.id, it.quantity, it.unitPriceCents, it.discountCents]))),
    write('raw_payments', ['id', 'order_id', 'method', 'type', 'status', 'amount_cents', 'created_at', '_loaded_at'],
      payments.map((p) => [p.id, p.orderId, p.method, p.type, p.status, p.cents, fmtTs(p.ms), loadedAt(p.ms)])),
  ];
  for (const w of written) console.log(`${w.name}.csv: ${w.rows} rows, ${w.bytes} bytes`);
  console.log(`total: ${written.reduce((s, w) => s + w.bytes, 0)} bytes`);
}

main();
