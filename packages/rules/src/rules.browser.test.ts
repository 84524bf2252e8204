import { expect } from '@open-wc/testing';
import { compileCatalog, evaluate, matchPage, parseCatalog, parseLedger, record, recordPageView, emptyLedger } from './index.js';
import { evaluate as evaluateCompiled } from './runtime.js';

describe('@beckon/rules in Chromium', () => {
  it('validates, compiles (picomatch) and evaluates unchanged in a browser', () => {
    const { messages, errors } = parseCatalog({
      messages: [
        { id: 'coupon', pages: { include: ['/products/**'], exclude: ['/products/*/reviews'] }, frequency: { maxShows: 1 }, layout: { type: 'modal' }, content: { title: 'Hi' } },
        { id: 'bad', pages: { include: ['/pri[cing'] }, layout: { type: 'banner' }, content: { title: 'x' } },
      ],
    });
    expect(errors.map((error) => error.path)).to.deep.equal(['messages[1].pages.include[0]']);
    const catalog = compileCatalog(messages);
    const now = Date.now();
    const context = { url: `${location.origin}/products/42`, identified: false, visitorId: 'browser-visitor' };
    let ledger = recordPageView(emptyLedger(), now);
    expect(evaluateCompiled(catalog, context, ledger, now).show.map((d) => d.message.id)).to.deep.equal(['coupon']);

    // The ledger goes through real storage as the SDK keeps it, and the cap holds.
    ledger = record(ledger, { messageId: 'coupon', type: 'shown', at: now, tab: 'tab1' });
    localStorage.setItem('beckon-rules-test', JSON.stringify(ledger));
    const stored = parseLedger(localStorage.getItem('beckon-rules-test'));
    localStorage.removeItem('beckon-rules-test');
    expect(evaluate(catalog, context, stored, now + 1).skipped.map((s) => s.reason)).to.deep.equal(['frequency:maxShows']);
  });

  it('matches the page the browser is on', () => {
    expect(matchPage('/**', location.href)).to.equal(true);
    expect(matchPage(`${location.host}/**`, location.href)).to.equal(true);
    expect(matchPage('/products/**', location.href)).to.equal(false);
  });

  it('evaluates a compiled catalog that crossed the wire as JSON', () => {
    const wire = JSON.stringify(compileCatalog(parseCatalog([{ id: 'b', pages: { include: [{ regex: '^/p/\\d+$' }] }, layout: { type: 'banner' }, content: { title: 'x' } }]).messages));
    const context = { url: '/p/7?x=1', identified: false, visitorId: 'v' };
    expect(evaluateCompiled(JSON.parse(wire), context, emptyLedger(), Date.now()).show).to.have.length(1);
  });
});
