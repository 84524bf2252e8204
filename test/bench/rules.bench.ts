// @beckon/rules: evaluate over 1,000 and 10,000 compiled messages (and against the naive way of calling
// picomatch.isMatch for every rule), compiling 1,000 messages, and the size of a stored ledger.
import { createRequire } from 'node:module';
import type picomatchType from 'picomatch';
import { Bench } from 'tinybench';
import { compileCatalog, emptyLedger, evaluate, parseCatalog, prune, record, recordPageView, type Ledger, type Message, type PagePattern } from '@beckon/rules';
import { formatDuration, printBench, printTable } from './table.js';

// picomatch is @beckon/rules' dependency, not the root's; the naive baseline loads it from there.
const picomatch = createRequire(new URL('../../packages/rules/package.json', import.meta.url))('picomatch/posix.js') as typeof picomatchType;

const CATEGORIES = ['shoes', 'shirts', 'bags', 'hats', 'socks', 'coats', 'belts', 'watches'];

/** `count` messages with a mix of every rule form, frequency option and trigger, as a store would write them. */
function catalog(count: number): Message[] {
  return Array.from({ length: count }, (_, i): Message => {
    const category = CATEGORIES[i % CATEGORIES.length]!;
    const pages = [
      { include: [`/products/${i}/**`], exclude: [`/products/${i}/reviews`] },
      { include: [`/category/${category}/*`, `/category/${category}`], exclude: ['/category/*/sale'] },
      { include: [`shop${i % 10}.example.com/checkout/**`] },
      { include: [{ regex: `^/blog/${i}/\\d+$` }] },
      { include: [`/search?q=${category}*`] },
      { include: [{ contains: `promo-${i}` }], exclude: [{ equals: '/account' }] },
      { include: ['/pricing', '/plans/*', '/products/**'] },
    ][i % 7]!;
    return {
      id: `msg-${String(i).padStart(5, '0')}`,
      audience: (['anonymous', 'everyone', 'identified'] as const)[i % 3],
      pages,
      trigger: i % 4 === 0 ? { delay: '5s' } : i % 4 === 1 ? { scrollPercent: 50, minPageViews: 2 } : i % 4 === 2 ? { event: 'added_to_cart' } : undefined,
      frequency: { maxShows: 3, minInterval: '1d', caps: [{ max: 1, per: 'session' }, { max: 2, per: '7d' }] },
      schedule: i % 5 === 0 ? { start: '2026-01-01T00:00:00Z', end: '2027-01-01T00:00:00Z' } : undefined,
      priority: i % 10,
      holdout: i % 6 === 0 ? 0.1 : undefined,
      layout: i % 2 ? { type: 'banner', position: 'top' } : { type: 'modal' },
      content: { title: `Offer ${i}`, body: 'Ten percent off your first order.', actions: [{ id: 'go', label: 'Shop now', url: '/shop' }] },
    };
  });
}

const now = Date.parse('2026-06-01T12:00:00Z');
const context = { url: 'https://shop3.example.com/products/42/details?ref=home', identified: false, visitorId: 'visitor-1234' };
const messages1k = catalog(1_000);
const messages10k = catalog(10_000);
const compiled1k = compileCatalog(messages1k);
const compiled10k = compileCatalog(messages10k);

/** A visitor seen before: a session under way and history for every 20th message. */
function visitorLedger(messages: Message[]): Ledger {
  let ledger = recordPageView(recordPageView(emptyLedger(), now - 60_000), now);
  for (const [i, message] of messages.entries()) {
    if (i % 20 === 0) ledger = record(ledger, { messageId: message.id, type: 'shown', at: now - 3 * 86_400_000 });
  }
  return ledger;
}
const ledger1k = visitorLedger(messages1k);
const ledger10k = visitorLedger(messages10k);

/** The naive way: picomatch.isMatch (which compiles the glob) and new RegExp for every rule, every evaluation. */
function naiveEvaluate(messages: Message[], url: URL): string[] {
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const matches = (pattern: PagePattern): boolean => {
    if (typeof pattern !== 'string') {
      if ('regex' in pattern) return new RegExp(pattern.regex, 'iu').test(path + url.search);
      if ('contains' in pattern) return (path + url.search).toLowerCase().includes(pattern.contains.toLowerCase());
      return path.toLowerCase() === pattern.equals.toLowerCase();
    }
    const [glob = '', query] = pattern.split('?');
    const subject = glob.startsWith('/') ? path : url.hostname + path;
    if (!picomatch.isMatch(subject, glob, { dot: true, nocase: true })) return false;
    return !query || query.split('&').every((pair) => {
      const [name = '', value = '*'] = pair.split('=');
      return picomatch.isMatch(url.searchParams.get(name) ?? '', value, { nocase: true });
    });
  };
  return messages
    .filter((message) => {
      const rules = message.pages ?? {};
      return !(rules.exclude ?? []).some(matches) && (!rules.include?.length || rules.include.some(matches));
    })
    .map((message) => message.id);
}
const pageUrl = new URL(context.url);

const evaluations = new Bench({ name: '@beckon/rules: evaluate one page view', time: 1_000 });
evaluations.add('evaluate, 1,000 compiled messages', () => {
  evaluate(compiled1k, context, ledger1k, now);
});
evaluations.add('evaluate, 10,000 compiled messages', () => {
  evaluate(compiled10k, context, ledger10k, now);
});
evaluations.add('naive picomatch.isMatch per rule, 1,000 messages', () => {
  naiveEvaluate(messages1k, pageUrl);
});
await evaluations.run();
printBench(evaluations);

const median = (name: string) => evaluations.tasks.find((task) => task.name.startsWith(name))?.result as { latency?: { p50?: number } } | undefined;
const ours = median('evaluate, 1,000')?.latency?.p50 ?? NaN;
const naive = median('naive')?.latency?.p50 ?? NaN;
const shown = evaluate(compiled1k, context, ledger1k, now);
printTable('evaluate against the naive approach (1,000 messages)', [
  { measure: 'median, compiled catalog', value: formatDuration(ours) },
  { measure: 'median, naive picomatch.isMatch', value: formatDuration(naive) },
  { measure: 'speed-up', value: `${(naive / ours).toFixed(0)}×` },
  { measure: 'messages shown / skipped', value: `${shown.show.length} / ${shown.skipped.length}` },
]);

// Long URLs: many linear regex patterns that all scan an 8,000-character path to its end without matching.
const longUrl = { ...context, url: `https://shop3.example.com/${'a'.repeat(8_000)}` };
const longCatalog = (count: number) =>
  compileCatalog(Array.from({ length: count }, (_, i): Message => ({
    id: `long-${i}`, pages: { include: [{ regex: `^/a.*b${i}$` }] }, layout: { type: 'modal' }, content: { title: `${i}` },
  })));
const long300 = longCatalog(300);
const long1500 = longCatalog(1_500);
const longUrls = new Bench({ name: '@beckon/rules: patterns "^/a.*b<i>$" against an 8,000-character URL', time: 2_000, iterations: 3 });
longUrls.add('evaluate, 300 patterns', () => {
  evaluate(long300, longUrl, emptyLedger(), now);
});
longUrls.add('evaluate, 1,500 patterns', () => {
  evaluate(long1500, longUrl, emptyLedger(), now);
});
await longUrls.run();
printBench(longUrls);

// compileCatalog remembers compiled patterns, so each run gets a catalog whose patterns it has not seen.
const fresh = Array.from({ length: 80 }, (_, k) => catalog(1_000).map((m) => ({ ...m, id: `${m.id}-${k}`, pages: JSON.parse(JSON.stringify(m.pages).replaceAll('"/', `"/v${k}/`)) })));
const parsed = fresh.map((messages) => parseCatalog(messages).messages);
let next = 0;
const compiling = new Bench({ name: '@beckon/rules: compiling 1,000 messages whose patterns are new', time: 3_000 });
compiling.add('compileCatalog of parsed messages', () => {
  compileCatalog(parsed[next++ % parsed.length]!);
});
compiling.add('parseCatalog + compileCatalog', () => {
  compileCatalog(parseCatalog(fresh[next++ % fresh.length]!).messages);
});
const wire = JSON.stringify(compiled1k);
compiling.add('a catalog from the wire: JSON.parse + first evaluate', () => {
  evaluate(JSON.parse(wire), context, ledger1k, now);
});
await compiling.run();
printBench(compiling);

// A ledger that has seen 100 messages, each shown 3 times and most dismissed or acted on, pruned as stored.
const hundred = compileCatalog(messages1k.slice(0, 100));
const histories = (tab: string | undefined) => {
  let ledger = recordPageView(emptyLedger(), now);
  for (const [i, { id }] of hundred.messages.entries()) {
    for (const days of [9, 5, 1]) ledger = record(ledger, { messageId: id, type: 'shown', at: now - days * 86_400_000 - i * 1_000, tab });
    if (i % 3 !== 2) ledger = record(ledger, { messageId: id, type: i % 3 ? 'dismissed' : 'action', at: now - 86_400_000 + 5_000, tab });
  }
  return prune(ledger, hundred, now);
};
const bytes = (ledger: Ledger) => `${new TextEncoder().encode(JSON.stringify(ledger)).length.toLocaleString('en-US')} B`;
printTable('ledger with 100 messages (3 shows each, 2 in 3 dismissed or acted on), as JSON after prune', [
  { ledger: 'records without a tab id', size: bytes(histories(undefined)) },
  { ledger: 'records with a tab id (sub-millisecond fraction)', size: bytes(histories('k3x9')) },
]);
