import { describe, expect, it } from 'vitest';
import { callbackDestination } from './destinations.js';
import { paramFilter, scrubUrl } from './scrub.js';
import { memoryStore } from './storage.js';
import { createTracker, type TrackerOptions } from './tracker.js';
import type { BeckonEvent } from './types.js';

const keep = paramFilter();

describe('scrubUrl', () => {
  it('removes the parameters that commonly carry personal data, and keeps the rest in order', () => {
    expect(scrubUrl('https://shop.test/signup?email=a%40b.test&utm_source=news&token=t1#top', keep)).toBe('https://shop.test/signup?utm_source=news#top');
    expect(scrubUrl('/reset?Password=x&ref=ad&phone=1&user_email=c&access_token=z&api_key=k&first_name=Ann&code=9', keep)).toBe('/reset?ref=ad');
    expect(scrubUrl('?email=a', keep)).toBe('');
    expect(scrubUrl('/a?email=a&b=1', keep)).toBe('/a?b=1');
    expect(scrubUrl('https://shop.test/?q=shoes&page=2', keep)).toBe('https://shop.test/?q=shoes&page=2');
    expect(scrubUrl('https://shop.test/pricing', keep)).toBe('https://shop.test/pricing');
  });

  it('takes a parameter nested in another one’s value out too, and leaves the fragment as it is', () => {
    expect(scrubUrl('/login?next=/account?email=a@b.test&x=1', keep)).toBe('/login?next=/account&x=1');
    expect(scrubUrl('/docs?a=1#email', keep)).toBe('/docs?a=1#email');
  });

  it('removes the names a site lists, and with keepOthers false every parameter', () => {
    expect(scrubUrl('/p?order=42&sku=9', paramFilter(['order']))).toBe('/p?sku=9');
    expect(scrubUrl('/p?order=42&sku=9#h', paramFilter([], false))).toBe('/p#h');
  });
});

describe('tracked URLs', () => {
  const context = () => ({ page: { url: 'https://shop.test/welcome?email=a%40b.test&plan=pro', path: '/welcome', search: '?email=a%40b.test&plan=pro', referrer: 'https://mail.test/open?token=secret&id=7', title: 'Welcome' } });
  const run = (options: TrackerOptions = {}) => {
    const events: BeckonEvent[] = [];
    const tracker = createTracker({ stores: [memoryStore()], context, destinations: [callbackDestination('test', (event) => void events.push(event))], ...options });
    return { tracker, events };
  };

  it('leave without private parameters in context.page and in the url, referrer and search properties; the caller’s object is untouched', () => {
    const { tracker, events } = run();
    const properties = { url: '/signup?email=x@y.test&plan=pro', other: 'email=kept-as-it-is-not-a-url-field' };
    tracker.page();
    tracker.track('Message Clicked', properties);
    expect(events[0]!.context!.page).toEqual({ url: 'https://shop.test/welcome?plan=pro', path: '/welcome', search: '?plan=pro', referrer: 'https://mail.test/open?id=7', title: 'Welcome' });
    expect(events[1]!.properties).toEqual({ url: '/signup?plan=pro', other: 'email=kept-as-it-is-not-a-url-field' });
    expect(properties.url).toBe('/signup?email=x@y.test&plan=pro');
    expect(JSON.stringify(events)).not.toMatch(/a%40b|x@y|secret/);
  });

  it('follow privateParams and keepParams', () => {
    const { tracker, events } = run({ privateParams: ['plan'], keepParams: true });
    tracker.page();
    expect(events[0]!.context!.page!.url).toBe('https://shop.test/welcome');
    const none = run({ keepParams: false });
    none.tracker.page();
    expect(none.events[0]!.context!.page!.referrer).toBe('https://mail.test/open');
  });
});
