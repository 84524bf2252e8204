import { Bench } from 'tinybench';
import { parseDuration } from '@beckon/rules';
import { printBench } from './table.js';

const bench = new Bench({ name: '@beckon/rules: durations', time: 300 });
bench.add('parseDuration("12h")', () => {
  parseDuration('12h');
});
await bench.run();
printBench(bench);
