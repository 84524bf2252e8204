// The browser rows of the fault matrix: storage that throws or is full, offline, a collector that fails and hangs, a
// tab killed with a batch in flight, two tabs racing a cap, a device clock that jumps, hostile content, a strict
// Content-Security-Policy, a catalog pattern that would backtrack and hostile URLs. Each runs the built beckon.min.js
// in Chromium against a real server and checks what reached the server's database.
import type { BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { anonymousIdOf, flush, shownIn, startFaultSite, waitShown, type FaultSite } from './browser.js';
import { until } from '../waiting.js';
import { observe } from './table.js';

const DAY = 86_400_000;
const XSS = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>';

const CATALOG = {
  messages: [
    { id: 'welcome', pages: { include: ['/welcome'] }, layout: { type: 'banner' }, content: { title: 'Welcome' } },
    { id: 'capped', pages: { include: ['/capped'] }, frequency: { maxShows: 1 }, layout: { type: 'modal' }, content: { title: 'Once only' } },
    { id: 'daily', pages: { include: ['/daily'] }, frequency: { minInterval: '1d' }, layout: { type: 'popup' }, content: { title: 'Once a day' } },
    {
      id: 'hostile',
      pages: { include: ['/hostile'] },
      layout: { type: 'modal' },
      content: { title: XSS, body: `${XSS} [click](javascript:window.pwned=3)`, actions: [{ id: 'go', label: XSS, url: 'https://shop.example/next' }] },
    },
    { id: 'store', pages: { include: ['/store/**'], exclude: ['/store/signup'] }, layout: { type: 'banner' }, content: { title: 'Store offer' } },
  ],
};

/** The events the server stored for one visitor, as `name/message` (or `type`) lines, oldest first. */
function storedFor(site: FaultSite, anonymousId: string): string[] {
  return site
    .stored()
    .filter((e) => e.anonymous_id === anonymousId)
    .map((e) => [e.name ?? e.type, e.message_id].filter(Boolean).join('/'));
}

/** How often each event id was stored (a repeat would count twice). */
function timesStored(site: FaultSite, anonymousId: string): number[] {
  const counts = new Map<string, number>();
  for (const e of site.stored()) if (e.anonymous_id === anonymousId) counts.set(e.event_id, (counts.get(e.event_id) ?? 0) + 1);
  return [...counts.values()];
}

/** Tracks `n` events named `name` in `page`. */
const trackMany = (page: Page, n: number, name: string) =>
  page.evaluate(
    ([count, event]) => {
      for (let i = 0; i < count; i++) (window as unknown as { app: { track(e: string, p: object): void } }).app.track(event, { i });
    },
    [n, name] as const,
  );

export function describeBrowserFaults(): void {
  describe('browser faults (Chromium, beckon.min.js, SQLite)', () => {
    let site: FaultSite;
    const contexts: BrowserContext[] = [];
    const visitor = async () => {
      const context = await site.visitor();
      contexts.push(context);
      return context;
    };
    const on = (fault: string) => `${fault} [browser]`;

    beforeAll(async () => {
      site = await startFaultSite(CATALOG);
    }, 180_000); // builds beckon.min.js first when a source is newer
    afterEach(async () => {
      for (const context of contexts.splice(0)) await context.close();
      site.problems.errors.length = 0;
      site.problems.warnings.length = 0;
    });
    afterAll(async () => {
      await site?.close();
    });

    it('storage that throws on every access: messages show, events are stored, one warning, no page error', async () => {
      const context = await visitor();
      await context.addInitScript(() => {
        const blocked = () => {
          throw new DOMException('The operation is insecure.', 'SecurityError');
        };
        for (const name of ['localStorage', 'sessionStorage']) Object.defineProperty(window, name, { configurable: true, get: blocked });
        Object.defineProperty(Document.prototype, 'cookie', { configurable: true, get: blocked, set: blocked });
      });
      const page = await site.open(context, '/welcome');
      await waitShown(page, 'welcome');
      await flush(page);
      const stored = storedFor(site, await anonymousIdOf(page));
      const { errors, warnings } = site.problems;
      observe(on('cookies, localStorage and sessionStorage all throw'), 'shown; page view and show stored; 1 warning; no page error', `${(await shownIn(page)).join() || 'nothing'} shown; stored: ${stored.join(', ')}; ${warnings.length} warning(s); ${errors.length} page error(s)`);
      expect(stored).toEqual(['page', 'Message Shown/welcome']);
      expect(warnings).toHaveLength(1);
      expect(errors).toEqual([]);
    });

    it('a full storage quota: messages show and events are stored', async () => {
      const context = await visitor();
      await context.addInitScript(() => {
        Storage.prototype.setItem = () => {
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        };
      });
      const page = await site.open(context, '/welcome', { storage: 'local' });
      await waitShown(page, 'welcome');
      await flush(page);
      const stored = storedFor(site, await anonymousIdOf(page));
      observe(on('every localStorage write fails with QuotaExceededError'), 'shown; page view and show stored; no page error', `${(await shownIn(page)).join() || 'nothing'} shown; stored: ${stored.join(', ')}; ${site.problems.errors.length} page error(s)`);
      expect(stored).toEqual(['page', 'Message Shown/welcome']);
      expect(site.problems.errors).toEqual([]);
    });

    it('offline: nothing is lost, and back online every event is stored once', async () => {
      const context = await visitor();
      const page = await site.open(context, '/welcome');
      await waitShown(page, 'welcome');
      await flush(page);
      const anonymousId = await anonymousIdOf(page);
      await context.setOffline(true);
      await trackMany(page, 5, 'Offline Click');
      // A flush settles every request it starts: offline, all fail and the events stay queued.
      await flush(page);
      const whileOffline = storedFor(site, anonymousId).filter((e) => e === 'Offline Click').length;
      await context.setOffline(false);
      await until(() => storedFor(site, anonymousId).filter((e) => e === 'Offline Click').length, (n) => n === 5, 'the offline events');
      await flush(page);
      const counts = timesStored(site, anonymousId);
      observe(on('5 events tracked offline, then back online'), '0 stored offline; all 5 once online, none twice', `${whileOffline} stored offline; ${storedFor(site, anonymousId).filter((e) => e === 'Offline Click').length} once online; max ${Math.max(...counts)}x`);
      expect(whileOffline).toBe(0);
      expect(Math.max(...counts)).toBe(1);
    });

    it('a collector that answers 503, then hangs, then recovers: every event stored once', async () => {
      const context = await visitor();
      const faults = ['503', 'hang'];
      const seen: string[] = [];
      await context.route('**/v1/batch', async (route: Route) => {
        const fault = faults.shift();
        seen.push(fault ?? 'ok');
        if (fault === '503') return route.fulfill({ status: 503, headers: { 'retry-after': '0' }, body: '{"error":"busy"}' });
        if (fault === 'hang') return; // never answered: the tracker's own timeout gives up on it
        return route.continue();
      });
      const page = await site.open(context, '/welcome');
      const anonymousId = await anonymousIdOf(page);
      await trackMany(page, 4, 'Flaky Click');
      await until(() => storedFor(site, anonymousId).filter((e) => e === 'Flaky Click').length, (n) => n === 4, 'the events, past the faults', 30_000);
      await flush(page);
      const counts = timesStored(site, anonymousId);
      observe(on('collector answers 503, then hangs, then works'), 'all 4 events stored, none twice', `${seen.slice(0, 3).join(', ')}; ${storedFor(site, anonymousId).filter((e) => e === 'Flaky Click').length} stored; max ${Math.max(...counts)}x`);
      expect(seen.slice(0, 2)).toEqual(['503', 'hang']);
      expect(Math.max(...counts)).toBe(1);
    });

    it('a tab killed with its batch in flight: the next page of the site sends it, each event stored once', async () => {
      const context = await visitor();
      const held: Route[] = [];
      await context.route('**/v1/batch', (route: Route) => void held.push(route));
      const first = await site.open(context, '/welcome', { storage: 'local' });
      const anonymousId = await anonymousIdOf(first);
      await trackMany(first, 3, 'Killed Click');
      void flush(first).catch(() => undefined); // settles only when the tab is gone
      await until(() => held.length, (n) => n > 0, 'a batch in flight');
      await first.close(); // the tab goes away; its requests were never answered
      await context.unroute('**/v1/batch');
      const second = await site.open(context, '/about', { storage: 'local' });
      await until(() => storedFor(site, anonymousId).filter((e) => e === 'Killed Click').length, (n) => n === 3, 'the killed tab’s events, from the next page');
      await flush(second);
      const counts = timesStored(site, anonymousId);
      observe(on('tab closed with a batch of 3 in flight, then another page opened'), 'all 3 stored by the next page, none twice', `${storedFor(site, anonymousId).filter((e) => e === 'Killed Click').length} stored; max ${Math.max(...counts)}x`);
      expect(Math.max(...counts)).toBe(1);
    });

    it('two tabs racing a maxShows 1 cap: shown in one tab, stored once', async () => {
      const context = await visitor();
      const decided: string[] = [];
      context.on('console', (message) => message.type() === 'info' && message.text().includes('/capped') && decided.push(message.text()));
      const [a, b] = await Promise.all([site.open(context, '/capped', { debug: true }), site.open(context, '/capped', { debug: true })]);
      // Each tab logs its decision (debug): once both have decided, a tab that would show has begun to.
      await until(() => decided.length, (n) => n >= 2, 'both tabs’ decisions');
      const shownTabs = await until(async () => [...(await shownIn(a!)), ...(await shownIn(b!))], (ids) => ids.length >= 1, 'the show in one tab');
      await Promise.all([flush(a!), flush(b!)]);
      const shows = storedFor(site, await anonymousIdOf(a!)).filter((e) => e === 'Message Shown/capped').length;
      observe(on('two tabs open a page with a maxShows 1 message at once'), 'shown in 1 tab; 1 show stored', `shown in ${shownTabs.length} tab(s); ${shows} show(s) stored`);
      expect(shownTabs).toEqual(['capped']);
      expect(shows).toBe(1);
    });

    it('a device clock a year ahead, then set right: the message is held back a day, not a year', async () => {
      const context = await visitor();
      const realNow = Date.now();
      await context.clock.setSystemTime(realNow + 365 * DAY);
      const ahead = await site.open(context, '/daily', { storage: 'local' });
      await waitShown(ahead, 'daily');
      await flush(ahead);
      const anonymousId = await anonymousIdOf(ahead);
      const shownAt = site.stored().find((e) => e.anonymous_id === anonymousId && e.name === 'Message Shown')?.time ?? NaN;
      await ahead.close();
      await context.clock.setSystemTime(realNow + 60_000);
      const sameDay = await site.open(context, '/daily', { storage: 'local' });
      const sameDayShows = sameDay.evaluate(() => (window as unknown as { app: { explain(): Array<{ id: string; show: boolean; reason?: string }> } }).app.explain());
      const heldBack = (await sameDayShows).find((e) => e.id === 'daily');
      await sameDay.close();
      await context.clock.setSystemTime(realNow + DAY + 120_000);
      const nextDay = await site.open(context, '/daily', { storage: 'local' });
      await waitShown(nextDay, 'daily');
      observe(
        on('device clock a year ahead at a show, then set right'),
        'stored at about the time received; held back the same day; shown the next day',
        `stored ${Math.round((shownAt - realNow) / 60_000)} min from now; same day ${heldBack?.show ? 'shown' : 'held back'}; next day shown`,
      );
      expect(Math.abs(shownAt - realNow)).toBeLessThan(10 * 60_000);
      expect(heldBack?.show).toBe(false);
    });

    it('hostile content in a message is shown as text: no element, no script, no javascript: link', async () => {
      const context = await visitor();
      const page = await site.open(context, '/hostile');
      await waitShown(page, 'hostile');
      const found = await page.evaluate(() => {
        const el = document.querySelector('beckon-message')!;
        const shadow = el.shadowRoot!;
        return {
          injected: shadow.querySelectorAll('img, script, iframe').length + document.querySelectorAll('body > img, body > script:not([src])').length,
          javascriptLinks: [...shadow.querySelectorAll('a')].filter((a) => a.href.toLowerCase().startsWith('javascript:')).length,
          text: shadow.textContent ?? '',
          pwned: (window as unknown as { pwned?: number }).pwned ?? null,
        };
      });
      observe(on('markup and a javascript: link in title, body and label'), 'shown as text; 0 elements made; 0 javascript: links; no script ran', `${found.text.includes('<img src=x') ? 'shown as text' : 'not as text'}; ${found.injected} elements made; ${found.javascriptLinks} javascript: links; ${found.pwned === null ? 'no script ran' : 'a script ran'}`);
      expect(found).toMatchObject({ injected: 0, javascriptLinks: 0, pwned: null });
      expect(found.text).toContain('<img src=x onerror="window.pwned=1">');
    });

    it('a strict Content-Security-Policy: messages show, styled, with no violation, and events are stored', async () => {
      const context = await visitor();
      const page = await site.open(context, '/welcome', {}, true);
      await waitShown(page, 'welcome');
      await flush(page);
      const seen = await page.evaluate(() => {
        const el = document.querySelector('beckon-message')!;
        const styled = [...el.shadowRoot!.querySelectorAll('*')].some((node) => getComputedStyle(node).position === 'fixed');
        return { styled, violations: (window as unknown as { violations: string[] }).violations };
      });
      const stored = storedFor(site, await anonymousIdOf(page));
      observe(on("page served with script-src 'self'; style-src 'self'; no unsafe-*"), 'shown and styled; 0 violations; events stored', `${seen.styled ? 'shown and styled' : 'not styled'}; ${seen.violations.length} violations; stored: ${stored.join(', ')}`);
      expect(seen).toEqual({ styled: true, violations: [] });
      expect(stored).toEqual(['page', 'Message Shown/welcome']);
    });

    it('an authored catalog with a pattern that would backtrack: refused with a warning naming it, the others show', async () => {
      const context = await visitor();
      const catalog = {
        messages: [
          { id: 'redos', pages: { include: ['/(a+)+$'] }, layout: { type: 'modal' }, content: { title: 'Never' } },
          { id: 'fine', layout: { type: 'banner' }, content: { title: 'Fine' } },
        ],
      };
      const page = await site.open(context, `/${'a'.repeat(40)}!`, { catalog });
      await waitShown(page, 'fine');
      const started = Date.now();
      const explained = await page.evaluate((url) => (window as unknown as { app: { explain(u: string): Array<{ id: string; show: boolean; reason: string }> } }).app.explain(url), `/${'a'.repeat(8_000)}!`);
      const explainMs = Date.now() - started;
      const warning = site.problems.warnings.find((w) => w.includes('(a+)+$')) ?? 'no warning';
      observe(on('inline catalog with glob "/(a+)+$", on a URL of 8,000 a’s'), 'that message refused with a warning; the other shows; explain at once', `${warning.includes('messages[0].pages.include[0]') ? 'refused, warned' : 'no warning'}; shown: ${(await shownIn(page)).join()}; explain ${explainMs} ms`);
      expect(warning).toContain('messages[0].pages.include[0]: "/(a+)+$" is refused');
      expect(await shownIn(page)).toEqual(['fine']);
      expect(explained.find((e) => e.id === 'redos')).toMatchObject({ show: false, reason: 'invalid' });
      expect(explainMs).toBeLessThan(2_000);
    });

    it('hostile URLs: repeated slashes and an encoded NUL do not slip past an exclude', async () => {
      const context = await visitor();
      const seen: string[] = [];
      for (const url of ['/store/signup', '/store//signup', '/store/signup%00', '/store/./signup', '/store/shoes']) {
        const page = await site.open(context, url, { debug: true });
        const verdict = await page.evaluate(() => (window as unknown as { app: { explain(): Array<{ id: string; show: boolean; reason: string }> } }).app.explain().find((e) => e.id === 'store')!);
        // `page`: the page rule says no; anything else (shown, or already showing) means it matched.
        if (verdict.reason !== 'page') await waitShown(page, 'store');
        seen.push(`${url} ${verdict.reason === 'page' ? 'excluded' : 'shown'}`);
        await page.close();
      }
      observe(on('exclude /store/signup, visited as //, %00 and ./'), 'excluded, excluded, excluded, excluded; /store/shoes shown', seen.map((s) => s.split(' ')[1]).join(', '));
      expect(seen).toEqual(['/store/signup excluded', '/store//signup excluded', '/store/signup%00 excluded', '/store/./signup excluded', '/store/shoes shown']);
    });
  });
}
