// @beckon/elements in Node: the pure parts, parsing a body and checking a URL.
import { Bench } from 'tinybench';
import { isSafeUrl, parseBody } from '@beckon/elements';
import { printBench } from './table.js';

const typical = 'Create an account and the **code** is _yours_. See [the terms](/terms).';
const long = 'Some **bold** and _em_ words, a [link](https://example.com/a?b=c). '.repeat(75);
// Worst cases for a marker parser: thousands of markers that never close.
const unmatched = '** _ [x ]( '.repeat(500);

const bench = new Bench({ name: '@beckon/elements: body markup and URL safety', time: 300 });
bench.add(`parseBody, typical (${typical.length} chars)`, () => {
  parseBody(typical);
});
bench.add(`parseBody, long (${long.length} chars)`, () => {
  parseBody(long);
});
bench.add(`parseBody, unmatched markers (${unmatched.length} chars)`, () => {
  parseBody(unmatched);
});
bench.add('isSafeUrl("https://…") and isSafeUrl("javascript:…")', () => {
  isSafeUrl('https://shop.example.com/signup?coupon=10');
  isSafeUrl(' JavaScript:alert(1)');
});
await bench.run();
printBench(bench);
