import { expect } from '@open-wc/testing';
import { lockScroll, unlockScroll } from './scroll-lock.js';

describe('lockScroll', () => {
  const html = document.documentElement;
  afterEach(() => {
    html.style.overflow = '';
    html.style.paddingRight = '';
  });

  it('one lock for the page: the first holder locks, the last to let go restores the page styles', () => {
    html.style.overflow = 'auto';
    const a = {};
    const b = {};
    lockScroll(a);
    lockScroll(b);
    lockScroll(a);
    expect(html.style.overflow).to.equal('hidden');
    unlockScroll(a);
    expect(html.style.overflow).to.equal('hidden');
    unlockScroll(a);
    unlockScroll({});
    expect(html.style.overflow).to.equal('hidden');
    unlockScroll(b);
    expect(html.style.overflow).to.equal('auto');
  });

  // The scrollbar padding is checked with real scrollbars in ../csp.test.ts (this runner hides them).
});
