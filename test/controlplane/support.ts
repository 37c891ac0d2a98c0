// A real control plane on a database file in a temporary folder, and a small world to test against.
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SecretBox } from "../../provider/controlplane/crypto";
import type { PlatformObject } from "../../provider/model/contract";
import { ControlPlaneService } from "../../provider/controlplane/service";
import { openDatabase } from "../../provider/controlplane/store";
import { onTestFinished } from "vitest";
import { KindName } from "../../provider/model/kinds";

export const OWNER = "userAccount:owner";
export const TABLES = ["objects", "refs", "organization_roles", "versions", "idempotency_keys"] as const;

/** A temporary folder removed when the current test ends. */
export function tempDir(prefix = "mlp-"): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    return dir;
}

/** Rows in an order fixed by their content (not every table has a rowid to order by). */
export function sortedRows(rows: unknown[]): unknown[] {
    return rows.map((r) => [JSON.stringify(r), r] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
}

export function platform() {
    const dir = tempDir("mlp-cp-");
    const file = path.join(dir, "platform.db");
    const db = openDatabase(file);
    onTestFinished(() => { if (db.open) db.close(); });
    const key = crypto.randomBytes(32);
    const service = new ControlPlaneService(db, new SecretBox(key));
    const as = (principal: string) => ({
        create: (kind: KindName, spec: Record<string, unknown>, extra: { idempotencyKey?: string; adoptIdentical?: boolean } = {}) =>
            service.create(principal, { kind, spec, ...extra }),
        get: (kind: KindName, id: string) => service.get(principal, kind, id),
        update: (kind: KindName, id: string, patch: Record<string, unknown>, expectedVersion?: number) =>
            service.update(principal, { kind, id, patch, expectedVersion }),
        delete: (kind: KindName, id: string) => service.delete(principal, { kind, id }),
        list: (kind: KindName, opts: { parentId?: string; pageSize?: number; pageToken?: string } = {}) => service.list(principal, { kind, ...opts }),
    });
    const count = () => (db.prepare("SELECT count(*) AS n FROM objects").get() as { n: number }).n;
    /** Every row of every table: equal snapshots mean a refused call changed nothing at all. */
    const snapshot = () => Object.fromEntries(TABLES.map((t) => [t, sortedRows(db.prepare(`SELECT * FROM ${t}`).all())]));
    return { dir, file, db, key, service, as, owner: as(OWNER), count, snapshot };
}

export type Platform = ReturnType<typeof platform>;

/** An organization with a billed community and a project, all made by the owner. */
export function world(p: Platform, name = "acme", zone = "ru-central1-a", extra: { admins?: string[]; members?: string[] } = {}) {
    const org = p.owner.create("Organization", { name, displayName: name.toUpperCase(), defaultZone: zone, ...extra });
    const account = p.owner.create("BillingAccount", { organizationId: org.id, name: "main", status: "active" });
    const community = p.owner.create("Community", { organizationId: org.id, name: `${name}-research`, zone });
    const link = p.owner.create("BillingLink", { communityId: community.id, billingAccountId: account.id });
    const project = p.owner.create("Project", { communityId: community.id, name: "training" });
    return { org, account, community, link, project, defaultCommunityId: org.extra.defaultCommunityId as string };
}

export function expectError(fn: () => unknown): { code: string; message: string; failures: { property: string; reason: string }[] } {
    try {
        fn();
    } catch (e: any) {
        if (e?.name !== "PlatformError") throw e; // a crash is not a refusal
        return { code: e.code, message: e.message, failures: [...(e.failures ?? [])] };
    }
    throw new Error("expected an error, none was thrown");
}

/** Like expectError, and asserts the call left every table exactly as it was. */
export function expectRefused(p: Platform, fn: () => unknown) {
    const before = p.snapshot();
    const e = expectError(fn);
    if (JSON.stringify(p.snapshot()) !== JSON.stringify(before)) throw new Error(`a refused call (${e.code}: ${e.message}) changed the database`);
    return e;
}

/** Async twin of expectError for the client interface. */
export async function expectRejection(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
    try {
        await promise;
    } catch (e: any) {
        if (e?.name !== "PlatformError") throw e;
        return { code: e.code, message: e.message };
    }
    throw new Error("expected a rejection, the call succeeded");
}

export type { PlatformObject };
