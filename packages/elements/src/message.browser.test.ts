import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import './define.js';
import type { BeckonMessage } from './message.component.js';
import type { Message } from './types.js';

const base = (el: BeckonMessage) => el.shadowRoot!.querySelector<HTMLElement>('[part="base"]')!;

function message(layout: Message['layout'], content: Message['content'] = {}): Message {
  return { id: 'm1', layout, content: { title: 'Hello', body: 'Some **bold** words', ...content } };
}

async function show(m: Message): Promise<BeckonMessage> {
  const el = await fixture<BeckonMessage>(html`<beckon-message .message=${m}></beckon-message>`);
  return el;
}

describe('<beckon-message> smoke', () => {
  it('renders a modal and fires beckon-shown', async () => {
    const el = document.createElement('beckon-message');
    const shown = oneEvent(el, 'beckon-shown');
    el.message = message({ type: 'modal' });
    document.body.append(el);
    const event = await shown;
    expect(event.detail).to.deep.equal({ messageId: 'm1', layout: 'modal' });
    expect(base(el).getAttribute('role')).to.equal('dialog');
    expect(getComputedStyle(base(el)).position).to.equal('fixed');
    el.remove();
  });
  it('renders a banner', async () => {
    const el = await show(message({ type: 'banner' }));
    expect(base(el).getBoundingClientRect().width).to.equal(innerWidth);
  });
});
