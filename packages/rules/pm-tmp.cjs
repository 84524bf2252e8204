const parse = require('picomatch/lib/parse.js');
const pm = require('picomatch/posix.js');
const [g, ...subjects] = process.argv.slice(2);
let out; try { out = parse(g, { dot: true, fastpaths: false }).output } catch (e) { out = 'ERR ' + e.message }
console.log(JSON.stringify(g), out, subjects.map(s => s + '=' + new RegExp(`^(?:${out})$`, 'i').test(s)).join(' '));
