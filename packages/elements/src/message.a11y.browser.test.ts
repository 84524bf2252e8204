import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import './define.js';
import type { BeckonMessage } from './message.component.js';
import type { Layout, Message } from './types.js';

const content: Message['content'] = {
  title: '10% off your first order',
  body: 'Create an account and the **code** is _yours_. See [the terms](/terms).',
  actions: [
    { id: 'signup', label: 'Create account', url: '/signup', style: 'primary' },
    { id: 'no', label: 'No thanks', dismiss: true },
    { id: 'more', label: 'Learn more', url: '/more', style: 'link' },
  ],
};

const layouts: Layout[] = [
  { type: 'modal' },
  { type: 'banner', position: 'top' },
  { type: 'banner', position: 'bottom', push: true },
  { type: 'popup', position: 'bottom-right' },
  { type: 'inline', slot: 'a11y' },
];

const base = (el: BeckonMessage) => el.shadowRoot!.querySelector<HTMLElement>('[part="base"]')!;

/** Shows `m` in a page with a main landmark, then waits for it to be on screen and its animation to end. */
async function show(m: Message): Promise<BeckonMessage> {
  const page = await fixture(html`<main><h1>Shop</h1><beckon-slot name="a11y"></beckon-slot></main>`);
  const el = document.createElement('beckon-message');
  const shown = oneEvent(el, 'beckon-shown');
  el.message = m;
  (m.layout.type === 'inline' ? page.querySelector('beckon-slot')! : page).append(el);
  await shown;
  await Promise.all(el.shadowRoot!.getAnimations().map((a) => a.finished));
  return el;
}

afterEach(async () => {
  await emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' });
});

for (const colorScheme of ['light', 'dark'] as const) {
  describe(`<beckon-message> accessibility, ${colorScheme}`, () => {
    beforeEach(async () => {
      await emulateMedia({ colorScheme });
    });

    for (const layout of layouts) {
      it(`${layout.type} ${'position' in layout ? (layout.position ?? '') : ''} passes axe`, async () => {
        const el = await show({ id: 'a11y', layout, content });
        await expect(el).to.be.accessible();
      });
    }

    it('a message with only a body passes axe', async () => {
      const el = await show({ id: 'a11y', layout: { type: 'modal' }, content: { body: 'Just this.' } });
      await expect(el).to.be.accessible();
    });
  });
}

describe('<beckon-message> colour schemes', () => {
  it('follows prefers-color-scheme: light and dark defaults', async () => {
    const el = await show({ id: 'c', layout: { type: 'popup' }, content });
    expect(getComputedStyle(base(el)).backgroundColor).to.equal('rgb(255, 255, 255)');
    await emulateMedia({ colorScheme: 'dark' });
    expect(getComputedStyle(base(el)).backgroundColor).to.equal('rgb(29, 31, 36)');
    expect(getComputedStyle(base(el)).color).to.equal('rgb(236, 238, 242)');
  });
});

describe('<beckon-message> motion', () => {
  it('animates in by default', async () => {
    const el = document.createElement('beckon-message');
    el.message = { id: 'm', layout: { type: 'modal' }, content };
    document.body.append(el);
    await el.updateComplete;
    expect(el.shadowRoot!.getAnimations().map((a) => (a as CSSAnimation).animationName).sort()).to.deep.equal(['beckon-fade', 'beckon-in']);
    el.remove();
  });

  it('does not animate under prefers-reduced-motion', async () => {
    await emulateMedia({ reducedMotion: 'reduce' });
    for (const layout of layouts) {
      const el = document.createElement('beckon-message');
      el.message = { id: 'm', layout, content };
      document.body.append(el);
      await el.updateComplete;
      expect(el.shadowRoot!.getAnimations(), layout.type).to.deep.equal([]);
      expect(getComputedStyle(base(el)).animationName).to.equal('none');
      el.remove();
    }
  });
});

describe('<beckon-message> theming', () => {
  it('every --beckon-* custom property reaches what it styles', async () => {
    const el = await show({ id: 't', layout: { type: 'modal' }, content });
    const props: Record<string, string> = {
      '--beckon-color-background': 'rgb(1, 2, 3)',
      '--beckon-color-text': 'rgb(4, 5, 6)',
      '--beckon-color-primary': 'rgb(7, 8, 9)',
      '--beckon-color-on-primary': 'rgb(10, 11, 12)',
      '--beckon-color-border': 'rgb(13, 14, 15)',
      '--beckon-color-focus': 'rgb(16, 17, 18)',
      '--beckon-color-backdrop': 'rgb(19, 20, 21)',
      '--beckon-radius': '3px',
      '--beckon-spacing': '7px',
      '--beckon-shadow': 'rgb(22, 23, 24) 1px 1px 1px 0px',
      '--beckon-font-family': 'serif',
      '--beckon-font-size': '21px',
      '--beckon-width': '333px',
      '--beckon-z-index': '42',
    };
    for (const [name, value] of Object.entries(props)) el.style.setProperty(name, value);
    const part = (name: string) => getComputedStyle(el.shadowRoot!.querySelector(`[part~="${name}"]`)!);
    const b = getComputedStyle(base(el));
    expect(b.backgroundColor).to.equal('rgb(1, 2, 3)');
    expect(b.color).to.equal('rgb(4, 5, 6)');
    expect(part('action-primary').backgroundColor).to.equal('rgb(7, 8, 9)');
    expect(part('action-primary').color).to.equal('rgb(10, 11, 12)');
    expect(part('action-secondary').borderTopColor).to.equal('rgb(13, 14, 15)');
    expect(part('backdrop').backgroundColor).to.equal('rgb(19, 20, 21)');
    expect(b.borderTopLeftRadius).to.equal('3px');
    expect(b.paddingTop).to.equal('7px');
    expect(b.boxShadow).to.equal('rgb(22, 23, 24) 1px 1px 1px 0px');
    expect(b.fontFamily).to.equal('serif');
    expect(b.fontSize).to.equal('21px');
    expect(b.width).to.equal('333px');
    expect(b.zIndex).to.equal('42');
    el.shadowRoot!.querySelector<HTMLElement>('[part~="action-primary"]')!.focus({ focusVisible: true } as FocusOptions);
    expect(part('action-primary').outlineColor).to.equal('rgb(16, 17, 18)');
  });

  it('::part() styles every meaningful piece from the page', async () => {
    const names = ['base', 'backdrop', 'close', 'image', 'title', 'body', 'link', 'actions', 'action', 'action-primary', 'action-secondary', 'action-link'];
    const style = document.createElement('style');
    // Later rules win, so on an element with several parts (action action-primary) the later part's width shows.
    style.textContent = names.map((n, i) => `beckon-message::part(${n}) { outline: ${i + 1}px dotted red; }`).join('\n');
    document.head.append(style);
    try {
      const el = document.createElement('beckon-message');
      el.message = { id: 'p', layout: { type: 'modal' }, content: { ...content, image: { src: '/not-loaded-in-this-test.png', alt: '' } } };
      document.body.append(el);
      await el.updateComplete;
      for (const [i, n] of names.entries()) {
        const piece = el.shadowRoot!.querySelector(`[part~="${n}"]`);
        expect(piece, n).to.not.equal(null);
        const own = piece!.getAttribute('part')!.split(' ').map((m) => names.indexOf(m) + 1);
        expect(Math.max(...own), n).to.be.at.least(i + 1);
        expect(getComputedStyle(piece!).outlineWidth, n).to.equal(`${Math.max(...own)}px`);
      }
      el.remove();
    } finally {
      style.remove();
    }
  });
});
