import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBody, type BodyNode } from './markup.js';

const text = (t: string): BodyNode => ({ type: 'text', text: t });

/** The visible text of parsed nodes, with breaks as newlines. */
function plain(nodes: BodyNode[]): string {
  return nodes.map((n) => (n.type === 'text' ? n.text : n.type === 'break' ? '\n' : plain(n.children))).join('');
}

describe('parseBody', () => {
  it('keeps plain text as one text node', () => {
    expect(parseBody('Create an account and the code is yours.')).toEqual([text('Create an account and the code is yours.')]);
  });

  it('parses bold, emphasis and links', () => {
    expect(parseBody('Get **10% off** _today_ at [our shop](https://shop.example.com/a?b=1).')).toEqual([
      text('Get '),
      { type: 'strong', children: [text('10% off')] },
      text(' '),
      { type: 'em', children: [text('today')] },
      text(' at '),
      { type: 'link', href: 'https://shop.example.com/a?b=1', children: [text('our shop')] },
      text('.'),
    ]);
  });

  it('nests emphasis inside bold and inside link labels', () => {
    expect(parseBody('**very _much_ so** [**go**](/go)')).toEqual([
      { type: 'strong', children: [text('very '), { type: 'em', children: [text('much')] }, text(' so')] },
      text(' '),
      { type: 'link', href: '/go', children: [{ type: 'strong', children: [text('go')] }] },
    ]);
  });

  it('turns \\n, \\r\\n and \\r into line breaks', () => {
    expect(parseBody('a\nb\r\nc\rd\n\ne')).toEqual([
      text('a'),
      { type: 'break' },
      text('b'),
      { type: 'break' },
      text('c'),
      { type: 'break' },
      text('d'),
      { type: 'break' },
      { type: 'break' },
      text('e'),
    ]);
  });

  it('leaves markers without a partner, spaced markers and snake_case as text', () => {
    for (const body of ['a ** b', '**open', 'close**', '** spaced **', 'snake_case_name', 'x_y_ z', '2 * 3 * 4', '_ lone', '[no url]', '[half](open', '[](/empty)', '****']) {
      expect(parseBody(body), body).toEqual([text(body)]);
    }
  });

  it('drops unsafe link URLs and keeps their label as text', () => {
    for (const url of ['javascript:alert`1`', 'JaVaScRiPt:void(0', 'data:text/html,<b>x</b>', 'vbscript:x']) {
      expect(parseBody(`Please [click me](${url}) now`)).toEqual([text('Please click me now')]);
    }
    // A ")" ends the URL, so what follows a refused URL's first ")" stays text.
    expect(parseBody('[x](javascript:alert(1))')).toEqual([text('x)')]);
    // A URL with spaces is no link at all: the markup stays as written.
    expect(parseBody('[x]( javascript:alert`1`)')).toEqual([text('[x]( javascript:alert`1`)')]);
  });

  it('allows mailto, tel and relative links', () => {
    const hrefs = parseBody('[a](mailto:a@example.com) [b](tel:+1555) [c](/c) [d](#d)').flatMap((n) => (n.type === 'link' ? [n.href] : []));
    expect(hrefs).toEqual(['mailto:a@example.com', 'tel:+1555', '/c', '#d']);
  });

  it('keeps HTML and entities as the literal text they are', () => {
    const body = '<script>alert(1)</script><img src=x onerror="alert(1)"> &lt;b&gt; &amp;';
    expect(parseBody(body)).toEqual([text(body)]);
  });

  it('never loses or invents text (property)', () => {
    // Without markers and line breaks, the text is unchanged whatever else it holds.
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const clean = s.replace(/[*_[\]()\r\n]/g, '');
        expect(plain(parseBody(clean))).toBe(clean);
      }),
    );
    const markup = (s: string) => s.replace(/[*_[\]]/g, '');
    const isSubsequence = (part: string, whole: string) => {
      let at = 0;
      for (const char of whole) if (char === part[at]) at++;
      return at === part.length;
    };
    // With any characters at all, it never throws, and what it shows is the input in order, less some of it.
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('*', '_', '[', ']', '(', ')', '\n', 'a', 'b', ' ', '/'), maxLength: 300 }), (s) => {
        expect(isSubsequence(plain(parseBody(s)), s)).toBe(true);
      }),
    );
    // Without parentheses there can be no link whose URL goes: only markers are taken out, every other character stays.
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('*', '_', '[', ']', '\n', 'a', 'b', ' ', '/'), maxLength: 300 }), (s) => {
        expect(markup(plain(parseBody(s)))).toBe(markup(s));
      }),
    );
  });

  it('parses a 5,000-character body of unmatched markers', () => {
    const body = '** _ [x ('.repeat(500);
    expect(plain(parseBody(body))).toBe(body);
  });
});
