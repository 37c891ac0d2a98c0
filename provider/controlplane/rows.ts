// Storage: the rows of the objects table, how ids are made, and every SQL statement the control plane runs,
// prepared once per database. No rules here: the other modules decide, these statements read and write.
import * as crypto from "crypto";
import type Database from "better-sqlite3";
import type { KindName } from "../model/kinds";
import type { OrganizationRole } from "../rules/roles";

/** One object as stored. */
export interface Row {
    id: string;
    kind: KindName;
    parent_id: string | null;
    scope: string;
    unique_key: string;
    organization_id: string | null;
    zone: string | null;
    name: string | null;
    spec: string;
    sealed: string | null;
    system: number;
    version: number;
    created_at: string;
    updated_at: string;
    created_by: string;
    owner: string | null;
}

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

/** Random bytes drawn a block at a time: one system call per 240 ids instead of one per id. */
const idEntropy = { block: Buffer.alloc(0), used: 0 };
const ID_RANDOM_CHARS = 17;

export function newId(prefix: string): string {
    if (idEntropy.used + ID_RANDOM_CHARS > idEntropy.block.length) {
        idEntropy.block = crypto.randomBytes(ID_RANDOM_CHARS * 240);
        idEntropy.used = 0;
    }
    let out = prefix;
    for (let i = 0; i < ID_RANDOM_CHARS; i++) out += BASE32[idEntropy.block[idEntropy.used++] & 31];
    return out;
}

/**
 * What the control plane calls on a prepared statement, under a name this module's declarations can spell (the
 * package's own statement type lives in a namespace that declaration files cannot refer to).
 */
export interface Statement<P extends unknown[], R> {
    get(...params: P): R | undefined;
    all(...params: P): R[];
    run(...params: P): Database.RunResult;
}

/** The statements, by what they do. */
export function prepareStatements(db: Database.Database) {
    const prepare = <P extends unknown[] = unknown[], R = unknown>(sql: string): Statement<P, R> => db.prepare<P, R>(sql) as unknown as Statement<P, R>;
    return {
        byId: prepare<[string], Row>("SELECT * FROM objects WHERE id = ?"),
        byKey: prepare<[string, string, string], Row>("SELECT * FROM objects WHERE kind = ? AND scope = ? AND unique_key = ?"),
        children: prepare<[string], Row>("SELECT * FROM objects WHERE parent_id = ?"),
        referrers: prepare<[string], Row>("SELECT o.* FROM refs r JOIN objects o ON o.id = r.from_id WHERE r.to_id = ?"),
        orgRole: prepare<[string, string], { role: OrganizationRole }>("SELECT role FROM organization_roles WHERE organization_id = ? AND subject = ?"),
        // `kind IN ('CommunityMember', 'ProjectMember')` is written exactly as the partial index objects_members
        // declares it (store.ts): SQLite uses a partial index only for a query whose terms imply the index's.
        visibleOrg: prepare<[string, string, string, string], { one: number }>(
            `SELECT 1 AS one FROM organization_roles WHERE organization_id = ? AND subject = ?
             UNION ALL SELECT 1 FROM objects WHERE organization_id = ? AND kind IN ('CommunityMember', 'ProjectMember') AND unique_key = ? LIMIT 1`),
        insert: prepare(`INSERT INTO objects (id, kind, parent_id, scope, unique_key, organization_id, zone, name, spec, sealed, system, version, created_at, updated_at, created_by, owner)
            VALUES (@id, @kind, @parent_id, @scope, @unique_key, @organization_id, @zone, @name, @spec, @sealed, @system, @version, @created_at, @updated_at, @created_by, @owner)`),
        update: prepare("UPDATE objects SET unique_key = @unique_key, name = @name, spec = @spec, sealed = @sealed, version = @version, updated_at = @updated_at, owner = @owner WHERE id = @id AND version = @previous"),
        setOwner: prepare<[string | null, string]>("UPDATE objects SET owner = ? WHERE id = ?"),
        identity: prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'control_plane_id'"),
        remove: prepare<[string]>("DELETE FROM objects WHERE id = ?"),
        renameSystem: prepare<[string, string, string, string, string]>("UPDATE objects SET name = ?, unique_key = ?, spec = ?, version = version + 1, updated_at = ? WHERE id = ?"),
        insertRef: prepare<[string, string, string]>("INSERT OR IGNORE INTO refs (from_id, to_id, path) VALUES (?, ?, ?)"),
        clearRefs: prepare<[string]>("DELETE FROM refs WHERE from_id = ?"),
        // The owner's role is never overwritten: listing the owner among admins or members must not demote it.
        setOrgRole: prepare<[string, string, string]>("INSERT INTO organization_roles (organization_id, subject, role) VALUES (?, ?, ?) ON CONFLICT (organization_id, subject) DO UPDATE SET role = excluded.role WHERE role != 'owner'"),
        clearOrgRoles: prepare<[string]>("DELETE FROM organization_roles WHERE organization_id = ? AND role != 'owner'"),
        insertVersion: prepare<[string, number, string, string, string]>("INSERT INTO versions (object_id, version, spec, created_at, created_by) VALUES (?, ?, ?, ?, ?)"),
        versions: prepare<[string], { version: number; spec: string; created_at: string; created_by: string }>("SELECT * FROM versions WHERE object_id = ? ORDER BY version"),
        idempotency: prepare<[string, string], { request_hash: string; object_id: string; created_at: string; result_version: number | null }>("SELECT * FROM idempotency_keys WHERE principal = ? AND key = ?"),
        rememberKey: prepare<[string, string, string, string, string, number | null]>("INSERT OR REPLACE INTO idempotency_keys (key, principal, request_hash, object_id, created_at, result_version) VALUES (?, ?, ?, ?, ?, ?)"),
        expireKeys: prepare<[string]>("DELETE FROM idempotency_keys WHERE created_at < ?"),
    };
}

export type Statements = ReturnType<typeof prepareStatements>;
