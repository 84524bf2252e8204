// The --help texts of the `beckon` command and its subcommands.

export const MAIN_HELP = `Usage: beckon <command> [options]

In-app messages for anonymous visitors: serve the catalog, collect events, show the numbers.

Commands:
  serve      Run the server: catalog, event collector, decide, metrics and dashboard
  migrate    Create or upgrade the database schema and print what was done
  export     Write every stored event of a time range as NDJSON or CSV
  validate   Check a message catalog and print every error with its path
  compile    Print the compiled catalog as JSON (what GET /v1/catalog serves)
  erase      Delete everything stored about one person (a user id or an anonymous id)
  export-person
             Print everything stored about one person as JSON

Options:
  -h, --help     Show this help
  -v, --version  Print the version

Run "beckon <command> --help" for the options of a command.
`;

export const SERVE_HELP = `Usage: beckon serve --catalog <messages.json> [options]

Serves GET /v1/catalog, POST /v1/batch, POST /v1/decide, GET /v1/metrics, GET /v1/health and
GET /dashboard from one SQLite file or a PostgreSQL database (several processes may share
one). Ctrl-C or SIGTERM stops it: requests in flight finish and
the database is closed cleanly.

Options:
  --catalog <file>    The message catalog (required); re-read when the file changes
  --db <file|url>     SQLite database file, created when missing, or a PostgreSQL URL
                      postgres://user:password@host:5432/beckon (or set BECKON_DATABASE_URL;
                      default: ./beckon.sqlite). The schema is created or upgraded on start.
  --db-pool-size <n>  PostgreSQL: most connections this process opens (default: 10; or set
                      BECKON_DB_POOL_SIZE)
  --port <number>     TCP port (default: 8787; 0 picks a free one)
  --host <address>    Address to listen on (default: 127.0.0.1, this machine only;
                      0.0.0.0 for every interface)
  --write-key <key>   Require this key to send events and call decide
                      (or set BECKON_WRITE_KEY)
  --read-key <key>    Require this key for metrics and the dashboard (or set BECKON_READ_KEY)
  --admin-key <key>   Turn on GET and DELETE /v1/people/{id} (access and erasure) behind this
                      key (or set BECKON_ADMIN_KEY); without it they answer 403
  --retain-anonymous <duration|off>
                      Delete events of people who never identified once older than this
                      (default: 30d); "off" keeps them
  --retain-events <duration>
                      Delete every event once older than this (default: kept)
  --store-context     Store each event's whole context (page, user agent, locale, ...);
                      without it only the sending library is kept. IP addresses never are.
  --origin <url>      A browser origin allowed to call the API, e.g. https://shop.example;
                      repeat it or separate with commas; "*" allows any. With none, any
                      origin is allowed only while listening on a loopback address.
  --allowed-host <name>
                      A host name the server answers to (collect.example.com, *.example.com,
                      "*" for any); repeat it or separate with commas. Loopback names and
                      --host are always answered; with none, a server on a loopback address
                      answers nothing else (against DNS rebinding), one elsewhere any name.
  --forward <url>     Forward every stored event to this URL in Segment batch format
                      ({"batch": [...], "sentAt": ...}), e.g. a Segment or RudderStack HTTP
                      source or a webhook; repeat it for several. A key after # (url#key) is
                      sent as the Basic auth user name, as Segment libraries send a write key.
                      Events wait in the database's outbox until the destination took them:
                      at least once, in order, retried with backoff. Or set BECKON_FORWARD
                      (URLs separated by spaces), which keeps keys off the command line.

Forwarding:
  --forward-batch-size <n>   Most events in one request (default: 100)
  --forward-retry-min <ms>   First retry's delay after a failed request (default: 1000)
  --forward-retry-max <ms>   Longest delay between retries (default: 300000)

Timeouts (milliseconds) and connection limits; 0 turns off the idle timeout and the per-client limit:
  --headers-timeout <ms>             Longest wait for a request's headers (default: 10000)
  --request-timeout <ms>             Longest a whole request may take to arrive (default: 30000)
  --idle-timeout <ms>                Close a connection idle this long (default: 15000)
  --keep-alive-timeout <ms>          Keep an idle connection open for its next request (default: 5000)
  --max-connections <n>              Most open connections (default: 800)
  --max-connections-per-client <n>   Most open connections from one address (default: 100; raise it
                                     or set 0 behind a reverse proxy, where every client shares one)
  -h, --help          Show this help

Example:
  beckon serve --catalog messages.json --db ./beckon.sqlite --port 8787 \\
    --write-key "$BECKON_WRITE_KEY" --origin https://shop.example
`;

export const MIGRATE_HELP = `Usage: beckon migrate --db <file|url>

Creates or upgrades the schema of a SQLite file or a PostgreSQL database and prints what it did.
beckon serve does the same on start; run this to do it ahead of a deploy. Several processes
starting at once on one PostgreSQL database migrate it once (the others wait, then find it current).

Options:
  --db <file|url>   SQLite database file, or postgres://user:password@host:5432/beckon
                    (or set BECKON_DATABASE_URL; default: ./beckon.sqlite)
  -h, --help        Show this help
`;

export const EXPORT_HELP = `Usage: beckon export --db <file|url> --from <time> --to <time> [options] > events.ndjson

Writes every stored event whose time is in [from, to) to stdout (or --out), one per line: the file a
warehouse loads (BigQuery, Snowflake, ClickHouse and DuckDB all read NDJSON). Memory stays the same
whatever the range holds. A summary goes to stderr.

Options:
  --db <file|url>     SQLite database file, or postgres://user:password@host:5432/beckon
                      (or set BECKON_DATABASE_URL; default: ./beckon.sqlite)
  --from <time>       Start of the range, included: epoch milliseconds or an ISO date (2026-01-01)
  --to <time>         End of the range, excluded
  --format <format>   ndjson (default: each event as stored, plus receivedAt) or csv (a header,
                      then Segment's fields as columns; objects as JSON)
  --out <file>        Write to this file instead of stdout
  -h, --help          Show this help

Example:
  beckon export --db ./beckon.sqlite --from 2026-11-01 --to 2026-12-01 | gzip > november.ndjson.gz
`;

export const VALIDATE_HELP = `Usage: beckon validate <messages.json>

Checks a message catalog and prints every error with its path, e.g.
  messages.json: messages[2].pages.include[0]: "/pri[cing" is not a valid pattern ...
Exits with 0 when the catalog is valid, 1 when it has errors.

Options:
  -h, --help   Show this help
`;

export const COMPILE_HELP = `Usage: beckon compile <messages.json> > compiled.json

Validates and compiles a message catalog and prints it as JSON on stdout: the same document
GET /v1/catalog serves. Errors go to stderr and the exit code is 1.

Options:
  -h, --help   Show this help
`;

export const ERASE_HELP = `Usage: beckon erase --db <file|url> (--user <userId> | --anonymous <anonymousId>)

Deletes every event, identity link and ledger of one person: a user with every anonymous id linked
to them (an anonymous id that is linked names its user), or an anonymous id that never identified.
Prints what was deleted as JSON. Their events arriving later are refused for the retention period
(a keyed hash of each id is kept for that, never the id). Exit code 1 when nothing is stored of them.

Options:
  --db <file|url>       SQLite database file, or postgres://user:password@host:5432/beckon
                        (or set BECKON_DATABASE_URL; default: ./beckon.sqlite)
  --user <userId>       The person's user id
  --anonymous <id>      The person's anonymous id
  --retain-anonymous <duration|off>, --retain-events <duration>
                        The server's retention, when not the default: late events are refused
                        for the longer of the two (default: 30d)
  -h, --help            Show this help
`;

export const EXPORT_PERSON_HELP = `Usage: beckon export-person --db <file|url> (--user <userId> | --anonymous <anonymousId>)

Prints everything stored about one person as JSON: their events as stored, identity links and
ledgers. Exit code 1 when nothing is stored of them.

Options:
  --db <file|url>       SQLite database file, or postgres://user:password@host:5432/beckon
                        (or set BECKON_DATABASE_URL; default: ./beckon.sqlite)
  --user <userId>       The person's user id
  --anonymous <id>      The person's anonymous id
  -h, --help            Show this help
`;
