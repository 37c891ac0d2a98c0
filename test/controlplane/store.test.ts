// The database file: pragmas, migrations that are idempotent, refusing a newer schema without touching it,
// transactions that roll back whole, and a busy database reported as such.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { DatabaseBusy, inTransaction, migrate, MIGRATIONS, openDatabase, whenFree } from "../../provider/controlplane/store";
import { SecretBox } from "../../provider/controlplane/crypto";
import { ControlPlaneService } from "../../provider/controlplane/service";
import { expectError, OWNER, platform, sortedRows, TABLES, tempDir, world } from "./support";

const schema = (db: Database.Database) => db.prepare("SELECT type, name, sql FROM sqlite_master ORDER BY name").all();
const sha = (file: string) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
/** File descriptors this process holds on files under `dir`. */
const openFiles = (dir: string) => fs.readdirSync("/proc/self/fd").filter((fd) => {
    try {
        return fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith(dir);
    } catch {
        return false;
    }
}).length;

describe("opening the database", () => {
    it("uses WAL, foreign keys and the current schema, in a folder only its owner can enter", () => {
        const dir = path.join(tempDir(), "nested", "data");
        const db = openDatabase(path.join(dir, "platform.db"));
        expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
        expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
        expect(db.pragma("synchronous", { simple: true })).toBe(1); // NORMAL
        expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
        expect(schema(db).filter((o: any) => o.type === "table").map((o: any) => o.name)).toEqual(["idempotency_keys", "meta", "objects", "organization_roles", "refs", "versions"]);
        expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
        db.close();
    });

    it("migrates once: reopening and migrating again change nothing and keep the data", () => {
        const p = platform();
        world(p);
        const before = { schema: schema(p.db), rows: p.snapshot() };
        migrate(p.db);
        expect(schema(p.db)).toEqual(before.schema);
        p.db.close();
        for (let i = 0; i < 2; i++) {
            const again = openDatabase(p.file);
            expect(again.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
            expect(schema(again)).toEqual(before.schema);
            expect((again.prepare("SELECT count(*) AS n FROM objects").get() as { n: number }).n).toBe(before.rows.objects.length);
            again.close();
        }
    });

    it("refuses a database written by a newer version, without changing or keeping open the file", () => {
        const dir = tempDir();
        const file = path.join(dir, "platform.db");
        const raw = new Database(file);
        raw.exec("CREATE TABLE future (x)");
        raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
        raw.close();
        const digest = sha(file);
        const e = expectError(() => openDatabase(file));
        expect(e).toMatchObject({
            code: "FAILED_PRECONDITION",
            message: `database schema version ${MIGRATIONS.length + 1} is newer than this provider understands (${MIGRATIONS.length}). Upgrade pulumi-mlplatform.`,
        });
        expect(sha(file)).toBe(digest);
        expect(fs.readdirSync(dir)).toEqual(["platform.db"]);
        expect(openFiles(dir)).toBe(0);
    });

    it("upgrades a database of the first schema: every row kept, keys still honoured, members still see, fewer b-trees per write", () => {
        // The rows are made by today's service in a scratch database, then copied into a database of the first
        // schema, column by column as that schema has them: what a database written by the first version holds.
        const scratch = new Database(":memory:");
        scratch.exec(MIGRATIONS.join(";\n"));
        const box = new SecretBox(crypto.randomBytes(32));
        const old = new ControlPlaneService(scratch, box);
        const org = old.create(OWNER, { kind: "Organization", spec: { name: "acme", displayName: "ACME", defaultZone: "ru-central1-a" } });
        const community = old.create(OWNER, { kind: "Community", spec: { organizationId: org.id, name: "research", zone: "ru-central1-a" } });
        const account = old.create(OWNER, { kind: "BillingAccount", spec: { organizationId: org.id, name: "main", status: "active" } });
        old.create(OWNER, { kind: "BillingLink", spec: { communityId: community.id, billingAccountId: account.id } });
        old.create(OWNER, { kind: "CommunityMember", spec: { communityId: community.id, subject: "userAccount:bob", role: "viewer" } });
        const project = old.create(OWNER, { kind: "Project", spec: { communityId: community.id, name: "training" } });
        const keyed = { kind: "Dataset" as const, spec: { projectId: project.id, name: "images", sizeGb: 1 }, idempotencyKey: "key-1" };
        const dataset = old.create(OWNER, keyed);
        const file = path.join(tempDir(), "platform.db");
        const first = new Database(file);
        first.pragma("journal_mode = WAL");
        first.exec(MIGRATIONS[0]);
        first.pragma("user_version = 1");
        const columnsOf = (db: Database.Database, table: string) => (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
        const firstColumns = Object.fromEntries(TABLES.map((t) => [t, columnsOf(first, t)]));
        for (const t of TABLES) {
            const columns = firstColumns[t].join(", ");
            for (const row of scratch.prepare(`SELECT ${columns} FROM ${t}`).all() as Record<string, unknown>[]) {
                first.prepare(`INSERT INTO ${t} (${columns}) VALUES (${firstColumns[t].map((c) => `@${c}`).join(", ")})`).run(row);
            }
        }
        scratch.close();
        const rows = (db: Database.Database) => Object.fromEntries(TABLES.map((t) => [t, sortedRows(db.prepare(`SELECT ${firstColumns[t].join(", ")} FROM ${t}`).all())]));
        const before = rows(first);
        first.close();

        const db = openDatabase(file);
        expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
        expect(rows(db)).toEqual(before);
        const service = new ControlPlaneService(db, box);
        // The same key and request give the same object back, not a second one or a conflict.
        expect(service.create(OWNER, keyed).id).toBe(dataset.id);
        // A community member (no organization role) still sees the organization's objects.
        expect(service.get("userAccount:bob", "Project", project.id).id).toBe(project.id);
        expect(service.list("userAccount:bob", { kind: "Dataset" }).items.map((o) => o.id)).toEqual([dataset.id]);
        expect(() => service.get("userAccount:eve", "Project", project.id)).toThrow(/not found/i);
        // The member lookup runs on the partial index, and keys live in their primary key alone.
        const plan = db.prepare("EXPLAIN QUERY PLAN SELECT 1 FROM objects WHERE organization_id = ? AND kind IN ('CommunityMember', 'ProjectMember') AND unique_key = ?").all("o", "s");
        expect(JSON.stringify(plan)).toContain("objects_members");
        expect((db.prepare("SELECT sql FROM sqlite_master WHERE name = 'idempotency_keys'").get() as { sql: string }).sql).toMatch(/WITHOUT ROWID\s*$/);
        expect(schema(db).map((o: any) => o.name)).not.toContain("objects_org_kind");
        db.close();
    });

    it("finishes the migrations of a database that has none yet", () => {
        const file = path.join(tempDir(), "platform.db");
        new Database(file).close();
        const db = openDatabase(file);
        expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
        db.close();
    });

    it("enforces parents and references in the schema itself", () => {
        const p = platform();
        const w = world(p);
        expect(() => p.db.prepare("DELETE FROM objects WHERE id = ?").run(w.community.id)).toThrow(/FOREIGN KEY constraint failed/);
        expect(() => p.db.prepare("INSERT INTO refs (from_id, to_id, path) VALUES (?, 'nosuchobject', 'x')").run(w.project.id)).toThrow(/FOREIGN KEY/);
    });
});

describe("transactions", () => {
    it("commit whole or not at all", () => {
        const p = platform();
        const w = world(p);
        const before = p.snapshot();
        expect(() => inTransaction(p.db, () => {
            p.owner.create("Dataset", { projectId: w.project.id, name: "a", sizeGb: 1 });
            p.owner.create("Dataset", { projectId: w.project.id, name: "b", sizeGb: 1 });
            throw new Error("half way");
        })).toThrow("half way");
        expect(p.snapshot()).toEqual(before);
        expect(inTransaction(p.db, () => p.owner.create("Dataset", { projectId: w.project.id, name: "c", sizeGb: 1 }).spec.name)).toBe("c");
    });

    it("fail before the work runs while another connection holds the write lock, as DatabaseBusy", () => {
        const file = path.join(tempDir(), "platform.db");
        openDatabase(file).close();
        const holder = new Database(file);
        const waiter = new Database(file, { timeout: 20 });
        holder.exec("BEGIN IMMEDIATE");
        try {
            let attempts = 0;
            expect(() => inTransaction(waiter, () => {
                attempts++;
                waiter.exec("CREATE TABLE t (x)");
            })).toThrow(DatabaseBusy);
            expect(attempts).toBe(0); // the write lock is taken before the work runs, so running it again is safe
        } finally {
            holder.exec("ROLLBACK");
            holder.close();
        }
        expect(inTransaction(waiter, () => 42)).toBe(42);
        waiter.close();
    });

    it("wait for a lock held elsewhere without blocking the event loop, then run the call", async () => {
        const file = path.join(tempDir(), "platform.db");
        openDatabase(file).close();
        const holder = new Database(file);
        const waiter = new Database(file, { timeout: 5 });
        holder.exec("BEGIN IMMEDIATE");
        // The lock goes once the event loop has turned a few times: a blocked loop would never release it.
        let turns = 0;
        const ticker = setInterval(() => {
            if (++turns === 5) {
                holder.exec("ROLLBACK");
                holder.close();
            }
        }, 10);
        let tries = 0;
        try {
            const result = await whenFree(() => inTransaction(waiter, () => {
                tries++;
                waiter.exec("CREATE TABLE t (x)");
                return "written";
            }));
            expect(result).toBe("written");
            expect(tries).toBe(1);
            expect(turns).toBeGreaterThanOrEqual(5);
        } finally {
            clearInterval(ticker);
            waiter.close();
        }
    });

    it("report a lock held past the deadline as UNAVAILABLE, saying what to do", async () => {
        const file = path.join(tempDir(), "platform.db");
        openDatabase(file).close();
        const holder = new Database(file);
        const waiter = new Database(file, { timeout: 5 });
        holder.exec("BEGIN IMMEDIATE");
        try {
            const e = await whenFree(() => inTransaction(waiter, () => waiter.exec("CREATE TABLE t (x)")), 60).then(() => undefined, (x) => x);
            expect(e).toMatchObject({ code: "UNAVAILABLE" });
            expect(e.message).toMatch(/^the database is busy: another process has held its write lock for over [\d.]+ s\. Try again once it is done \(another pulumi up on the same data folder, or a process stuck holding it\)\.$/);
        } finally {
            holder.exec("ROLLBACK");
            holder.close();
            waiter.close();
        }
    });
});
