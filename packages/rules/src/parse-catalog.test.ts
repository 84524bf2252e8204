import { describe, expect, it } from 'vitest';
import { parseCatalog } from './index.js';

const valid = {
  id: 'first-order-coupon',
  audience: 'anonymous',
  pages: { include: ['/pricing', '/products/**', { regex: '^/post/\\d+$' }, { contains: 'sale' }, { equals: '/cart' }], exclude: ['/products/*/reviews'] },
  screens: { include: ['Checkout*'], caseSensitive: true },
  trigger: { event: 'added_to_cart', delay: '5s', scrollPercent: 50, exitIntent: true, minPageViews: 2 },
  frequency: { maxShows: 3, minInterval: '1d', caps: [{ max: 1, per: 'session' }, { max: 2, per: 604_800_000 }], stopOnDismiss: true, stopOnAction: false },
  schedule: { start: '2026-12-01T00:00:00Z', end: '2027-01-01' },
  priority: 10,
  holdout: 0.1,
  goal: { event: 'identify', window: '7d' },
  layout: { type: 'modal', position: 'center', dismissOnBackdrop: false },
  content: {
    title: '10% off your first order',
    body: 'Create an account and the code is yours.',
    image: { src: '/img/coupon.png', alt: 'Coupon' },
    actions: [
      { id: 'signup', label: 'Create account', url: '/signup', style: 'primary' },
      { id: 'dismiss', label: 'No thanks', dismiss: true },
    ],
  },
};

/** The catalog with one message changed: `message` is merged over a minimal valid message. */
const withMessage = (message: Record<string, unknown>) => ({ messages: [{ id: 'm', layout: { type: 'banner' }, content: { title: 'Hi' }, ...message }] });

/** The error messages of a catalog holding one changed message. */
const errorsOf = (message: Record<string, unknown>) => parseCatalog(withMessage(message)).errors.map((error) => error.message);

describe('parseCatalog', () => {
  it('accepts every field of the message model, unchanged', () => {
    const { messages, errors } = parseCatalog({ messages: [valid] });
    expect(errors).toEqual([]);
    expect(messages).toEqual([valid]);
  });

  it('accepts a bare array of messages and a $schema key', () => {
    expect(parseCatalog([valid]).messages).toHaveLength(1);
    expect(parseCatalog({ $schema: './catalog.schema.json', messages: [valid] }).errors).toEqual([]);
  });

  it('leaves a bad message out, reports it with its path and id, and keeps the rest', () => {
    const { messages, errors } = parseCatalog({ messages: [valid, { ...valid, id: 'second', pages: { include: ['/ok', '/pri[cing'] } }, { ...valid, id: 'third' }] });
    expect(messages.map((message) => message.id)).toEqual(['first-order-coupon', 'third']);
    expect(errors).toEqual([
      {
        path: 'messages[1].pages.include[1]',
        messageId: 'second',
        message: 'messages[1].pages.include[1]: "/pri[cing" is not a valid pattern (unclosed "["; close it, or write "\\[" for a literal one)',
      },
    ]);
  });

  it('refuses a duplicate id, keeping the first', () => {
    const { messages, errors } = parseCatalog([valid, { ...valid, title: undefined }, valid]);
    expect(messages).toHaveLength(1);
    expect(errors.map((error) => error.message)).toEqual([
      'messages[1].title: unknown key "title"; remove it (known keys: id, audience, pages, screens, trigger, frequency, schedule, priority, holdout, goal, layout, content, variants)',
      'messages[2].id: "first-order-coupon" is the id of messages[0] too; rename one',
    ]);
  });

  it('names an unknown key and suggests the known one it resembles', () => {
    expect(errorsOf({ frequncy: { maxShows: 1 } })).toEqual(['messages[0].frequncy: unknown key "frequncy"; did you mean "frequency"?']);
    expect(errorsOf({ frequency: { maxShow: 1 } })).toEqual(['messages[0].frequency.maxShow: unknown key "maxShow"; did you mean "maxShows"?']);
    expect(errorsOf({ frequency: { caps: [{ max: 1, per: 'session', pre: 1 }] } })).toEqual(['messages[0].frequency.caps[0].pre: unknown key "pre"; did you mean "per"?']);
    expect(errorsOf({ content: { title: 'x', actions: [{ id: 'a', label: 'b', lable: 'c' }] } })).toEqual([
      'messages[0].content.actions[0].lable: unknown key "lable"; did you mean "label"?',
    ]);
    expect(errorsOf({ pages: { include: ['/a'], 'weird key': 1 } })).toEqual([
      'messages[0].pages["weird key"]: unknown key "weird key"; remove it (known keys: include, exclude, caseSensitive)',
    ]);
  });

  it.each([
    [{ pages: { include: [{ regex: '(a)\\1' }] } }, 'messages[0].pages.include[0]: { "regex": "(a)\\\\1" } is refused: it uses a backreference ("\\1", "\\k<name>"), which cannot be matched without backtracking; repeat the text itself, or use a glob'],
    [{ pages: { include: ['/ok', '/(a+)+$'] } }, 'messages[0].pages.include[1]: "/(a+)+$" is refused: it has "+" inside "(…)", which picomatch reads as a regular expression; write "+(…)" for one or more, or "\\+" for a plus sign'],
    [{ pages: { exclude: [{ regex: `^/${'a'.repeat(600)}` }] } }, /^messages\[0\]\.pages\.exclude\[0\]: \{ "regex": "\^\/a+… \} is 602 characters long; a pattern may have at most 512$/],
    [{ screens: { include: ['Check{out'] } }, /^messages\[0\]\.screens\.include\[0\]: "Check\{out" is not a valid pattern \(unclosed "\{"/],
    [{ layout: { type: 'sidebar' } }, 'messages[0].layout.type: "sidebar" is not allowed; use "modal", "banner", "popup", "inline"'],
    [{ layout: {} }, 'messages[0].layout.type: is missing; use "modal", "banner", "popup", "inline"'],
    [{ layout: { type: 'banner', position: 'center' } }, 'messages[0].layout.position: "center" is not a position of a banner; use "top", "bottom"'],
    [{ layout: { type: 'popup', push: true } }, 'messages[0].layout.push: a popup has no "push"; remove it'],
    [{ trigger: { delay: '5 weeks' } }, 'messages[0].trigger.delay: "5 weeks" is not a duration; use "500ms", "30s", "10m", "12h", "7d" or a number of milliseconds'],
    [{ frequency: { minInterval: -5 } }, 'messages[0].frequency.minInterval: -5 is not a duration; use "500ms", "30s", "10m", "12h", "7d" or a number of milliseconds'],
    [{ frequency: { caps: [{ max: 1, per: 'week' }] } }, 'messages[0].frequency.caps[0].per: "week" is not a duration; use "session", "500ms", "30s", "10m", "12h", "7d" or a number of milliseconds'],
    [{ frequency: { maxShows: 0 } }, 'messages[0].frequency.maxShows: 0 is out of range; use a whole number of at least 1'],
    [{ frequency: { maxShows: 1.5 } }, 'messages[0].frequency.maxShows: 1.5 is out of range; use a whole number of at least 1'],
    [{ goal: { event: 'identify', window: '-1d' } }, 'messages[0].goal.window: "-1d" is not a duration; use "500ms", "30s", "10m", "12h", "7d" or a number of milliseconds'],
    [{ holdout: 1 }, 'messages[0].holdout: 1 is out of range; use a share below 1, e.g. 0.1 for 10%'],
    [{ holdout: -0.1 }, 'messages[0].holdout: -0.1 is out of range; use a share below 1, e.g. 0.1 for 10%'],
    [{ schedule: { start: '2027-01-01T00:00:00Z', end: '2026-12-01T00:00:00Z' } }, 'messages[0].schedule: ends before it starts (2027-01-01T00:00:00Z); move the end later'],
    [{ schedule: { start: '2026-12-01T00:00:00' } }, 'messages[0].schedule.start: "2026-12-01T00:00:00" is not a date; write e.g. "2026-12-01" or "2026-12-01T09:00:00Z"'],
    [{ trigger: { scrollPercent: 150 } }, 'messages[0].trigger.scrollPercent: 150 is out of range; use a number from 0 to 100'],
    [{ trigger: { minPageViews: 0 } }, 'messages[0].trigger.minPageViews: 0 is out of range; use a whole number of at least 1'],
    [{ trigger: { exitIntent: 'yes' } }, 'messages[0].trigger.exitIntent: must be true or false (got "yes")'],
    [{ priority: 'high' }, 'messages[0].priority: must be a number (got "high")'],
    [{ priority: Infinity }, 'messages[0].priority: must be a number (got Infinity)'],
    [{ id: 'Bad Id' }, 'messages[0].id: "Bad Id" is not an id; use 1 to 64 of a-z, 0-9, _ and -'],
    [{ audience: 'anon' }, 'messages[0].audience: "anon" is not allowed; use "anonymous", "identified", "everyone"'],
    [{ content: {} }, 'messages[0].content: needs a "title" or a "body"'],
    [{ content: { title: 'x', actions: [{ id: 'a', label: 'A', url: 'javascript:alert(1)' }] } }, 'messages[0].content.actions[0].url: "javascript:alert(1)" is not allowed; use an http(s), mailto or tel URL or a relative URL'],
    [{ content: { title: 'x', image: { src: 'data:image/png;base64,xx', alt: '' } } }, 'messages[0].content.image.src: "data:image/png;base64,xx" is not allowed; use an http(s) URL or a relative URL'],
    [{ content: { title: 'x', actions: [{ id: 'a', label: 'A' }, { id: 'a', label: 'B' }] } }, 'messages[0].content.actions[1].id: "a" is used twice; action ids must be unique'],
    [{ content: { title: 'x', actions: Array.from({ length: 4 }, (_, i) => ({ id: `a${i}`, label: 'A' })) } }, 'messages[0].content.actions: has more than 3 actions; remove some'],
    [{ pages: { include: '/pricing' } }, 'messages[0].pages.include: must be a list (got "/pricing")'],
    [{ pages: '/pricing' }, 'messages[0].pages: must be an object (got "/pricing")'],
    [{ content: undefined }, 'messages[0].content: is missing; add an object'],
  ])('reports %j', (message, expected) => {
    const errors = errorsOf(message);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(expected);
  });

  it.each([
    ['text', '{"messages":[]}', ': got text; JSON.parse it first: a catalog is { "messages": [...] } or an array of messages'],
    ['null', null, ': got null; a catalog is { "messages": [...] } or an array of messages'],
    ['a catalog without messages', {}, 'messages: is missing; a catalog is { "messages": [...] } or an array of messages'],
    ['messages that are not a list', { messages: {} }, 'messages: must be an array (got {}); a catalog is { "messages": [...] } or an array of messages'],
    ['an unknown top-level key', { messages: [], mesages: [] }, 'mesages: unknown key "mesages"; did you mean "messages"?'],
  ])('reports %s and never throws', (_, input, expected) => {
    const { messages, errors } = parseCatalog(input);
    expect(messages).toEqual([]);
    expect(errors.map((error) => error.message)).toEqual([expected.replace(/^: /, '')]);
  });

  it('reports a message that is not an object', () => {
    expect(parseCatalog([42]).errors.map((error) => error.message)).toEqual(['messages[0]: must be an object (got 42)']);
  });

  it('accepts variants with their own layout and content, and names each problem in them by its path', () => {
    const good = [{ id: 'a', weight: 1 }, { id: 'b', weight: 0.5, layout: { type: 'modal' }, content: { title: 'B', actions: [{ id: 'go', label: 'Go' }] } }];
    const { messages, errors } = parseCatalog(withMessage({ variants: good }));
    expect(errors).toEqual([]);
    expect(messages[0]!.variants).toEqual(good);
    expect(errorsOf({ variants: [] })).toEqual(['messages[0].variants: has no variants; add at least one, or remove "variants"']);
    expect(errorsOf({ variants: { a: 1 } })).toEqual(['messages[0].variants: must be a list (got {"a":1})']);
    expect(errorsOf({ variants: [{ id: 'a', weight: 0 }, { id: 'b', weight: 0 }] })).toEqual(['messages[0].variants: needs a variant with a weight above 0']);
    expect(
      errorsOf({
        variants: [
          { id: 'a', weight: 1 },
          { id: 'a', weight: -1 },
          { id: 'B!', wieght: 2 },
          { id: 'c', weight: 1, layout: { type: 'popup', position: 'top' }, content: {} },
        ],
      }),
    ).toEqual([
      'messages[0].variants[1].weight: -1 is out of range; use a number of at least 0',
      'messages[0].variants[2].id: "B!" is not an id; use 1 to 64 of a-z, 0-9, _ and -',
      'messages[0].variants[2].weight: is missing; add a number',
      'messages[0].variants[2].wieght: unknown key "wieght"; did you mean "weight"?',
      'messages[0].variants[3].layout.position: "top" is not a position of a popup; use "top-left", "top-right", "bottom-left", "bottom-right"',
      'messages[0].variants[3].content: needs a "title" or a "body"',
      'messages[0].variants[1].id: "a" is used twice; variant ids must be unique',
    ]);
  });
});
