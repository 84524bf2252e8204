import { describe, expect, it } from 'vitest';
import { matchPage, matchScreen } from './index.js';

describe('matchPage: path patterns', () => {
  it.each([
    ['/pricing', '/pricing', true],
    ['/pricing', '/pricing/', true],
    ['/pricing/', '/pricing', true],
    ['/pricing', '/pricing/annual', false],
    ['/pricing', '/', false],
    ['/', '/', true],
    ['/', 'https://shop.example.com', true],
    ['/products/*', '/products/42', true],
    ['/products/*', '/products/42/reviews', false],
    ['/products/*', '/products', false],
    ['/products/**', '/products', true],
    ['/products/**', '/products/42/reviews/7', true],
    ['/products/**', '/productsale', false],
    ['/products/*/reviews', '/products/42/reviews', true],
    ['/products/*/reviews', '/products/42/specs', false],
    ['/a/**/z', '/a/b/c/z', true],
    ['/a/**/z', '/a/z', true],
    ['/docs/{intro,setup}', '/docs/setup', true],
    ['/docs/{intro,setup}', '/docs/faq', false],
    ['/v[0-9]/api', '/v2/api', true],
    ['/v[0-9]/api', '/vx/api', false],
    ['/p/+(a|b)', '/p/abba', true],
    ['/p/+(a|b)', '/p/abc', false],
    ['/files/*.pdf', '/files/report.pdf', true],
    ['/files/*.pdf', '/files/report.pdfx', false],
    ['/.well-known/*', '/.well-known/security.txt', true],
    ['**', '/anything/at/all', true],
    ['*', '/x/y', true],
  ])('%s against %s: %s', (pattern, url, expected) => {
    expect(matchPage(pattern, url)).toBe(expected);
  });

  it('is case-insensitive unless asked otherwise', () => {
    expect(matchPage('/Pricing', '/PRICING')).toBe(true);
    expect(matchPage('/Pricing', '/PRICING', { caseSensitive: true })).toBe(false);
    expect(matchPage({ include: ['/Pricing'], caseSensitive: true }, '/Pricing')).toBe(true);
    expect(matchPage({ include: ['/Pricing'], caseSensitive: true }, '/pricing')).toBe(false);
  });

  it('reads the path out of absolute URLs, and percent-decodes it', () => {
    expect(matchPage('/pricing', 'https://shop.example.com/pricing?plan=pro#faq')).toBe(true);
    expect(matchPage('/café', 'https://shop.example.com/caf%C3%A9')).toBe(true);
    expect(matchPage('/café', '/caf%E9')).toBe(false);
    expect(matchPage('/a/b', 'https://shop.example.com//a//b//')).toBe(true);
  });

  it('normalises the path before matching, so an exclude cannot be slipped past', () => {
    const rules = { include: ['/store/**'], exclude: ['/store/signup'] };
    for (const url of ['/store//signup', '/store/signup%00', '/store/./signup', '/store/x/../signup', '/store%2Fsignup', 'https://shop.example.com/store/%73ignup/']) {
      expect(matchPage(rules, url), url).toBe(false);
    }
    expect(matchPage(rules, '/store/signups')).toBe(true);
    expect(matchPage({ equals: '/store//signup' }, '/store/signup')).toBe(true);
  });
});

describe('matchPage: host patterns', () => {
  it.each([
    ['shop.example.com/**', 'https://shop.example.com/cart', true],
    ['shop.example.com/**', 'https://blog.example.com/cart', false],
    ['shop.example.com', 'https://shop.example.com/', true],
    ['shop.example.com', 'https://shop.example.com/cart', false],
    ['*.example.com/**', 'https://blog.example.com/post/1', true],
    ['*.example.com/**', 'https://example.org/post/1', false],
    ['https://shop.example.com/cart', 'http://shop.example.com/cart', true],
    ['//shop.example.com/cart', 'https://shop.example.com/cart', true],
    ['SHOP.example.com/cart', 'https://shop.EXAMPLE.com/cart', true],
    ['localhost:3000/**', 'http://localhost:3000/x', true],
    ['localhost:3000/**', 'http://localhost:4000/x', false],
    ['localhost/**', 'http://localhost:4000/x', true],
    ['shop.example.com/**', '/cart', false],
  ])('%s against %s: %s', (pattern, url, expected) => {
    expect(matchPage(pattern, url)).toBe(expected);
  });
});

describe('matchPage: query and hash', () => {
  it('needs each listed parameter, in any order, and ignores the others', () => {
    expect(matchPage('/search?q=shoes&page=2', '/search?page=2&sort=new&q=shoes')).toBe(true);
    expect(matchPage('/search?q=shoes&page=2', '/search?q=shoes')).toBe(false);
    expect(matchPage('/search?q=shoes', '/search?q=boots')).toBe(false);
    expect(matchPage('/search?q=shoe*', '/search?q=shoes+for+kids')).toBe(true);
    expect(matchPage('/search?next=*', '/search?next=%2Fa%2Fb')).toBe(true);
    expect(matchPage('/search?ref', '/search?ref=')).toBe(true);
    expect(matchPage('/search?ref', '/search?other=1')).toBe(false);
    expect(matchPage('/search?tag=b', '/search?tag=a&tag=b')).toBe(true);
    expect(matchPage('/search?Q=Shoes', '/search?q=shoes')).toBe(true);
    expect(matchPage('/search?Q=Shoes', '/search?q=shoes', { caseSensitive: true })).toBe(false);
  });

  it('ignores the query and the hash when the pattern has none', () => {
    expect(matchPage('/search', '/search?q=shoes#results')).toBe(true);
  });

  it('needs the hash only when the pattern has one', () => {
    expect(matchPage('/docs#install*', '/docs#installation')).toBe(true);
    expect(matchPage('/docs#install*', '/docs#usage')).toBe(false);
    expect(matchPage('/docs#install*', '/docs')).toBe(false);
  });
});

describe('matchPage: object forms', () => {
  it('{ regex } is tested on the path, and on the path with its query', () => {
    expect(matchPage({ regex: '^/post/\\d+$' }, '/post/42')).toBe(true);
    expect(matchPage({ regex: '^/post/\\d+$' }, '/post/42?utm_source=x')).toBe(true);
    expect(matchPage({ regex: '^/post/\\d+$' }, '/post/new')).toBe(false);
    expect(matchPage({ regex: '[?&]utm_source=ads' }, '/post/42?utm_source=ads')).toBe(true);
    expect(matchPage({ regex: '^/POST/' }, '/post/1')).toBe(true);
    expect(matchPage({ regex: '^/POST/' }, '/post/1', { caseSensitive: true })).toBe(false);
  });

  it('{ contains } looks for the text in the path and query', () => {
    expect(matchPage({ contains: 'sale' }, '/summer-sale/shoes')).toBe(true);
    expect(matchPage({ contains: 'sale' }, '/shoes?campaign=SALE')).toBe(true);
    expect(matchPage({ contains: 'sale' }, '/shoes')).toBe(false);
    expect(matchPage({ contains: 'a.b' }, '/axb')).toBe(false);
  });

  it('{ contains } finds its text anywhere: at the start, at the end, overlapping a near miss, beyond ASCII', () => {
    expect(matchPage({ contains: '/sale' }, '/sale')).toBe(true);
    expect(matchPage({ contains: 'shoes' }, '/sale/shoes')).toBe(true);
    expect(matchPage({ contains: 'aab' }, '/aaab')).toBe(true);
    expect(matchPage({ contains: 'aab' }, '/aaxb')).toBe(false);
    expect(matchPage({ contains: 'CAFÉ' }, '/café')).toBe(true);
    expect(matchPage({ contains: 'CAFÉ' }, '/café', { caseSensitive: true })).toBe(false);
    expect(matchPage({ contains: '🎁' }, '/gifts/🎁')).toBe(true);
    expect(matchPage({ contains: '🎁x' }, '/gifts/🎁')).toBe(false);
    expect(matchScreen({ contains: 'pay' }, 'CheckoutPayment')).toBe(true);
  });

  it('{ equals } is the exact path (trailing slash ignored), or path and query when it has one', () => {
    expect(matchPage({ equals: '/pricing' }, '/pricing/')).toBe(true);
    expect(matchPage({ equals: '/pricing' }, '/pricing/annual')).toBe(false);
    expect(matchPage({ equals: '/pricing' }, '/pricing?plan=pro')).toBe(true);
    expect(matchPage({ equals: '/search?q=a' }, '/search?q=a')).toBe(true);
    expect(matchPage({ equals: '/search?q=a' }, '/search?q=ab')).toBe(false);
    expect(matchPage({ equals: '/a*' }, '/abc')).toBe(false);
  });
});

describe('matchPage: include and exclude', () => {
  const rules = { include: ['/products/**', '/pricing'], exclude: ['/products/*/reviews'] };

  it('any include matches, and any exclude wins', () => {
    expect(matchPage(rules, '/pricing')).toBe(true);
    expect(matchPage(rules, '/products/42')).toBe(true);
    expect(matchPage(rules, '/products/42/reviews')).toBe(false);
    expect(matchPage(rules, '/about')).toBe(false);
  });

  it('no include, or an empty one, means every page', () => {
    expect(matchPage({}, '/anything')).toBe(true);
    expect(matchPage({ include: [] }, '/anything')).toBe(true);
    expect(matchPage({ exclude: ['/checkout/**'] }, '/anything')).toBe(true);
    expect(matchPage({ exclude: ['/checkout/**'] }, '/checkout/pay')).toBe(false);
  });
});

describe('matchPage: invalid patterns', () => {
  it.each([
    ['/pri[cing', /"\/pri\[cing" is not a valid pattern \(unclosed "\["/],
    ['/a{b', /unclosed "\{"/],
    ['/a)b', /unmatched "\)"/],
    ['pricing', /must start with "\/" for a path/],
    ['!/admin', /put "\/admin" in "exclude"/],
    [' /a', /spaces/],
    ['', /empty/],
    [{ regex: '(a)\\1' }, /uses a backreference/],
    [{ regex: '^/(?!admin)' }, /uses a lookaround/],
    ['/(a+)+$', /has "\+" inside "\(…\)", which picomatch reads as a regular expression; write "\+\(…\)" for one or more/],
    ['/!(admin)', /has "!\(…\)".*put what it excludes in "exclude" instead/],
    [{ regex: 'x'.repeat(513) }, /513 characters long; a pattern may have at most 512/],
    [{ equals: 'pricing' }, /must start with "\/"/],
    [{ regx: '^/a' }, /unknown key "regx"/],
    [{ regex: '^/a', equals: '/a' }, /is not a pattern/],
  ])('%j throws a TypeError that names the fix', (pattern, message) => {
    expect(() => matchPage(pattern as never, '/a')).toThrow(TypeError);
    expect(() => matchPage(pattern as never, '/a')).toThrow(message);
  });

  it('names which pattern of a rules object is wrong', () => {
    expect(() => matchPage({ include: ['/ok', '/pri[cing'] }, '/a')).toThrow(/^matchPage: include\[1\]: "\/pri\[cing"/);
  });
});

describe('matchScreen', () => {
  it('uses the same patterns on screen names', () => {
    expect(matchScreen('Checkout*', 'CheckoutPayment')).toBe(true);
    expect(matchScreen('Checkout*', 'Cart')).toBe(false);
    expect(matchScreen({ include: ['Product{List,Detail}'], exclude: ['ProductDetail'] }, 'ProductList')).toBe(true);
    expect(matchScreen({ include: ['Product{List,Detail}'], exclude: ['ProductDetail'] }, 'ProductDetail')).toBe(false);
    expect(matchScreen({ equals: 'Home' }, 'home')).toBe(true);
    expect(matchScreen({ equals: 'Home' }, 'home', { caseSensitive: true })).toBe(false);
    expect(matchScreen({ contains: 'settings' }, 'AccountSettings')).toBe(true);
    expect(matchScreen({ regex: '^Step\\d$' }, 'Step3')).toBe(true);
  });
});
