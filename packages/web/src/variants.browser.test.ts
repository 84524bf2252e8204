// Experiments in the browser: the SDK renders the visitor's variant and names it in every message event, the same
// variant after a reload, in another tab and after identify; assignment gives the same answers as in Node.
import { assignVariant, type CompiledMessage, type Message } from '@beckon/rules';
import { expect } from '@open-wc/testing';
import { catalogOf, cleanup, elementOf, message, onScreen, start, until } from '../test/kit.js';

const sale: Message = message('sale', {
  audience: 'everyone',
  frequency: { stopOnDismiss: false },
  layout: { type: 'banner' },
  content: { title: 'Spring sale', actions: [{ id: 'close', label: 'Close', dismiss: true }] },
  variants: [
    { id: 'plain', weight: 1 },
    { id: 'loud', weight: 1, layout: { type: 'modal' }, content: { title: 'SPRING SALE', actions: [{ id: 'close', label: 'Close', dismiss: true }] } },
  ],
});

/** The properties of the track events named `event`. */
const propertiesOf = (events: ReturnType<typeof start>['events'], event: string) =>
  events.flatMap((e) => (e.type === 'track' && e.event === event ? [e.properties ?? {}] : []));

describe('variants', () => {
  afterEach(cleanup);

  it('gives the same fixed answers as in Node, and the weights’ shares within 1% over 100,000 visitors', () => {
    const list = [{ id: 'plain', weight: 1 }, { id: 'loud', weight: 2 }, { id: 'quiet', weight: 0.5 }];
    const ids = ['0b3f1c9e-6a7d-4e2f-9c1a-5d8e7f6a2b10', 'visitor-1', 'visitor-2', 'visitor-3', 'ü-ñ-👋', 'a', ''];
    expect(ids.map((id) => assignVariant('spring-sale', id, list)!.id)).to.deep.equal(['plain', 'loud', 'loud', 'loud', 'quiet', 'loud', 'loud']);
    const counts: Record<string, number> = { plain: 0, loud: 0, quiet: 0 };
    let digest = 0;
    for (let i = 0; i < 100_000; i++) {
      const id = assignVariant('spring-sale', `v${i}`, list)!.id;
      counts[id]!++;
      digest = (Math.imul(digest, 31) + id.charCodeAt(0) + id.length) | 0;
    }
    // The digest Node computes for the same 100,000 assignments (packages/rules/src/variant.test.ts).
    expect(digest).to.equal(-771358901);
    for (const { id, weight } of list) expect(Math.abs(counts[id]! / 100_000 - weight / 3.5)).to.be.below(0.01);
  });

  it('renders the visitor’s variant and sends variant_id; the same after a reload, in another tab and after identify', async () => {
    const catalog = catalogOf(sale);
    // A visitor whose variant differs from the message as written, so rendering the message itself would show.
    let n = 0;
    while (assignVariant('sale', `visitor-${n}`, sale.variants!)!.id !== 'loud') n++;
    const anonymousId = `visitor-${n}`;
    localStorage.setItem('beckon_anonymous_id', anonymousId);
    const first = start({ catalog });
    await first.beckon.ready;
    expect(first.beckon.anonymousId).to.equal(anonymousId);
    const variant = assignVariant('sale', anonymousId, sale.variants!)!;
    const title = variant.content?.title ?? 'Spring sale';
    await until(() => onScreen().includes('sale'), 'the sale message');
    expect(elementOf('sale').message!.layout.type).to.equal((variant.layout ?? sale.layout).type);
    expect(elementOf('sale').message!.content.title).to.equal(title);
    expect(elementOf('sale').shadowRoot!.textContent).to.include(title);
    await until(() => propertiesOf(first.events, 'Message Shown').length === 1, 'Message Shown');
    expect(propertiesOf(first.events, 'Message Shown')[0]).to.deep.equal({ message_id: 'sale', variant_id: variant.id, layout: (variant.layout ?? sale.layout).type });

    // Another tab: a second SDK on the same storage, drawing headless, is handed the same variant.
    const drawn: CompiledMessage[] = [];
    const tab = start({ catalog, render: false, onMessage: (m) => void drawn.push(m) });
    await tab.beckon.ready;
    await until(() => drawn.length === 1, 'the other tab’s message');
    expect(tab.beckon.anonymousId).to.equal(anonymousId);
    expect(drawn[0]!.content.title).to.equal(title);
    tab.beckon.destroy();

    // Dismissed: the event names the variant too.
    first.beckon.identify('user-1');
    elementOf('sale').shadowRoot!.querySelector<HTMLButtonElement>('button[part~="action"], button')!.click();
    await until(() => propertiesOf(first.events, 'Message Dismissed').length === 1, 'Message Dismissed');
    expect(propertiesOf(first.events, 'Message Dismissed')[0]).to.include({ message_id: 'sale', variant_id: variant.id });
    // Identified, on the next page: the same variant.
    first.beckon.page();
    await until(() => propertiesOf(first.events, 'Message Shown').length === 2, 'a second Message Shown after identify');
    expect(first.events.filter((e) => e.type === 'track' && e.event === 'Message Shown').at(-1)).to.deep.include({ userId: 'user-1' });
    expect(propertiesOf(first.events, 'Message Shown')[1]).to.include({ variant_id: variant.id });
    first.beckon.destroy();

    // A reload: a new SDK on the same storage, still identified, still the same variant.
    const reloaded = start({ catalog });
    await reloaded.beckon.ready;
    expect(reloaded.beckon.anonymousId).to.equal(anonymousId);
    await until(() => propertiesOf(reloaded.events, 'Message Shown').length === 1, 'Message Shown after the reload');
    expect(propertiesOf(reloaded.events, 'Message Shown')[0]).to.include({ variant_id: variant.id });
    expect(elementOf('sale').message!.content.title).to.equal(title);
  });

  it('names the variant a held-out visitor would have seen in Message Held Out', async () => {
    const { beckon, events } = start({ catalog: catalogOf({ ...sale, holdout: 0.999 }) });
    await beckon.ready;
    await until(() => propertiesOf(events, 'Message Held Out').length === 1, 'Message Held Out');
    const variant = assignVariant('sale', beckon.anonymousId, sale.variants!)!;
    expect(propertiesOf(events, 'Message Held Out')[0]).to.deep.equal({ message_id: 'sale', variant_id: variant.id });
    expect(onScreen()).to.deep.equal([]);
  });
});
