import { aTimeout, expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import './define.js';
import type { BeckonMessage } from './message.component.js';
import type { Message } from './types.js';

const html$ = document.documentElement;

const modal = (id = 'modal', actions = [
  { id: 'yes', label: 'Yes', url: '#yes', style: 'primary' as const },
  { id: 'no', label: 'No', dismiss: true },
]): Message => ({
  id,
  layout: { type: 'modal' },
  content: { title: 'Join us', body: 'Read [the terms](#terms) first.', actions },
});

/** What has focus inside the message's shadow root, by part or text. */
function focused(el: BeckonMessage): string {
  const active = el.shadowRoot!.activeElement;
  if (!active) return document.activeElement === el ? 'host' : `outside:${document.activeElement?.id || document.activeElement?.localName}`;
  return active.getAttribute('part') === 'base' ? 'dialog' : active.textContent!.trim() || active.getAttribute('part')!;
}

async function shiftTab(): Promise<void> {
  await sendKeys({ down: 'Shift' });
  await sendKeys({ press: 'Tab' });
  await sendKeys({ up: 'Shift' });
}

async function open(m: Message): Promise<BeckonMessage> {
  const el = document.createElement('beckon-message');
  const shown = oneEvent(el, 'beckon-shown');
  el.message = m;
  document.body.append(el);
  await shown;
  return el;
}

let page: HTMLElement;
let trigger: HTMLButtonElement;

beforeEach(async () => {
  page = await fixture(html`<div><button id="trigger">Open</button><div style="height: 4000px"></div></div>`);
  trigger = page.querySelector('#trigger')!;
  trigger.focus();
});

afterEach(() => {
  document.querySelectorAll('beckon-message').forEach((e) => e.remove());
  scrollTo(0, 0);
});

describe('<beckon-message> modal, by keyboard', () => {
  it('moves focus into the dialog, so its title and body are read out', async () => {
    const el = await open(modal());
    expect(focused(el)).to.equal('dialog');
  });

  it('Tab cycles through the controls inside and wraps; Shift+Tab goes back and wraps', async () => {
    const el = await open(modal());
    const forward: string[] = [];
    for (let i = 0; i < 5; i++) {
      await sendKeys({ press: 'Tab' });
      forward.push(focused(el));
    }
    expect(forward).to.deep.equal(['close', 'the terms', 'Yes', 'No', 'close']);
    const backward: string[] = [];
    for (let i = 0; i < 5; i++) {
      await shiftTab();
      backward.push(focused(el));
    }
    expect(backward).to.deep.equal(['No', 'Yes', 'the terms', 'close', 'No']);
  });

  it('Shift+Tab from the dialog itself goes to the last control', async () => {
    const el = await open(modal());
    await shiftTab();
    expect(focused(el)).to.equal('No');
  });

  it('with only the close button, Tab stays on it', async () => {
    const el = await open({ id: 'bare', layout: { type: 'modal' }, content: { title: 'Hi' } });
    for (let i = 0; i < 3; i++) {
      await sendKeys({ press: 'Tab' });
      expect(focused(el)).to.equal('close');
    }
  });

  it('focus moved outside by a script comes back into the dialog', async () => {
    const el = await open(modal());
    trigger.focus();
    expect(focused(el)).to.equal('dialog');
  });

  it('Escape dismisses via "escape" and focus returns to where it was', async () => {
    const el = await open(modal());
    await sendKeys({ press: 'Tab' });
    const dismissed = oneEvent(el, 'beckon-dismiss');
    await sendKeys({ press: 'Escape' });
    expect((await dismissed).detail).to.deep.equal({ messageId: 'modal', via: 'escape' });
    await el.updateComplete;
    expect(document.activeElement).to.equal(trigger);
  });

  it('Enter on an action activates it; the close button by keyboard dismisses and returns focus', async () => {
    const el = await open(modal());
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    expect(focused(el)).to.equal('Yes');
    const clicked = oneEvent(el, 'beckon-action');
    el.addEventListener('beckon-action', (e) => e.preventDefault());
    await sendKeys({ press: 'Enter' });
    expect((await clicked).detail.actionId).to.equal('yes');
    await shiftTab();
    await shiftTab();
    expect(focused(el)).to.equal('close');
    const dismissed = oneEvent(el, 'beckon-dismiss');
    await sendKeys({ press: 'Space' });
    expect((await dismissed).detail.via).to.equal('close-button');
    await el.updateComplete;
    expect(document.activeElement).to.equal(trigger);
  });

  it('removing an open modal from the page releases focus and scroll', async () => {
    const el = await open(modal());
    el.remove();
    expect(document.activeElement).to.equal(trigger);
    expect(html$.style.overflow).to.equal('');
    await sendKeys({ press: 'Tab' });
    expect(document.activeElement).to.not.equal(trigger);
  });

  it('stacked modals: Tab and Escape act on the newest; the page stays locked until the last closes', async () => {
    const first = await open(modal('first'));
    const second = await open(modal('second'));
    await sendKeys({ press: 'Tab' });
    expect(focused(second)).to.equal('close');
    const dismissed = oneEvent(second, 'beckon-dismiss');
    await sendKeys({ press: 'Escape' });
    await dismissed;
    await second.updateComplete;
    expect(first.open).to.equal(true);
    expect(focused(first)).to.equal('dialog');
    expect(html$.style.overflow).to.equal('hidden');
    await sendKeys({ press: 'Escape' });
    await first.updateComplete;
    expect(first.open).to.equal(false);
    expect(html$.style.overflow).to.equal('');
    expect(document.activeElement).to.equal(trigger);
  });
});

describe('<beckon-message> modal scroll lock', () => {
  it('locks page scrolling while open, keeps the position, and restores the page styles after', async () => {
    html$.style.overflow = 'scroll';
    html$.style.paddingRight = '3px';
    scrollTo(0, 500);
    const el = await open(modal());
    expect(getComputedStyle(html$).overflow).to.equal('hidden');
    expect(scrollY).to.equal(500);
    await sendKeys({ press: 'PageDown' });
    await aTimeout(50);
    expect(scrollY).to.equal(500);
    el.close();
    await el.updateComplete;
    expect(html$.style.overflow).to.equal('scroll');
    expect(html$.style.paddingRight).to.equal('3px');
    expect(scrollY).to.equal(500);
    html$.style.overflow = '';
    html$.style.paddingRight = '';
  });

  it('banners, popups and inline messages leave scrolling alone', async () => {
    for (const type of ['banner', 'popup', 'inline'] as const) {
      const el = document.createElement('beckon-message');
      el.message = { id: type, layout: { type }, content: { title: type } };
      page.prepend(el);
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('[part="base"]')).to.not.equal(null);
      expect(html$.style.overflow).to.equal('');
      el.remove();
    }
  });
});

describe('<beckon-message> banner and popup, by keyboard', () => {
  for (const type of ['popup', 'banner'] as const) {
    it(`Escape inside a ${type} dismisses it; Escape elsewhere does not`, async () => {
      const el = await open({ id: 'p', layout: { type }, content: { title: 'Hi', actions: [{ id: 'a', label: 'Go' }] } });
      const seen: string[] = [];
      el.addEventListener('beckon-dismiss', (e) => seen.push(e.detail.via));
      await sendKeys({ press: 'Escape' });
      expect(seen).to.deep.equal([]);
      el.shadowRoot!.querySelector<HTMLElement>('[part~="action"]')!.focus();
      await sendKeys({ press: 'Escape' });
      expect(seen).to.deep.equal(['escape']);
    });
  }

  it('a banner is reached with Tab like any page content', async () => {
    const el = await open({ id: 'b', layout: { type: 'banner' }, content: { title: 'Hi', actions: [{ id: 'a', label: 'Go' }] } });
    trigger.focus();
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement?.getAttribute('part')).to.equal('close');
  });
});
