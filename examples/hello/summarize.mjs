// The example's command benchmark: a small JSON-heavy job, like a report or build step a repository
// ships. It makes ITEMS orders (argument 1, default 20000), serialises them, parses them back and
// sums them per customer, then prints one line. Deterministic: the same argument does the same work.
const items = Number(process.argv[2] ?? 20000);
if (!Number.isInteger(items) || items < 1) {
  console.error(`usage: node summarize.mjs [ITEMS], ITEMS a positive integer, got ${process.argv[2]}`);
  process.exit(2);
}

let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

const orders = Array.from({ length: items }, (_, i) => ({
  id: i,
  customer: `customer-${Math.floor(random() * 500)}`,
  lines: Array.from({ length: 1 + (i % 5) }, () => ({
    sku: `sku-${Math.floor(random() * 10000)}`,
    quantity: 1 + Math.floor(random() * 4),
    price: Math.round(random() * 10000) / 100
  }))
}));

const parsed = JSON.parse(JSON.stringify(orders));
const totals = new Map();
for (const order of parsed) {
  const sum = order.lines.reduce((s, l) => s + l.quantity * l.price, 0);
  totals.set(order.customer, (totals.get(order.customer) ?? 0) + sum);
}
const top = [...totals].sort((a, b) => b[1] - a[1])[0];
console.log(`${items} orders, ${totals.size} customers, top ${top[0]} ${top[1].toFixed(2)}`);
