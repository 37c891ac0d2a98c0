// Several processes on one database file: concurrent writers lose nothing, and a writer killed mid-write
// leaves a consistent database. The writers are real separate Node processes using the compiled package.
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { closeAll, embeddedClient } from "../../provider/client/embedded";

const WRITER = path.join(__dirname, "fixtures/writer.js");
const REPO = path.resolve(__dirname, "../..");

function writer(dataDir: string, ...args: string[]) {
    const child = spawn(process.execPath, [WRITER, dataDir, ...args], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const done = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    return { child, done, stderr: () => stderr };
}

async function projectIn(dataDir: string): Promise<string> {
    const c = embeddedClient({ mode: "embedded", dataDir, principal: "userAccount:owner" });
    const org = await c.create({ kind: "Organization", spec: { name: "acme", displayName: "Acme", defaultZone: "ru-central1-a" } });
    const acc = await c.create({ kind: "BillingAccount", spec: { organizationId: org.id, name: "main", status: "active" } });
    const com = await c.create({ kind: "Community", spec: { organizationId: org.id, name: "research", zone: "ru-central1-a" } });
    await c.create({ kind: "BillingLink", spec: { communityId: com.id, billingAccountId: acc.id } });
    const project = await c.create({ kind: "Project", spec: { communityId: com.id, name: "training" } });
    closeAll();
    return project.id;
}

describe("one database file, several processes", () => {
    it("two writers at once lose nothing", async () => {
        const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "mlp-2w-"));
        const projectId = await projectIn(dataDir);
        const a = writer(dataDir, "datasets", projectId, "a", "200");
        const b = writer(dataDir, "datasets", projectId, "b", "200");
        const codes = await Promise.all([a.done, b.done]);
        expect(codes, a.stderr() + b.stderr()).toEqual([0, 0]);
        const db = new Database(path.join(dataDir, "platform.db"), { readonly: true });
        const names = db.prepare("SELECT name FROM objects WHERE kind = 'Dataset'").all() as { name: string }[];
        db.close();
        expect(names).toHaveLength(400);
        expect(new Set(names.map((n) => n.name)).size).toBe(400);
    }, 120_000);

    it("a writer killed mid-write leaves a consistent database", async () => {
        const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "mlp-kill-"));
        const w = writer(dataDir, "organizations", "org", "100000");
        let written = 0;
        await new Promise<void>((resolve) => {
            w.child.stdout.on("data", (d) => {
                written += String(d).split("\n").filter(Boolean).length;
                if (written >= 150) resolve();
            });
        });
        w.child.kill("SIGKILL");
        await w.done;

        const db = new Database(path.join(dataDir, "platform.db"));
        expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
        expect(db.pragma("foreign_key_check")).toEqual([]);
        // Each organization and its default community are made in one transaction: never one without the other.
        const orgs = (db.prepare("SELECT count(*) AS n FROM objects WHERE kind = 'Organization'").get() as any).n;
        const defaults = (db.prepare("SELECT count(*) AS n FROM objects WHERE kind = 'Community' AND system = 1").get() as any).n;
        const owners = (db.prepare("SELECT count(*) AS n FROM organization_roles WHERE role = 'owner'").get() as any).n;
        db.close();
        expect(orgs).toBeGreaterThanOrEqual(150);
        expect(defaults).toBe(orgs);
        expect(owners).toBe(orgs);

        // And the database keeps working for the next writer.
        const next = writer(dataDir, "organizations", "after", "3");
        expect(await next.done).toBe(0);
    }, 120_000);
});
