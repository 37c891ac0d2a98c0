// The database file: opening, pragmas, schema migrations and transactions that survive a second writer.
import Database from "better-sqlite3";
import * as fs from "fs";
import * as path from "path";
import { PlatformError } from "../model/errors";

type DB = Database.Database;

/** The files of a control plane's data folder: the database, and the key file when no key is configured. */
export { DATABASE_FILE, KEY_FILE } from "../model/data-folder";

/** Ordered schema migrations; the database's user_version says how many have run. Never edit a shipped one. */
export const MIGRATIONS: readonly string[] = [
    `
    CREATE TABLE objects (
        id              TEXT PRIMARY KEY,
        kind            TEXT NOT NULL,
        parent_id       TEXT REFERENCES objects(id) ON DELETE RESTRICT,
        scope           TEXT NOT NULL,           -- uniqueness scope: the parent's id, '' for organizations
        unique_key      TEXT NOT NULL,
        organization_id TEXT,
        zone            TEXT,
        name            TEXT,
        spec            TEXT NOT NULL,           -- JSON without secret fields
        sealed          TEXT,                    -- secret fields, AES-256-GCM
        system          INTEGER NOT NULL DEFAULT 0, -- made by the platform (the default community)
        version         INTEGER NOT NULL,
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL,
        created_by      TEXT NOT NULL,
        UNIQUE (kind, scope, unique_key)
    );
    CREATE INDEX objects_parent ON objects(parent_id);
    CREATE INDEX objects_org_kind ON objects(organization_id, kind);
    CREATE TABLE refs (
        from_id TEXT NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
        to_id   TEXT NOT NULL REFERENCES objects(id) ON DELETE RESTRICT,
        path    TEXT NOT NULL,
        PRIMARY KEY (from_id, path, to_id)
    );
    CREATE INDEX refs_to ON refs(to_id);
    CREATE TABLE organization_roles (
        organization_id TEXT NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
        subject         TEXT NOT NULL,
        role            TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
        PRIMARY KEY (organization_id, subject)
    );
    CREATE TABLE versions (
        object_id  TEXT NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
        version    INTEGER NOT NULL,
        spec       TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        PRIMARY KEY (object_id, version)
    );
    CREATE TABLE idempotency_keys (
        key          TEXT NOT NULL,
        principal    TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        object_id    TEXT NOT NULL,
        created_at   TEXT NOT NULL,
        PRIMARY KEY (principal, key)
    );
    `,
    // Every b-tree a write touches is one more page in the WAL, and a mutation's cost follows its pages
    // (BENCHMARKS.md: 11-13 µs a page). So: member lookups by organization get a partial index that only member
    // rows enter, instead of an index of every object by organization and kind; and idempotency keys are stored in
    // their primary key's b-tree alone (WITHOUT ROWID) instead of a table plus an index.
    `
    DROP INDEX objects_org_kind;
    CREATE INDEX objects_members ON objects(organization_id, unique_key) WHERE kind IN ('CommunityMember', 'ProjectMember');
    CREATE TABLE idempotency_keys_by_key (
        key          TEXT NOT NULL,
        principal    TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        object_id    TEXT NOT NULL,
        created_at   TEXT NOT NULL,
        PRIMARY KEY (principal, key)
    ) WITHOUT ROWID;
    INSERT INTO idempotency_keys_by_key (key, principal, request_hash, object_id, created_at)
        SELECT key, principal, request_hash, object_id, created_at FROM idempotency_keys;
    DROP TABLE idempotency_keys;
    ALTER TABLE idempotency_keys_by_key RENAME TO idempotency_keys;
    `,
    // Who manages each object (the owning resource's URN; NULL for objects made outside any stack, or before
    // this schema), the version an update's idempotency key produced (a retried update that already landed
    // converges instead of failing as a conflict), and this control plane's identity, which each object's
    // state records so that a stack pointed at another control plane is refused instead of seeing its objects gone.
    `
    ALTER TABLE objects ADD COLUMN owner TEXT;
    ALTER TABLE idempotency_keys ADD COLUMN result_version INTEGER;
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    INSERT INTO meta (key, value) VALUES ('control_plane_id', lower(hex(randomblob(16))));
    `,
];

function refuseNewer(db: DB): number {
    const current = db.pragma("user_version", { simple: true }) as number;
    if (current > MIGRATIONS.length) {
        throw new PlatformError("FAILED_PRECONDITION", `database schema version ${current} is newer than this provider understands (${MIGRATIONS.length}). Upgrade pulumi-mlplatform.`);
    }
    return current;
}

export function migrate(db: DB): void {
    const current = refuseNewer(db);
    for (let v = current; v < MIGRATIONS.length; v++) {
        db.transaction(() => {
            // Re-read inside the write lock: another process may have migrated meanwhile.
            if ((db.pragma("user_version", { simple: true }) as number) !== v) return;
            db.exec(MIGRATIONS[v]);
            db.pragma(`user_version = ${v + 1}`);
        }).immediate();
    }
}

/** How long opening a database waits for another process that holds its write lock (migrating it, say). */
const OPEN_LOCK_WAIT_MS = 10_000;
/**
 * How long SQLite itself waits for another connection's write lock during a call. Its wait blocks the process's
 * event loop, so it is kept short; longer waits happen in `whenFree`, between turns of the event loop.
 */
const CALL_LOCK_WAIT_MS = 20;
/** How long a call waits for another process's write lock before it fails with UNAVAILABLE. */
export const BUSY_DEADLINE_MS = 30_000;

/**
 * The one-line fix when better-sqlite3's native part was built for another Node.js than the one running (installed
 * under Node 20, run under 22, say): Node's own message is a paragraph about NODE_MODULE_VERSION numbers. Or when it
 * was never built, its install script not run (`npm install --ignore-scripts`, or npm 12, which runs a dependency's
 * install script only when the project's own package.json allows it in allowScripts, and otherwise installs the
 * package unbuilt without an error): the `bindings` package then lists every path it tried. `npm rebuild` obeys
 * allowScripts as well (npm 11.19 already skips a denied package's script there), so each fix says how to allow it.
 */
export function nativeModuleProblem(e: unknown): PlatformError | undefined {
    const message = e instanceof Error ? e.message : "";
    if (message.startsWith("Could not locate the bindings file")) {
        return new PlatformError("FAILED_PRECONDITION", "better-sqlite3 is installed without its native part: its install script did not run (npm install --ignore-scripts, "
            + "or npm 12 without better-sqlite3 allowed in the allowScripts field of the project's package.json). "
            + "Allow it (npm install-scripts approve better-sqlite3), then build it with the Node.js that runs Pulumi: npm rebuild better-sqlite3");
    }
    const versions = /NODE_MODULE_VERSION (\d+)[\s\S]*NODE_MODULE_VERSION (\d+)/.exec(message);
    if (!versions && !/invalid ELF header|wrong ELF class|not a valid Win32 application|mach-o, but wrong architecture/.test(message)) return undefined;
    const built = versions ? ` (built for NODE_MODULE_VERSION ${versions[1]}, this Node.js ${process.version} needs ${versions[2]})` : " (built for another platform)";
    return new PlatformError("FAILED_PRECONDITION", `better-sqlite3 was built for another Node.js${built}. Rebuild it with the Node.js that runs Pulumi: npm rebuild better-sqlite3 `
        + "(npm 12 runs the build only if the allowScripts field of the project's package.json allows it: npm install-scripts approve better-sqlite3)");
}

export function openDatabase(file: string): DB {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    let db: DB;
    try {
        db = new Database(file, { timeout: OPEN_LOCK_WAIT_MS });
    } catch (e) {
        throw nativeModuleProblem(e) ?? e;
    }
    try {
        refuseNewer(db); // before anything writes to a file a newer version made
        db.pragma("journal_mode = WAL");
        db.pragma("synchronous = NORMAL"); // WAL + NORMAL: durable at checkpoint, never corrupt on a crash
        db.pragma("foreign_keys = ON");
        migrate(db);
        db.pragma(`busy_timeout = ${CALL_LOCK_WAIT_MS}`);
    } catch (e) {
        db.close(); // a refused file must not stay open (and locked) for the life of the process
        throw e;
    }
    return db;
}

/** One transaction wrapper per database, taking the work as its argument: building a wrapper costs a mutation ~8 µs. */
const runners = new WeakMap<DB, Database.Transaction<(work: () => unknown) => unknown>>();
function transactionRunner(db: DB): Database.Transaction<(work: () => unknown) => unknown> {
    let runner = runners.get(db);
    if (!runner) {
        runner = db.transaction((work: () => unknown) => work());
        runners.set(db, runner);
    }
    return runner;
}

const isBusy = (e: unknown) => {
    const code = (e as { code?: unknown } | null)?.code;
    return code === "SQLITE_BUSY" || code === "SQLITE_BUSY_SNAPSHOT" || code === "SQLITE_LOCKED";
};

/** Another connection holds the database's write lock: the call did nothing and can be made again (`whenFree`). */
export class DatabaseBusy extends Error {
    constructor() {
        super("the database is busy: another process holds its write lock");
        this.name = "DatabaseBusy";
    }
}

/**
 * Runs `work` in one IMMEDIATE transaction: the write lock is taken up front, so two writers queue instead of
 * deadlocking on a read-to-write upgrade, and a lock held elsewhere fails the call before `work` runs
 * (DatabaseBusy), which makes it safe to run again.
 */
export function inTransaction<T>(db: DB, work: () => T): T {
    try {
        return transactionRunner(db).immediate(work) as T;
    } catch (e) {
        throw isBusy(e) ? new DatabaseBusy() : e;
    }
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Makes a call of the service, and makes it again while another process holds the database's write lock, pausing
 * between tries without blocking the event loop (the provider host and the server answer other calls meanwhile).
 * Past `deadlineMs` the call fails with UNAVAILABLE.
 */
export async function whenFree<T>(call: () => T, deadlineMs: number = BUSY_DEADLINE_MS): Promise<T> {
    const started = Date.now();
    for (let wait = 5; ; wait = Math.min(wait * 2, 250)) {
        try {
            return call();
        } catch (e) {
            if (!(e instanceof DatabaseBusy) && !isBusy(e)) throw e;
            const waited = Date.now() - started;
            if (waited >= deadlineMs) {
                throw new PlatformError("UNAVAILABLE", `the database is busy: another process has held its write lock for over ${Math.round(waited / 100) / 10} s. Try again once it is done (another pulumi up on the same data folder, or a process stuck holding it).`);
            }
            // Jitter: two processes that met once do not meet again on every try.
            await pause(Math.min(wait + Math.random() * wait, deadlineMs - waited));
        }
    }
}
