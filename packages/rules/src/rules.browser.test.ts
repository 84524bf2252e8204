import { expect } from '@open-wc/testing';
import { parseDuration } from './index.js';

describe('@beckon/rules in Chromium', () => {
  it('runs unchanged in a browser', () => {
    expect(parseDuration('7d')).to.equal(604_800_000);
  });
});
