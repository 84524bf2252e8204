import { aTimeout, expect, fixture, html, nextFrame, oneEvent, waitUntil } from '@open-wc/testing';
import { resetMouse, sendMouse } from '@web/test-runner-commands';
import './define.js';
import type { BeckonActionDetail, BeckonDismissDetail } from './events.js';
import type { BeckonMessage } from './message.component.js';
import type { Layout, Message } from './types.js';

const part = <T extends Element = HTMLElement>(el: BeckonMessage, name: string) => el.shadowRoot!.querySelector<T & Element>(`[part~="${name}"]`);
const base = (el: BeckonMessage) => part(el, 'base')!;

function message(layout: Layout | Record<string, unknown>, content: Message['content'] = {}, id = 'coupon'): Message {
  return { id, layout: layout as Layout, content: { title: '10% off', body: 'Create an **account**.', ...content } };
}

/** Appends a <beckon-message> showing `m`; resolves once it reports being on screen and its entrance animation is over. */
async function show(m: Message, parent: Element = document.body): Promise<BeckonMessage> {
  const el = document.createElement('beckon-message');
  const shown = oneEvent(el, 'beckon-shown');
  el.message = m;
  parent.append(el);
  await shown;
  await Promise.all(el.shadowRoot!.getAnimations().map((a) => a.finished));
  return el;
}

/** Collects the events of the given types fired on `target`, in order. */
function record(target: EventTarget, ...types: string[]): Array<{ type: string; detail: unknown }> {
  const seen: Array<{ type: string; detail: unknown }> = [];
  for (const type of types) target.addEventListener(type, (e) => seen.push({ type, detail: (e as CustomEvent).detail }));
  return seen;
}

afterEach(() => {
  document.querySelectorAll('beckon-message, .page-fixture').forEach((e) => e.remove());
});

describe('<beckon-message> layouts', () => {
  it('modal: a labelled, described dialog centred over a backdrop', async () => {
    const el = await show(message({ type: 'modal' }));
    const dialog = base(el);
    expect(dialog.getAttribute('role')).to.equal('dialog');
    expect(dialog.getAttribute('aria-modal')).to.equal('true');
    expect(el.shadowRoot!.getElementById(dialog.getAttribute('aria-labelledby')!)!.textContent).to.equal('10% off');
    expect(el.shadowRoot!.getElementById(dialog.getAttribute('aria-describedby')!)!.textContent).to.equal('Create an account.');
    const rect = dialog.getBoundingClientRect();
    expect(Math.abs(rect.left + rect.width / 2 - innerWidth / 2)).to.be.below(2);
    expect(Math.abs(rect.top + rect.height / 2 - innerHeight / 2)).to.be.below(2);
    const backdrop = part(el, 'backdrop')!.getBoundingClientRect();
    expect([backdrop.left, backdrop.top, backdrop.width, backdrop.height]).to.deep.equal([0, 0, innerWidth, innerHeight]);
  });

  it('modal without a title is labelled by its body', async () => {
    const el = await show(message({ type: 'modal' }, { title: undefined }));
    expect(base(el).getAttribute('aria-labelledby')).to.equal('body');
    expect(base(el).hasAttribute('aria-describedby')).to.equal(false);
  });

  for (const position of ['top', 'bottom'] as const) {
    it(`banner at the ${position}: full width over the page, a labelled region`, async () => {
      const el = await show(message({ type: 'banner', position }));
      const rect = base(el).getBoundingClientRect();
      expect(rect.width).to.equal(innerWidth);
      if (position === 'top') expect(rect.top).to.equal(0);
      else expect(rect.bottom).to.equal(innerHeight);
      expect(getComputedStyle(base(el)).position).to.equal('fixed');
      expect(base(el).getAttribute('role')).to.equal('region');
      expect(base(el).getAttribute('aria-labelledby')).to.equal('title');
    });
  }

  it('banner with push: in the flow, pushing the content after it down', async () => {
    const page = await fixture(html`<div class="page-fixture" style="display: flow-root"><p id="after" style="margin: 0">content</p></div>`);
    const after = page.querySelector('#after')!;
    const before = after.getBoundingClientRect().top;
    const el = document.createElement('beckon-message');
    const shown = oneEvent(el, 'beckon-shown');
    el.message = message({ type: 'banner', push: true });
    page.prepend(el);
    await shown;
    await Promise.all(el.shadowRoot!.getAnimations().map((a) => a.finished));
    expect(getComputedStyle(base(el)).position).to.equal('relative');
    expect(after.getBoundingClientRect().top).to.be.closeTo(before + base(el).getBoundingClientRect().height, 1);
  });

  it('banner and popup are announced politely once on screen', async () => {
    for (const type of ['banner', 'popup'] as const) {
      const el = await show(message({ type }));
      await el.updateComplete;
      const live = el.shadowRoot!.querySelector('[aria-live="polite"]')!;
      expect(live.getAttribute('role')).to.equal('status');
      expect(live.textContent).to.contain('10% off').and.contain('Create an account.');
      el.remove();
    }
  });

  for (const position of ['top-left', 'top-right', 'bottom-left', 'bottom-right'] as const) {
    it(`popup in the ${position} corner`, async () => {
      const el = await show(message({ type: 'popup', position }));
      const rect = base(el).getBoundingClientRect();
      const [v, h] = position.split('-');
      expect(v === 'top' ? rect.top : innerHeight - rect.bottom).to.equal(16);
      expect(h === 'left' ? rect.left : innerWidth - rect.right).to.equal(16);
      expect(rect.width).to.equal(352);
    });
  }

  it('banners and popups never take focus', async () => {
    const page = await fixture(html`<div class="page-fixture"><button id="mine">mine</button></div>`);
    const mine = page.querySelector<HTMLButtonElement>('#mine')!;
    mine.focus();
    await show(message({ type: 'banner' }));
    await show(message({ type: 'popup' }));
    await nextFrame();
    expect(document.activeElement).to.equal(mine);
  });

  it('inline: in place in its <beckon-slot>, as wide as the container', async () => {
    const page = await fixture(html`<div class="page-fixture" style="width: 300px"><beckon-slot name="pricing-footer"></beckon-slot></div>`);
    const el = await show(message({ type: 'inline', slot: 'pricing-footer' }), page.querySelector('beckon-slot')!);
    expect(getComputedStyle(base(el)).position).to.equal('relative');
    expect(base(el).getBoundingClientRect().width).to.equal(300);
    expect(base(el).hasAttribute('role')).to.equal(false);
  });

  it('an unknown layout shows as a popup in the bottom-right corner', async () => {
    for (const layout of [{ type: 'toast' }, { type: 'popup', position: 'middle' }, undefined]) {
      const el = await show({ id: 'x', layout, content: { title: 'Hi' } } as unknown as Message);
      expect(base(el).className).to.contain('popup').and.contain('bottom-right');
      el.remove();
    }
  });
});

describe('<beckon-message> content', () => {
  it('renders title, body markup, image and up to three actions with their styles', async () => {
    const el = await show(
      message({ type: 'popup' }, {
        title: 'Welcome',
        body: 'Get **10%** _off_ at [the shop](/shop).\nToday only.',
        image: { src: 'data:image/gif;base64,R0lGODlhAQABAAAAACw=', alt: 'Coupon' },
        actions: [
          { id: 'a', label: 'Sign up', url: '/signup', style: 'primary' },
          { id: 'b', label: 'Later', dismiss: true },
          { id: 'c', label: 'Terms', url: 'https://example.com/terms', style: 'link' },
          { id: 'd', label: 'Fourth' },
        ],
      }),
    );
    expect(part(el, 'title')!.textContent).to.equal('Welcome');
    const body = part(el, 'body')!;
    expect(body.querySelector('strong')!.textContent).to.equal('10%');
    expect(body.querySelector('em')!.textContent).to.equal('off');
    expect(body.querySelector('a')!.getAttribute('href')).to.equal('/shop');
    expect(body.querySelector('a')!.getAttribute('part')).to.equal('link');
    expect(body.querySelectorAll('br').length).to.equal(1);
    // data: is not a safe URL, so the image is left out rather than loaded.
    expect(part(el, 'image')).to.equal(null);
    const actions = [...el.shadowRoot!.querySelectorAll('[part~="action"]')];
    expect(actions.map((a) => [a.localName, a.textContent, a.getAttribute('part')])).to.deep.equal([
      ['a', 'Sign up', 'action action-primary'],
      ['button', 'Later', 'action action-secondary'],
      ['a', 'Terms', 'action action-link'],
    ]);
  });

  it('renders a safe image with its alt text, and drops it when it fails to load', async () => {
    const el = document.createElement('beckon-message');
    el.message = message({ type: 'modal' }, { image: { src: '/no-such-image.png', alt: 'Coupon' } });
    document.body.append(el);
    await el.updateComplete;
    expect(part(el, 'image')!.getAttribute('alt')).to.equal('Coupon');
    await waitUntil(() => part(el, 'image') === null, 'the broken image was not removed');
    expect(part(el, 'close')).to.not.equal(null);
    expect(el.open).to.equal(true);
  });

  it('a message with no title, body, image or actions is still a dismissible message', async () => {
    for (const content of [{}, undefined, { title: 42, body: null, actions: 'x' }]) {
      const el = await show({ id: 'bare', layout: { type: 'modal' }, content } as unknown as Message);
      const dismissed = oneEvent(el, 'beckon-dismiss');
      part(el, 'close')!.click();
      expect((await dismissed).detail.via).to.equal('close-button');
      el.remove();
    }
  });

  it('a 5,000-character body and a 2,000-character word stay inside the modal, close button in reach', async () => {
    const el = await show(message({ type: 'modal' }, { title: 'x'.repeat(2000), body: 'word '.repeat(1000) }));
    const dialog = base(el);
    expect(dialog.scrollWidth).to.be.at.most(dialog.clientWidth);
    expect(dialog.getBoundingClientRect().height).to.be.at.most(innerHeight);
    dialog.scrollTop = dialog.scrollHeight;
    await nextFrame();
    const close = part(el, 'close')!.getBoundingClientRect();
    expect(close.top).to.be.at.least(dialog.getBoundingClientRect().top - 1);
    expect(close.bottom).to.be.at.most(innerHeight);
  });

  it('right-to-left text reads right to left', async () => {
    const el = await show(message({ type: 'popup' }, { title: 'خصم ١٠٪ على طلبك الأول', body: 'أنشئ حسابًا' }));
    expect(getComputedStyle(part(el, 'title')!).direction).to.equal('rtl');
    expect(getComputedStyle(part(el, 'body')!).direction).to.equal('rtl');
    expect(base(el).getAttribute('dir')).to.equal('auto');
  });

  it('the close button has an accessible name that can be translated', async () => {
    const el = await show(message({ type: 'popup' }));
    expect(part(el, 'close')!.getAttribute('aria-label')).to.equal('Close');
    el.closeLabel = 'Fermer';
    await el.updateComplete;
    expect(part(el, 'close')!.getAttribute('aria-label')).to.equal('Fermer');
    el.setAttribute('close-label', 'Schließen');
    await el.updateComplete;
    expect(part(el, 'close')!.getAttribute('aria-label')).to.equal('Schließen');
  });
});

describe('<beckon-message> with hostile content', () => {
  const payload = '<img src=x onerror="window.pwned=1"><script>window.pwned=1</script>&lt;b&gt;&amp;<b>bold</b>';
  const hostile: Message = {
    id: 'x<script>',
    layout: { type: 'modal' },
    content: {
      title: payload,
      body: `${payload} [click](javascript:window.pwned=1) [data](data:text/html,<script>window.pwned=1</script>)`,
      image: { src: 'javascript:window.pwned=1', alt: payload },
      actions: [
        { id: 'go', label: payload, url: 'javascript:window.pwned=1' },
        { id: 'data', label: 'data', url: 'data:text/html;base64,PHNjcmlwdD53aW5kb3cucHduZWQ9MTwvc2NyaXB0Pg==' },
      ],
    },
  };

  it('renders markup, entities and script as text and creates no element from content', async () => {
    const el = await show(hostile);
    await aTimeout(50);
    expect((window as { pwned?: unknown }).pwned).to.equal(undefined);
    expect(part(el, 'title')!.textContent).to.equal(payload);
    expect(part(el, 'body')!.textContent).to.equal(`${payload} click data`);
    const tags = new Set([...el.shadowRoot!.querySelectorAll('*')].map((e) => e.localName));
    expect([...tags].sort()).to.deep.equal(['button', 'div', 'h2', 'path', 'svg']);
    const buttons = [...el.shadowRoot!.querySelectorAll('[part~="action"]')];
    expect(buttons.map((b) => b.localName)).to.deep.equal(['button', 'button']);
    expect(buttons[0]!.textContent).to.equal(payload);
  });

  it('clicking an action with a refused URL runs nothing, follows nothing and still reports the click', async () => {
    const el = await show(hostile);
    const href = location.href;
    const clicked = oneEvent(el, 'beckon-action');
    part(el, 'action')!.click();
    expect((await clicked).detail).to.deep.equal({ messageId: 'x<script>', actionId: 'go', url: undefined });
    await aTimeout(50);
    expect(location.href).to.equal(href);
    expect((window as { pwned?: unknown }).pwned).to.equal(undefined);
  });
});

describe('<beckon-message> events', () => {
  it('beckon-shown: once per showing, with the message id and layout, bubbling out of the shadow root', async () => {
    const seen = record(document, 'beckon-shown');
    const el = await show(message({ type: 'banner' }));
    await nextFrame();
    await nextFrame();
    expect(seen).to.deep.equal([{ type: 'beckon-shown', detail: { messageId: 'coupon', layout: 'banner' } }]);
    el.open = false;
    await el.updateComplete;
    const again = oneEvent(el, 'beckon-shown');
    el.open = true;
    await again;
    const next = oneEvent(el, 'beckon-shown');
    el.message = message({ type: 'modal' }, {}, 'other');
    expect((await next).detail).to.deep.equal({ messageId: 'other', layout: 'modal' });
  });

  it('beckon-shown waits until an inline message is scrolled into view', async () => {
    const page = await fixture(html`<div class="page-fixture"><div style="height: 3000px"></div><beckon-slot name="below"></beckon-slot></div>`);
    const el = document.createElement('beckon-message');
    const seen = record(el, 'beckon-shown');
    el.message = message({ type: 'inline', slot: 'below' });
    page.querySelector('beckon-slot')!.append(el);
    await el.updateComplete;
    for (let i = 0; i < 5; i++) await nextFrame();
    expect(seen).to.have.length(0);
    const shown = oneEvent(el, 'beckon-shown');
    el.scrollIntoView();
    await shown;
    scrollTo(0, 0);
  });

  it('beckon-action: ids and safe URL; followed when not canceled', async () => {
    const el = await show(message({ type: 'popup' }, { actions: [{ id: 'more', label: 'More', url: '#beckon-more' }] }));
    const clicked = oneEvent(document, 'beckon-action');
    part(el, 'action')!.click();
    const event = await clicked;
    expect(event.detail).to.deep.equal({ messageId: 'coupon', actionId: 'more', url: '#beckon-more' });
    expect(event.cancelable).to.equal(true);
    await waitUntil(() => location.hash === '#beckon-more', 'the action URL was not followed');
    expect(el.open).to.equal(true);
    history.replaceState(null, '', location.pathname + location.search);
  });

  for (const key of ['ctrlKey', 'metaKey', 'shiftKey', 'altKey'] as const) {
    it(`a click with ${key} held is left to the browser (a new tab), and the dismissal waits for it`, async () => {
      const el = await show(message({ type: 'popup' }, { actions: [{ id: 'tab', label: 'Tab', url: '#beckon-tab', dismiss: true }] }));
      const seen = record(el, 'beckon-action', 'beckon-dismiss');
      let preventedByElement: boolean | undefined;
      // Runs after the element's own handler: note what it did, then keep the test page from opening anything.
      document.addEventListener('click', (e) => ((preventedByElement = e.defaultPrevented), e.preventDefault()), { once: true });
      part(el, 'action')!.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, cancelable: true, [key]: true }));
      expect(preventedByElement).to.equal(false);
      expect(el.open).to.equal(true);
      expect(seen.map((e) => e.type)).to.deep.equal(['beckon-action']);
      await aTimeout(0);
      expect(seen.map((e) => e.type)).to.deep.equal(['beckon-action', 'beckon-dismiss']);
      expect(el.open).to.equal(false);
      expect(location.hash).to.equal('');
    });
  }

  it('setting the same message or open value again changes nothing', async () => {
    const el = await show(message({ type: 'banner' }));
    await el.updateComplete;
    const live = el.shadowRoot!.querySelector('[role="status"]')!;
    const announced = live.textContent;
    expect(announced).to.contain('10% off');
    const seen = record(el, 'beckon-shown');
    const same = el.message;
    el.message = same;
    el.open = true;
    await el.updateComplete;
    await nextFrame();
    expect(live.textContent).to.equal(announced);
    expect(seen).to.have.length(0);
  });

  it('beckon-action canceled: the host handles navigation, the element follows nothing', async () => {
    const el = await show(message({ type: 'popup' }, { actions: [{ id: 'more', label: 'More', url: '#beckon-canceled' }] }));
    el.addEventListener('beckon-action', (e) => e.preventDefault());
    part(el, 'action')!.click();
    await aTimeout(50);
    expect(location.hash).to.equal('');
  });

  it('an action with dismiss: beckon-action, then beckon-dismiss via "action", and the message closes', async () => {
    const el = await show(message({ type: 'modal' }, { actions: [{ id: 'no', label: 'No thanks', dismiss: true }] }));
    const seen = record(el, 'beckon-action', 'beckon-dismiss');
    part(el, 'action')!.click();
    expect(seen).to.deep.equal([
      { type: 'beckon-action', detail: { messageId: 'coupon', actionId: 'no', url: undefined } satisfies BeckonActionDetail },
      { type: 'beckon-dismiss', detail: { messageId: 'coupon', via: 'action' } satisfies BeckonDismissDetail },
    ]);
    expect(el.open).to.equal(false);
    await el.updateComplete;
    expect(base(el)).to.equal(null);
  });

  it('beckon-dismiss via the close button, and close() via "api"; closing twice fires once', async () => {
    const el = await show(message({ type: 'popup' }));
    const seen = record(el, 'beckon-dismiss');
    part(el, 'close')!.click();
    part(el, 'close')!.click();
    el.open = true;
    await el.updateComplete;
    el.close();
    el.close();
    expect(seen.map((e) => e.detail)).to.deep.equal([
      { messageId: 'coupon', via: 'close-button' },
      { messageId: 'coupon', via: 'api' },
    ]);
  });

  it('setting open to false closes quietly, without beckon-dismiss', async () => {
    const el = await show(message({ type: 'banner' }));
    const seen = record(el, 'beckon-dismiss');
    el.open = false;
    await el.updateComplete;
    expect(base(el)).to.equal(null);
    expect(seen).to.have.length(0);
  });

  it('a click on the backdrop dismisses via "backdrop", unless the layout opts out', async () => {
    const el = await show(message({ type: 'modal' }));
    const dismissed = oneEvent(el, 'beckon-dismiss');
    await sendMouse({ type: 'click', position: [5, 5] });
    expect((await dismissed).detail.via).to.equal('backdrop');
    el.remove();

    const kept = await show(message({ type: 'modal', dismissOnBackdrop: false }));
    const seen = record(kept, 'beckon-dismiss');
    await sendMouse({ type: 'click', position: [5, 5] });
    await aTimeout(20);
    expect(seen).to.have.length(0);
    expect(kept.open).to.equal(true);
    await resetMouse();
  });

  it('a click inside the dialog does not dismiss it', async () => {
    const el = await show(message({ type: 'modal' }));
    const seen = record(el, 'beckon-dismiss');
    const title = part(el, 'title')!.getBoundingClientRect();
    await sendMouse({ type: 'click', position: [Math.round(title.left + 5), Math.round(title.top + 5)] });
    await aTimeout(20);
    expect(seen).to.have.length(0);
    await resetMouse();
  });

  it('inside a form of the page, its buttons submit nothing (they have no form owner in the shadow root)', async () => {
    const form = document.createElement('form');
    form.className = 'page-fixture';
    document.body.append(form);
    let submitted = 0;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      submitted++;
    });
    const el = await show(message({ type: 'inline' }, { actions: [{ id: 'later', label: 'Later' }] }), form);
    part<HTMLButtonElement>(el, 'action')!.click();
    part<HTMLButtonElement>(el, 'close')!.click();
    await aTimeout(20);
    expect(submitted).to.equal(0);
    expect(el.open).to.equal(false);
    // The form does submit from a button of its own.
    form.append(document.createElement('button'));
    form.querySelector('button')!.click();
    expect(submitted).to.equal(1);
  });

  it('properties set before the element was upgraded are kept', async () => {
    // Elements in a template's content are not upgraded; they are once they join the document.
    const template = document.createElement('template');
    template.innerHTML = '<beckon-message></beckon-message>';
    const early = template.content.firstElementChild as BeckonMessage;
    expect(early).to.not.be.instanceOf(customElements.get('beckon-message')!);
    const m = message({ type: 'popup' });
    early.message = m;
    const shown = oneEvent(early, 'beckon-shown');
    document.body.append(early);
    await shown;
    expect(early.message).to.equal(m);
    expect(part(early, 'title')!.textContent).to.equal('10% off');
  });
});

describe('registration', () => {
  it('importing it again (a second copy of the package) is harmless: it leaves the tags as they were', async () => {
    const registered = [customElements.get('beckon-message'), customElements.get('beckon-slot')];
    const defined: string[] = [];
    const define = customElements.define;
    customElements.define = (name, constructor, options) => (defined.push(name), define.call(customElements, name, constructor, options));
    try {
      // A new URL is a new module instance, run again as a second copy would be.
      await import(new URL('./define.ts?second-copy', import.meta.url).href);
    } finally {
      customElements.define = define;
    }
    expect(defined).to.deep.equal([]);
    expect([customElements.get('beckon-message'), customElements.get('beckon-slot')]).to.deep.equal(registered);
    expect(registered).to.not.include(undefined);
  });
});
