// A real control plane on a database file in a temporary folder, and a small world to test against.
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SecretBox } from "../../provider/controlplane/crypto";
import { ControlPlaneService, PlatformObject } from "../../provider/controlplane/service";
import { openDatabase } from "../../provider/controlplane/store";
import { KindName } from "../../provider/model/kinds";

export const OWNER = "userAccount:owner";

export function platform() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlp-cp-"));
    const file = path.join(dir, "platform.db");
    const db = openDatabase(file);
    const key = crypto.randomBytes(32);
    const service = new ControlPlaneService(db, new SecretBox(key));
    const as = (principal: string) => ({
        create: (kind: KindName, spec: Record<string, unknown>, extra: { idempotencyKey?: string; adoptIdentical?: boolean } = {}) =>
            service.create(principal, { kind, spec, ...extra }),
        get: (kind: KindName, id: string) => service.get(principal, kind, id),
        update: (kind: KindName, id: string, patch: Record<string, unknown>, expectedVersion?: number) =>
            service.update(principal, { kind, id, patch, expectedVersion }),
        delete: (kind: KindName, id: string) => service.delete(principal, kind, id),
        list: (kind: KindName, opts: { parentId?: string; pageSize?: number; pageToken?: string } = {}) => service.list(principal, { kind, ...opts }),
    });
    const count = () => (db.prepare("SELECT count(*) AS n FROM objects").get() as { n: number }).n;
    return { dir, file, db, key, service, as, owner: as(OWNER), count };
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

export function expectError(fn: () => unknown): { code: string; message: string } {
    try {
        fn();
    } catch (e: any) {
        return { code: e.code, message: e.message };
    }
    throw new Error("expected an error, none was thrown");
}

export type { PlatformObject };
