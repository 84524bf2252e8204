// The PostgreSQL the server's tests use: BECKON_TEST_DATABASE_URL, else the local one on 127.0.0.1:5432
// (trust auth, user postgres, database test). On a fresh Debian machine, as root, `npm test` installs
// and starts Debian's postgresql; anywhere else it stops with a sentence saying how to get one.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** Resolves true when something accepts TCP connections at host:port within the timeout. */
function accepts(host, port, timeoutMs = 1500) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

const sh = (command, args, options = {}) => spawnSync(command, args, { stdio: 'inherit', ...options }).status === 0;

/** Trust for loopback connections, as the tests connect (user postgres, no password) on a fresh cluster. */
function trustLoopback(version) {
  const file = `/etc/postgresql/${version}/main/pg_hba.conf`;
  const text = readFileSync(file, 'utf8');
  if (/^host\s+all\s+all\s+127\.0\.0\.1\/32\s+trust/m.test(text)) return;
  // Rules are read top down: these come first. Only for this machine's own loopback address.
  writeFileSync(file, `# Added by Beckon's test bootstrap: the tests connect over loopback without a password.\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n${text}`);
}

async function waitFor(host, port) {
  for (let i = 0; i < 60; i++) {
    if (await accepts(host, port)) return true;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}

function explain(url, extra) {
  console.error(
    [
      `The server's tests need PostgreSQL at ${url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@')}, and nothing answers there.${extra ? ` ${extra}` : ''}`,
      'Start one and run again, for example:',
      '  Debian/Ubuntu (as root):  apt-get install postgresql && pg_ctlcluster --skip-systemctl-redirect <version> main start',
      '  macOS:                    brew install postgresql@15 && brew services start postgresql@15',
      '  Docker:                   docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust -e POSTGRES_DB=test postgres:15',
      'or point BECKON_TEST_DATABASE_URL at a server where the user may create databases:',
      '  BECKON_TEST_DATABASE_URL=postgres://user:password@host:5432/postgres npm test',
    ].join('\n'),
  );
  process.exit(1);
}

/** Makes sure the tests' PostgreSQL answers, installing and starting Debian's when we can. */
export async function ensurePostgres() {
  const given = process.env.BECKON_TEST_DATABASE_URL;
  const url = given ?? DEFAULT_TEST_DATABASE_URL;
  const { hostname, port } = new URL(url);
  const host = hostname.replace(/^\[|\]$/g, '');
  if (await accepts(host, Number(port || 5432))) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (given !== undefined || !isRoot || !existsSync('/etc/debian_version')) explain(url);

  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!existsSync('/usr/bin/pg_ctlcluster')) {
    console.log('Installing PostgreSQL from Debian\'s packages for the server tests…');
    if (!sh('apt-get', ['update', '-qq'], { env }) || !sh('apt-get', ['install', '-y', '-qq', 'postgresql'], { env })) {
      explain(url, 'Installing Debian\'s postgresql package failed (see above).');
    }
  }
  const versions = existsSync('/etc/postgresql') ? readdirSync('/etc/postgresql').sort((a, b) => Number(b) - Number(a)) : [];
  let version = versions.find((v) => existsSync(`/etc/postgresql/${v}/main`));
  if (version === undefined) {
    version = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a))[0];
    if (version === undefined || !sh('pg_createcluster', [version, 'main'])) explain(url, 'No PostgreSQL cluster could be created (see above).');
  }
  trustLoopback(version);
  console.log(`Starting PostgreSQL ${version} (cluster main) for the server tests…`);
  // Installing may have started it already: then the new pg_hba.conf needs a reload instead.
  if (!sh('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'])) sh('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'reload']);
  if (!(await waitFor(host, Number(port || 5432)))) explain(url, `PostgreSQL ${version} did not start (see /var/log/postgresql/).`);
  // The tests connect to the database `test` to create their own.
  const psql = (sql) => spawnSync('psql', ['-h', host, '-U', 'postgres', '-d', 'postgres', '-tAc', sql], { encoding: 'utf8' });
  if (psql("SELECT 1 FROM pg_database WHERE datname = 'test'").stdout.trim() !== '1' && psql('CREATE DATABASE test').status !== 0) {
    explain(url, 'PostgreSQL started, but the database "test" could not be created.');
  }
}
