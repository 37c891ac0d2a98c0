// Several processes on one database file: concurrent writers lose nothing, and a writer killed mid-write
// (between transactions or inside a long one) leaves a consistent database the next writer can use. The
// writers are real separate Node processes running the TypeScript sources through ts-node.
import { ChildProcessWithoutNullStreams, spawn } from "child_process";
import * as path from "path";
import type Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { closeAll, embeddedClient } from "../../provider/client/embedded";
import { loadOrCreateKeyFile, SecretBox } from "../../provider/controlplane/crypto";
import { ControlPlaneService } from "../../provider/controlplane/service";
import { MIGRATIONS, openDatabase } from "../../provider/controlplane/store";
import { OWNER, tempDir } from "./support";

const WRITER = path.join(__dirname, "fixtures/writer.js");

interface Writer {
    readonly child: ChildProcessWithoutNullStreams;
    readonly lines: string[];
    readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
    stderr(): string;
    /** Resolves once `predicate` holds for the lines printed so far. */
    until(predicate: (lines: string[]) => boolean): Promise<void>;
}

function writer(dataDir: string, args: string[], env: Record<string, string> = {}): Writer {
    const child = spawn(process.execPath, [WRITER, dataDir, ...args], { env: { ...process.env, ...env }, stdio: "pipe" });
    const lines: string[] = [];
    const waiters: (() => void)[] = [];
    let stderr = "";
    let partial = "";
    child.stdout.on("data", (d) => {
        const parts = (partial + String(d)).split("\n");
        partial = parts.pop()!;
        lines.push(...parts);
        waiters.forEach((w) => w());
    });
    child.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
    return {
        child, lines, exited, stderr: () => stderr,
        until: (predicate) => new Promise<void>((resolve, reject) => {
            const check = () => predicate(lines) && resolve();
            waiters.push(check);
            exited.then(() => (predicate(lines) ? resolve() : reject(new Error(`writer exited early: ${stderr}`))));
            check();
        }),
    };
}

/** An organization with a billed community and a project, made in this process; the handle is closed after. */
async function projectIn(dataDir: string): Promise<string> {
    const c = embeddedClient({ mode: "embedded", dataDir, principal: OWNER });
    const org = await c.create({ kind: "Organization", spec: { name: "acme", displayName: "Acme", defaultZone: "ru-central1-a" } });
    const acc = await c.create({ kind: "BillingAccount", spec: { organizationId: org.id, name: "main", status: "active" } });
    const com = await c.create({ kind: "Community", spec: { organizationId: org.id, name: "research", zone: "ru-central1-a" } });
    await c.create({ kind: "BillingLink", spec: { communityId: com.id, billingAccountId: acc.id } });
    const project = await c.create({ kind: "Project", spec: { communityId: com.id, name: "training" } });
    await closeAll();
    return project.id;
}

/** Reopens the database as the next process would, with the key file the writers used. */
function reopen(dataDir: string): { db: Database.Database; service: ControlPlaneService } {
    const db = openDatabase(path.join(dataDir, "platform.db"));
    return { db, service: new ControlPlaneService(db, new SecretBox(loadOrCreateKeyFile(path.join(dataDir, "platform.key")))) };
}

const count = (db: Database.Database, where: string) => (db.prepare(`SELECT count(*) AS n FROM objects WHERE ${where}`).get() as { n: number }).n;

/** Structural checks every reopened database must pass. */
function expectConsistent(db: Database.Database): void {
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(db.pragma("foreign_key_check")).toEqual([]);
    // No object without its parent, no reference to a missing object, no object of an unknown organization.
    expect(db.prepare("SELECT id FROM objects o WHERE parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM objects p WHERE p.id = o.parent_id)").all()).toEqual([]);
    expect(db.prepare("SELECT from_id FROM refs r WHERE NOT EXISTS (SELECT 1 FROM objects o WHERE o.id = r.to_id) OR NOT EXISTS (SELECT 1 FROM objects o WHERE o.id = r.from_id)").all()).toEqual([]);
    expect(db.prepare("SELECT id FROM objects o WHERE NOT EXISTS (SELECT 1 FROM objects g WHERE g.id = o.organization_id AND g.kind = 'Organization')").all()).toEqual([]);
    // Every organization is whole: its default community and its owner came in the same transaction.
    expect(db.prepare(`SELECT id FROM objects o WHERE kind = 'Organization' AND (
        (SELECT count(*) FROM objects c WHERE c.parent_id = o.id AND c.system = 1) != 1 OR
        NOT EXISTS (SELECT 1 FROM organization_roles r WHERE r.organization_id = o.id AND r.role = 'owner'))`).all()).toEqual([]);
    for (const row of db.prepare("SELECT spec FROM objects").all() as { spec: string }[]) expect(() => JSON.parse(row.spec)).not.toThrow();
}

describe("one database file, several processes", () => {
    it("two writers at once lose nothing", async () => {
        const dataDir = tempDir("mlp-2w-");
        const projectId = await projectIn(dataDir);
        // Enough writes that each writer runs long past the other's start: a create takes ~0.1 ms, and 200 of them
        // could finish before the second process got going, leaving nothing to interleave.
        const perWriter = 1000;
        const a = writer(dataDir, ["datasets", projectId, "a", String(perWriter)], { GO: "1" });
        const b = writer(dataDir, ["datasets", projectId, "b", String(perWriter)], { GO: "1" });
        await Promise.all([a.until((l) => l.includes("ready")), b.until((l) => l.includes("ready"))]);
        a.child.stdin.end("go\n");
        b.child.stdin.end("go\n");
        const [ea, eb] = await Promise.all([a.exited, b.exited]);
        expect([ea.code, eb.code], a.stderr() + b.stderr()).toEqual([0, 0]);

        const { db, service } = reopen(dataDir);
        try {
            expectConsistent(db);
            const rows = db.prepare("SELECT id, name FROM objects WHERE kind = 'Dataset' ORDER BY rowid").all() as { id: string; name: string }[];
            expect(rows).toHaveLength(2 * perWriter);
            const names = new Set(rows.map((r) => r.name));
            for (const prefix of ["a", "b"]) for (let i = 0; i < perWriter; i++) expect(names.has(`${prefix}-${i}`)).toBe(true);
            // Every id a writer was given is there, and nothing else.
            expect(rows.map((r) => r.id).sort()).toEqual([...a.lines, ...b.lines].filter((l) => l !== "ready").sort());
            // The writes really were concurrent: commits of the two writers interleave.
            const switches = rows.slice(1).filter((r, i) => r.name[0] !== rows[i].name[0]).length;
            expect(switches).toBeGreaterThan(1);
            // And the service sees them all, page by page.
            const seen: string[] = [];
            let pageToken: string | undefined;
            do {
                const page = service.list(OWNER, { kind: "Dataset", parentId: projectId, pageSize: 150, pageToken });
                seen.push(...page.items.map((o) => o.id));
                pageToken = page.nextPageToken;
            } while (pageToken);
            expect(new Set(seen).size).toBe(2 * perWriter);
        } finally {
            db.close();
        }
    }, 60_000);

    it("two processes opening a new folder at once agree on one schema and one key", async () => {
        const dataDir = tempDir("mlp-fresh-");
        const a = writer(dataDir, ["team-with-secrets", "alpha", "30"]);
        const b = writer(dataDir, ["team-with-secrets", "beta", "30"]);
        const [ea, eb] = await Promise.all([a.exited, b.exited]);
        expect([ea.code, eb.code], a.stderr() + b.stderr()).toEqual([0, 0]);
        const { db, service } = reopen(dataDir);
        try {
            expectConsistent(db);
            expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
            // Every secret either process wrote opens with the one key file left in the folder.
            const ids = [...a.lines, ...b.lines];
            expect(ids).toHaveLength(60);
            for (const id of ids) expect(service.get(OWNER, "Secret", id).secretDigests.value).toMatch(/^v2:[0-9a-f]{32}$/);
        } finally {
            db.close();
        }
    }, 60_000);

    it("a writer killed between transactions leaves every object whole", async () => {
        const dataDir = tempDir("mlp-kill-");
        const projectId = await projectIn(dataDir);
        const w = writer(dataDir, ["resources", projectId, "r", "100000"]);
        await w.until((l) => l.length >= 25);
        w.child.kill("SIGKILL");
        expect((await w.exited).signal).toBe("SIGKILL");
        const rounds = w.lines.length; // rounds reported done (a later one may have been under way)

        const { db, service } = reopen(dataDir);
        try {
            expectConsistent(db);
            const [models, nodes, aliases, secrets] = ["Model", "Node", "Alias", "Secret"].map((k) => count(db, `kind = '${k}'`));
            expect(aliases).toBeGreaterThanOrEqual(rounds);
            expect(models).toBeLessThanOrEqual(rounds + 1);
            // Each round's objects come in order; a kill can only cut between them.
            expect(models >= nodes && nodes >= aliases && aliases >= secrets && models - secrets <= 1).toBe(true);
            // Every node serves an existing model, every alias an existing node: references are whole.
            for (const node of service.list(OWNER, { kind: "Node", pageSize: 1000 }).items) expect(service.get(OWNER, "Model", String(node.spec.modelId)).id).toBe(node.spec.modelId);
            expect((db.prepare("SELECT count(*) AS n FROM refs WHERE path = 'nodes[].nodeId'").get() as { n: number }).n).toBe(aliases);
            // Every secret can still be opened with the key (its sealed value was written whole).
            const listed = service.list(OWNER, { kind: "Secret", pageSize: 1000 }).items;
            expect(listed).toHaveLength(secrets);
            for (const s of listed) expect(s.secretDigests.value).toMatch(/^v2:[0-9a-f]{32}$/);
        } finally {
            db.close();
        }

        // And the next writer carries on with the same database.
        const next = writer(dataDir, ["datasets", projectId, "after", "3"]);
        expect((await next.exited).code, next.stderr()).toBe(0);
        const again = reopen(dataDir);
        expect(count(again.db, "kind = 'Dataset'")).toBe(3);
        expectConsistent(again.db);
        again.db.close();
    }, 60_000);

    it("a writer killed while creating organizations never leaves one without its default community", async () => {
        const dataDir = tempDir("mlp-kill-org-");
        const w = writer(dataDir, ["organizations", "org", "100000"]);
        await w.until((l) => l.length >= 100);
        w.child.kill("SIGKILL");
        await w.exited;
        const { db } = reopen(dataDir);
        try {
            expectConsistent(db);
            const orgs = count(db, "kind = 'Organization'");
            expect(orgs).toBeGreaterThanOrEqual(w.lines.length);
            expect(count(db, "kind = 'Community' AND system = 1")).toBe(orgs);
        } finally {
            db.close();
        }
    }, 60_000);

    it("a writer killed inside a long transaction leaves nothing of it", async () => {
        const dataDir = tempDir("mlp-kill-tx-");
        const projectId = await projectIn(dataDir);
        const w = writer(dataDir, ["long-transaction", projectId, "1000000"]);
        await w.until((l) => l.includes("inside"));
        w.child.kill("SIGKILL");
        await w.exited;
        expect(w.lines).not.toContain("committed");

        const { db, service } = reopen(dataDir);
        try {
            expectConsistent(db);
            expect(count(db, "kind = 'Dataset'")).toBe(0);
            // The write lock died with the writer: this process can write at once.
            const ds = service.create(OWNER, { kind: "Dataset", spec: { projectId, name: "after", sizeGb: 1 } });
            expect(service.get(OWNER, "Dataset", ds.id).spec.name).toBe("after");
        } finally {
            db.close();
        }
    }, 60_000);
});
