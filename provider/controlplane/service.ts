// The control plane: the platform's resource model and rules over one database. Independent of how it is
// reached (in-process for the embedded mode, behind HTTP for a team). Every mutation is one transaction and
// re-checks every rule, whatever the caller checked before.
import * as crypto from "crypto";
import type Database from "better-sqlite3";
import { invalidArgument, PlatformError, subjectOf } from "../model/errors";
import { Role } from "../model/fields";
import { ContextField, KindDecl, KindName, kindOf, KINDS, referencedIds } from "../model/kinds";
import { deletionBlocker, Dependent, REMOVED_WITH_PARENT } from "../rules/deletion";
import {
    communityRole, OrganizationRole, Operation, projectRole, Requirement, requirementFor, satisfies, SHARE_TARGET_REQUIREMENT,
} from "../rules/roles";
import { shareFailures } from "../rules/sharing";
import { specRuleFailures } from "../rules/spec-rules";
import { validateSpec, withoutNulls } from "../rules/validation";
import { SecretBox } from "./crypto";
import { canonicalJson } from "../model/equality";
import {
    CheckpointVersion, CreateRequest, CreateRequestSchema, DeleteRequest, DeleteRequestSchema, GetRequestSchema, Identity, ListRequest,
    ListRequestSchema, ListVersionsRequestSchema, LookupRequestSchema, Page, ParsedCreateRequest, parseRequest, PlatformObject, Principal, UpdateRequest,
    UpdateRequestSchema,
} from "../model/contract";
import { describeOwner, mayAdopt, mayChange } from "./ownership";
import { inTransaction } from "./store";

interface Row {
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

const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;
const KEY_EXPIRY_INTERVAL_MS = 60 * 1000;
const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

/** Random bytes drawn a block at a time: one system call per 240 ids instead of one per id. */
const idEntropy = { block: Buffer.alloc(0), used: 0 };
const ID_RANDOM_CHARS = 17;

function newId(prefix: string): string {
    if (idEntropy.used + ID_RANDOM_CHARS > idEntropy.block.length) {
        idEntropy.block = crypto.randomBytes(ID_RANDOM_CHARS * 240);
        idEntropy.used = 0;
    }
    let out = prefix;
    for (let i = 0; i < ID_RANDOM_CHARS; i++) out += BASE32[idEntropy.block[idEntropy.used++] & 31];
    return out;
}

/** Whether objects of `kind` are `ancestor` objects or lie below one (by the kinds' declared parents). */
function within(kind: KindName, ancestor: KindName): boolean {
    if (kind === ancestor) return true;
    return KINDS[kind].parent?.kinds.some((k) => within(k, ancestor)) ?? false;
}


export class ControlPlaneService {
    private readonly stmt: ReturnType<ControlPlaneService["prepare"]>;

    constructor(
        private readonly db: Database.Database,
        private readonly box: SecretBox,
        private readonly now: () => Date = () => new Date(),
    ) {
        this.stmt = this.prepare();
    }

    private prepare() {
        const db = this.db;
        return {
            byId: db.prepare<[string], Row>("SELECT * FROM objects WHERE id = ?"),
            byKey: db.prepare<[string, string, string], Row>("SELECT * FROM objects WHERE kind = ? AND scope = ? AND unique_key = ?"),
            children: db.prepare<[string], Row>("SELECT * FROM objects WHERE parent_id = ?"),
            referrers: db.prepare<[string], Row>("SELECT o.* FROM refs r JOIN objects o ON o.id = r.from_id WHERE r.to_id = ?"),
            orgRole: db.prepare<[string, string], { role: OrganizationRole }>("SELECT role FROM organization_roles WHERE organization_id = ? AND subject = ?"),
            // `kind IN ('CommunityMember', 'ProjectMember')` is written exactly as the partial index objects_members
            // declares it (store.ts): SQLite uses a partial index only for a query whose terms imply the index's.
            visibleOrg: db.prepare<[string, string, string, string], { one: number }>(
                `SELECT 1 AS one FROM organization_roles WHERE organization_id = ? AND subject = ?
                 UNION ALL SELECT 1 FROM objects WHERE organization_id = ? AND kind IN ('CommunityMember', 'ProjectMember') AND unique_key = ? LIMIT 1`),
            insert: db.prepare(`INSERT INTO objects (id, kind, parent_id, scope, unique_key, organization_id, zone, name, spec, sealed, system, version, created_at, updated_at, created_by, owner)
                VALUES (@id, @kind, @parent_id, @scope, @unique_key, @organization_id, @zone, @name, @spec, @sealed, @system, @version, @created_at, @updated_at, @created_by, @owner)`),
            update: db.prepare("UPDATE objects SET unique_key = @unique_key, name = @name, spec = @spec, sealed = @sealed, version = @version, updated_at = @updated_at, owner = @owner WHERE id = @id AND version = @previous"),
            setOwner: db.prepare<[string | null, string]>("UPDATE objects SET owner = ? WHERE id = ?"),
            identity: db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'control_plane_id'"),
            remove: db.prepare<[string]>("DELETE FROM objects WHERE id = ?"),
            insertRef: db.prepare<[string, string, string]>("INSERT OR IGNORE INTO refs (from_id, to_id, path) VALUES (?, ?, ?)"),
            clearRefs: db.prepare<[string]>("DELETE FROM refs WHERE from_id = ?"),
            // The owner's role is never overwritten: listing the owner among admins or members must not demote it.
            setOrgRole: db.prepare<[string, string, string]>("INSERT INTO organization_roles (organization_id, subject, role) VALUES (?, ?, ?) ON CONFLICT (organization_id, subject) DO UPDATE SET role = excluded.role WHERE role != 'owner'"),
            clearOrgRoles: db.prepare<[string]>("DELETE FROM organization_roles WHERE organization_id = ? AND role != 'owner'"),
            insertVersion: db.prepare<[string, number, string, string, string]>("INSERT INTO versions (object_id, version, spec, created_at, created_by) VALUES (?, ?, ?, ?, ?)"),
            versions: db.prepare<[string], { version: number; spec: string; created_at: string; created_by: string }>("SELECT * FROM versions WHERE object_id = ? ORDER BY version"),
            idempotency: db.prepare<[string, string], { request_hash: string; object_id: string; created_at: string; result_version: number | null }>("SELECT * FROM idempotency_keys WHERE principal = ? AND key = ?"),
            rememberKey: db.prepare<[string, string, string, string, string, number | null]>("INSERT OR REPLACE INTO idempotency_keys (key, principal, request_hash, object_id, created_at, result_version) VALUES (?, ?, ?, ?, ?, ?)"),
            expireKeys: db.prepare<[string]>("DELETE FROM idempotency_keys WHERE created_at < ?"),
        };
    }

    // ---- reads ---------------------------------------------------------------------------------------

    /** This control plane's identity: made once with the database, the same however it is reached. */
    identity(): Identity {
        const row = this.stmt.identity.get();
        if (!row) throw new PlatformError("INTERNAL", "the database has no control plane identity; it was not migrated. Reopen it with this version.");
        return { id: row.value };
    }

    get(principal: Principal, kind: KindName, id: string): PlatformObject {
        const req = parseRequest(GetRequestSchema, { kind, id });
        return this.view(this.visibleRow(principal, req.kind, req.id));
    }

    /** The object with this unique key under this parent (for adoption), if it exists and is visible. */
    lookup(principal: Principal, kind: KindName, spec: Record<string, unknown>): PlatformObject | undefined {
        parseRequest(LookupRequestSchema, { kind, spec });
        const decl = kindOf(kind);
        const scope = decl.parent ? String(spec[decl.parent.field] ?? "") : "";
        const row = this.stmt.byKey.get(kind, scope, decl.uniqueKey(spec));
        return row && this.canSee(principal, row) ? this.view(row) : undefined;
    }

    list(principal: Principal, request: ListRequest): Page<PlatformObject> {
        const req = parseRequest(ListRequestSchema, request);
        const pageSize = req.pageSize ?? 100;
        let after = "";
        if (req.pageToken) {
            after = Buffer.from(req.pageToken, "base64url").toString("utf8");
            if (!/^[a-z0-9]{20}$/.test(after)) throw new PlatformError("INVALID_ARGUMENT", `pageToken ${JSON.stringify(req.pageToken)} is not a token this service issued. Pass nextPageToken from the previous page.`);
        }
        if (req.parentId) this.visibleRow(principal, undefined, req.parentId);
        const rows = this.db.prepare<unknown[], Row>(
            `SELECT o.* FROM objects o WHERE o.kind = ? AND o.id > ? ${req.parentId ? "AND o.parent_id = ?" : ""}
             AND (EXISTS (SELECT 1 FROM organization_roles r WHERE r.organization_id = o.organization_id AND r.subject = ?)
                  OR EXISTS (SELECT 1 FROM objects m WHERE m.organization_id = o.organization_id AND m.kind IN ('CommunityMember', 'ProjectMember') AND m.unique_key = ?))
             ORDER BY o.id LIMIT ?`,
        ).all(req.kind, after, ...(req.parentId ? [req.parentId] : []), principal, principal, pageSize + 1);
        const items = rows.slice(0, pageSize).map((r) => this.view(r));
        return { items, nextPageToken: rows.length > pageSize ? Buffer.from(rows[pageSize - 1].id).toString("base64url") : undefined };
    }

    listVersions(principal: Principal, id: string): CheckpointVersion[] {
        const row = this.visibleRow(principal, "Checkpoint", parseRequest(ListVersionsRequestSchema, { id }).id);
        return this.stmt.versions.all(row.id).map((v) => ({ version: v.version, spec: JSON.parse(v.spec), createdAt: v.created_at, createdBy: v.created_by }));
    }

    // ---- writes --------------------------------------------------------------------------------------

    create(principal: Principal, request: CreateRequest): PlatformObject {
        const req = parseRequest(CreateRequestSchema, request);
        const decl = kindOf(req.kind);
        const spec = withoutNulls(req.spec);
        const failures = [...validateSpec(decl, spec, { mode: "create" }), ...specRuleFailures(decl.kind, spec)];
        if (failures.length) throw invalidArgument(decl.kind, spec.name ?? decl.label(spec), failures);
        // Only a request with an idempotency key is remembered, so only it needs its (keyed) digest.
        // The owner is part of the request: another resource sending the same fields under the same key is not a retry.
        // (Without an owner the digest is the one keys were stored with before owners existed.)
        const requestHash = !req.idempotencyKey ? ""
            : this.box.digest(req.owner ? `${decl.kind}\n${req.owner}\n${canonicalJson(spec)}` : `${decl.kind}\n${canonicalJson(spec)}`);

        return inTransaction(this.db, () => {
            if (req.idempotencyKey) {
                const seen = this.stmt.idempotency.get(principal, req.idempotencyKey);
                const fresh = seen && seen.result_version === null && Date.parse(seen.created_at) > this.now().getTime() - IDEMPOTENCY_TTL_MS;
                const found = fresh ? this.stmt.byId.get(seen.object_id) : undefined;
                const earlier = found && this.canSee(principal, found) ? found : undefined;
                // A key whose object has been deleted since is free again.
                if (earlier && seen!.request_hash === requestHash) return this.view(earlier);
                // With adoption on, a differing request falls through to the unique-key check, whose error
                // names the fields that differ; without it, reusing a key for another request is a caller bug.
                if (earlier && !req.adoptIdentical) {
                    throw new PlatformError("INVALID_ARGUMENT", `idempotency key ${JSON.stringify(req.idempotencyKey)} was already used for a different request. Use a new key for a new request.`);
                }
            }
            const parent = decl.parent ? this.parentOf(principal, decl, spec) : undefined;
            this.authorize(principal, decl.kind, "create", parent);
            this.checkReferences(principal, decl, spec);
            this.checkKindRules(principal, decl, spec, parent);

            const at = this.now().toISOString();
            const id = newId(decl.idPrefix);
            const row: Row = {
                id, kind: decl.kind, parent_id: parent?.id ?? null, scope: parent?.id ?? "", unique_key: decl.uniqueKey(spec),
                organization_id: decl.kind === "Organization" ? id : parent?.organization_id ?? null,
                zone: decl.kind === "Community" ? String(spec.zone) : parent?.zone ?? null,
                name: decl.named ? String(spec.name) : null,
                ...this.split(decl, spec, id), system: 0, version: 1, created_at: at, updated_at: at, created_by: principal,
                owner: req.owner ?? null,
            };
            const existing = this.stmt.byKey.get(row.kind, row.scope, row.unique_key);
            if (existing) return this.adoptOrRefuse(principal, decl, existing, spec, req, parent);
            this.stmt.insert.run(row);
            this.writeReferences(decl, id, spec);
            if (decl.versioned) this.stmt.insertVersion.run(id, 1, row.spec, at, principal);
            if (decl.kind === "Organization") this.afterOrganizationCreated(principal, row, spec);
            if (req.idempotencyKey) {
                this.expireIdempotencyKeys();
                this.stmt.rememberKey.run(req.idempotencyKey, principal, requestHash, id, at, null);
            }
            // The row as inserted is the row as stored: no need to read it back.
            return this.view(row);
        });
    }

    update(principal: Principal, request: UpdateRequest): PlatformObject {
        const req = parseRequest(UpdateRequestSchema, request);
        const decl = kindOf(req.kind);
        const requestHash = req.idempotencyKey
            ? this.box.digest(`update\n${decl.kind}\n${req.id}\n${req.expectedVersion ?? ""}\n${req.owner ?? ""}\n${canonicalJson(req.patch)}`)
            : "";
        return inTransaction(this.db, () => {
            const row = this.visibleRow(principal, decl.kind, req.id);
            if (req.idempotencyKey) {
                // Our own update landed and nothing changed the object since: the retry's answer is the object now.
                const seen = this.stmt.idempotency.get(principal, req.idempotencyKey);
                if (seen && seen.request_hash === requestHash && seen.object_id === row.id && seen.result_version === row.version) return this.view(row);
            }
            this.refuseOtherOwner(decl, row, req.owner, "changed");
            const current = this.fullSpec(decl, row);
            const label = this.labelOf(decl, row);
            const changedImmutable = Object.keys(req.patch).filter((k) => decl.immutable.includes(k) && canonicalJson(req.patch[k]) !== canonicalJson(current[k]));
            if (changedImmutable.length) {
                const k = changedImmutable[0];
                throw new PlatformError("FAILED_PRECONDITION", `${subjectOf(decl.kind, label)}: ${k} can never change (stored ${JSON.stringify(current[k])}, requested ${decl.secrets.includes(k) ? "[secret]" : JSON.stringify(req.patch[k])}). Create a new ${decl.kind} instead; the provider plans this as a replacement.`);
            }
            if (req.expectedVersion != null && req.expectedVersion !== row.version) {
                throw new PlatformError("ABORTED", `${subjectOf(decl.kind, label)} was changed by someone else: you read version ${req.expectedVersion}, it is now at version ${row.version}. Refresh (pulumi refresh) and apply again.`);
            }
            const spec = withoutNulls({ ...current, ...req.patch });
            const failures = [...validateSpec(decl, spec, { mode: "create" }), ...specRuleFailures(decl.kind, spec)]
                // The default community's name "<displayName> Team" is the platform's, not user input: it has a space,
                // so holding it to the user name pattern would refuse every edit of that community.
                .filter((f) => !(row.system && f.property === "name" && spec.name === current.name));
            if (failures.length) throw invalidArgument(decl.kind, label, failures);
            const parent = row.parent_id ? this.stmt.byId.get(row.parent_id) : undefined;
            this.authorize(principal, decl.kind, "update", row);
            this.checkReferences(principal, decl, spec);
            this.checkKindRules(principal, decl, spec, parent, row);
            if (row.system && decl.kind === "Community" && spec.name !== current.name) {
                throw new PlatformError("FAILED_PRECONDITION", `${subjectOf(decl.kind, label)} is a default community: its name follows the organization's displayName. Change the organization's displayName instead.`);
            }

            const uniqueKey = decl.uniqueKey(spec);
            if (uniqueKey !== row.unique_key) {
                const clash = this.stmt.byKey.get(row.kind, row.scope, uniqueKey);
                if (clash) throw this.alreadyExists(decl, clash, parent);
            }
            const at = this.now().toISOString();
            const split = this.split(decl, spec, row.id);
            // A resource of the owning stack (renamed, say) or the first stack to manage an unowned object records itself.
            const owner = req.owner ?? row.owner;
            const updated: Row = { ...row, unique_key: uniqueKey, name: decl.named ? String(spec.name) : null, ...split, version: row.version + 1, updated_at: at, owner };
            const result = this.stmt.update.run({
                id: updated.id, unique_key: updated.unique_key, name: updated.name, spec: updated.spec, sealed: updated.sealed,
                version: updated.version, updated_at: updated.updated_at, previous: row.version, owner,
            });
            if (result.changes !== 1) throw new PlatformError("ABORTED", `${subjectOf(decl.kind, label)} changed while it was being updated. Try again.`);
            this.stmt.clearRefs.run(row.id);
            this.writeReferences(decl, row.id, spec);
            if (decl.versioned) this.stmt.insertVersion.run(row.id, row.version + 1, split.spec, at, principal);
            if (decl.kind === "Organization") this.afterOrganizationUpdated(row, current, spec);
            if (req.idempotencyKey) {
                this.expireIdempotencyKeys();
                this.stmt.rememberKey.run(req.idempotencyKey, principal, requestHash, row.id, at, updated.version);
            }
            return this.view(updated);
        });
    }

    delete(principal: Principal, request: DeleteRequest): void {
        const req = parseRequest(DeleteRequestSchema, request);
        const decl = kindOf(req.kind);
        inTransaction(this.db, () => {
            const row = this.visibleRow(principal, decl.kind, req.id);
            this.authorize(principal, decl.kind, "delete", row);
            this.refuseOtherOwner(decl, row, req.owner, "deleted");
            const blocker = this.deletionBlockerOf(row);
            if (blocker) throw new PlatformError("FAILED_PRECONDITION", blocker);
            if (decl.kind === "Organization") {
                for (const child of this.stmt.children.all(row.id)) if (child.system) this.removeWithAttachments(child);
            }
            this.removeWithAttachments(row);
        });
    }

    // ---- rules at apply time -----------------------------------------------------------------------

    private deletionBlockerOf(row: Row): string | undefined {
        const decl = kindOf(row.kind);
        const children = this.stmt.children.all(row.id);
        const dependents = (rows: Row[]): Dependent[] => rows.map((r) => ({ kind: r.kind, label: this.labelOf(kindOf(r.kind), r) }));
        const shares = children.filter((c) => c.kind === "Share");
        const system = children.filter((c) => c.system);
        // The default community goes with its organization, but only if it is empty itself.
        for (const community of system) {
            const blocker = this.deletionBlockerOf({ ...community, system: 0 });
            if (blocker) return `${subjectOf(decl.kind, row.name)} cannot be deleted: ${blocker}`;
        }
        return deletionBlocker({
            kind: row.kind,
            label: this.labelOf(decl, row),
            children: dependents(children.filter((c) => c.kind !== "Share" && !c.system)),
            referencedBy: dependents([...shares, ...this.blockingReferrers(row)]),
            activated: row.kind === "Dataset" && JSON.parse(row.spec).activated === true,
            isDefaultCommunity: row.kind === "Community" && row.system === 1,
        });
    }

    /**
     * What points at this object and blocks its deletion. A billing account is blocked only by links of
     * communities that hold projects (it pays for them); links of empty communities go with the account. So
     * `destroy` works in any order Pulumi picks: projects depend on their community's link, which depends on
     * the account, and once the projects are gone nothing is billed.
     */
    private blockingReferrers(row: Row): Row[] {
        const referrers = this.stmt.referrers.all(row.id);
        if (row.kind !== "BillingAccount") return referrers;
        return referrers.filter((link) => this.stmt.children.all(link.parent_id!).some((c) => c.kind === "Project"));
    }

    private removeWithAttachments(row: Row): void {
        if (row.kind === "BillingAccount") {
            for (const link of this.stmt.referrers.all(row.id)) this.stmt.remove.run(link.id);
        }
        for (const child of this.stmt.children.all(row.id)) {
            if (REMOVED_WITH_PARENT.includes(child.kind)) this.stmt.remove.run(child.id);
        }
        this.stmt.remove.run(row.id);
    }

    private checkKindRules(principal: Principal, decl: KindDecl, spec: Record<string, any>, parent: Row | undefined, self?: Row): void {
        const subject = subjectOf(decl.kind, spec.name ?? decl.label(spec));
        switch (decl.kind) {
            case "Project": {
                if (self) return; // the rule guards creation only
                const link = this.stmt.byKey.get("BillingLink", parent!.id, "billing");
                const account = link ? this.stmt.byId.get(JSON.parse(link.spec).billingAccountId) : undefined;
                if (!account || JSON.parse(account.spec).status !== "active") {
                    throw new PlatformError("FAILED_PRECONDITION", `${subject}: community "${parent!.name}" has no active billing account linked${account ? ` (billing account "${account.name}" is ${JSON.parse(account.spec).status})` : ""}. Link an active account with a BillingLink before creating projects in it.`);
                }
                return;
            }
            case "BillingLink": {
                const account = this.stmt.byId.get(spec.billingAccountId)!;
                if (account.organization_id !== parent!.organization_id) {
                    throw new PlatformError("FAILED_PRECONDITION", `${subject}: billing account "${account.name}" belongs to organization "${this.organizationName(account.organization_id)}" but community "${parent!.name}" to "${this.organizationName(parent!.organization_id)}". Link an account of the community's organization.`);
                }
                const status = JSON.parse(account.spec).status;
                if (status !== "active") {
                    throw new PlatformError("FAILED_PRECONDITION", `${subject}: billingAccountId points at billing account "${account.name}", which is ${status}. Link an active billing account.`);
                }
                return;
            }
            case "Share": {
                const community = this.stmt.byId.get(spec.communityId)!;
                if (parent!.kind !== spec.resourceKind) {
                    throw new PlatformError("INVALID_ARGUMENT", `Share: resourceKind is ${spec.resourceKind} but resourceId ${parent!.id} is a ${parent!.kind}. Pass the resource itself.`);
                }
                const failures = shareFailures({
                    resourceKind: parent!.kind, resourceName: parent!.name, resourceZone: parent!.zone,
                    resourceOrganization: this.organizationName(parent!.organization_id),
                    communityName: community.name, communityZone: community.zone,
                    communityOrganization: this.organizationName(community.organization_id),
                });
                if (failures.length) throw new PlatformError("FAILED_PRECONDITION", `Share: ${failures.map((x) => x.reason).join(" ")}`, failures);
                const target = this.rolesIn(principal, community);
                if (!satisfies(SHARE_TARGET_REQUIREMENT, target)) throw this.denied(principal, SHARE_TARGET_REQUIREMENT, community, target.community);
                return;
            }
            case "Alias":
            case "Node": {
                const projectId = spec.projectId;
                for (const ref of decl.references) {
                    for (const id of referencedIds(spec, ref.path)) {
                        const target = this.stmt.byId.get(id)!;
                        if (target.parent_id !== projectId) {
                            throw new PlatformError("FAILED_PRECONDITION", `${subject}: ${ref.path.replace("[]", "")} points at ${target.kind} "${target.name}" of another project. Use ${ref.kinds.join(" or ")} objects of the same project.`);
                        }
                    }
                }
                return;
            }
            default:
                return;
        }
    }

    private checkReferences(principal: Principal, decl: KindDecl, spec: Record<string, any>): void {
        for (const ref of decl.references) {
            for (const id of referencedIds(spec, ref.path)) {
                const target = this.stmt.byId.get(id);
                if (!target || !ref.kinds.includes(target.kind) || !this.canSee(principal, target)) {
                    throw new PlatformError("NOT_FOUND", `${subjectOf(decl.kind, spec.name ?? decl.label(spec))}: ${ref.path.replace("[]", "")} points at ${id}, which is not an existing ${ref.kinds.join(" or ")} visible to ${principal}. Pass the id of an existing ${ref.kinds.join(" or ")}.`);
                }
            }
        }
    }

    private writeReferences(decl: KindDecl, id: string, spec: Record<string, any>): void {
        for (const ref of decl.references) for (const to of referencedIds(spec, ref.path)) this.stmt.insertRef.run(id, to, ref.path);
    }

    private afterOrganizationCreated(principal: Principal, org: Row, spec: Record<string, any>): void {
        this.stmt.setOrgRole.run(org.id, principal, "owner");
        this.writeOrganizationRoles(org.id, principal, spec);
        const name = `${spec.displayName} Team`;
        const at = org.created_at;
        const id = newId(KINDS.Community.idPrefix);
        const community = { organizationId: org.id, name, zone: spec.defaultZone, description: `Default community of ${spec.displayName}` };
        this.stmt.insert.run({
            id, kind: "Community", parent_id: org.id, scope: org.id, unique_key: name, organization_id: org.id, zone: spec.defaultZone,
            name, spec: JSON.stringify(community), sealed: null, system: 1, version: 1, created_at: at, updated_at: at, created_by: principal, owner: null,
        });
    }

    private afterOrganizationUpdated(org: Row, before: Record<string, any>, after: Record<string, any>): void {
        this.stmt.clearOrgRoles.run(org.id);
        this.writeOrganizationRoles(org.id, undefined, after);
        if (before.displayName !== after.displayName) {
            const community = this.stmt.children.all(org.id).find((c) => c.system);
            if (community) {
                const name = `${after.displayName} Team`;
                const clash = this.stmt.byKey.get("Community", org.id, name);
                if (clash) throw new PlatformError("ALREADY_EXISTS", `Organization "${org.name}": displayName ${JSON.stringify(after.displayName)} would rename the default community to "${name}", which another community already uses. Rename that community first.`);
                const spec = { ...JSON.parse(community.spec), name };
                this.db.prepare("UPDATE objects SET name = ?, unique_key = ?, spec = ?, version = version + 1, updated_at = ? WHERE id = ?")
                    .run(name, name, JSON.stringify(spec), this.now().toISOString(), community.id);
            }
        }
    }

    private writeOrganizationRoles(orgId: string, owner: Principal | undefined, spec: Record<string, any>): void {
        for (const s of spec.members ?? []) if (s !== owner) this.stmt.setOrgRole.run(orgId, s, "member");
        for (const s of spec.admins ?? []) if (s !== owner) this.stmt.setOrgRole.run(orgId, s, "admin");
    }

    // ---- access --------------------------------------------------------------------------------------

    private organizationRole(principal: Principal, orgId: string | null): OrganizationRole | undefined {
        return orgId ? this.stmt.orgRole.get(orgId, principal)?.role : undefined;
    }

    private canSee(principal: Principal, row: Row): boolean {
        return row.organization_id !== null && this.stmt.visibleOrg.get(row.organization_id, principal, row.organization_id, principal) !== undefined;
    }

    private visibleRow(principal: Principal, kind: KindName | undefined, id: string): Row {
        const row = typeof id === "string" ? this.stmt.byId.get(id) : undefined;
        if (!row || (kind && row.kind !== kind) || !this.canSee(principal, row)) {
            // Objects of other organizations are invisible: not found, never "forbidden".
            throw new PlatformError("NOT_FOUND", `${kind ?? "object"} ${JSON.stringify(id)} not found (or not visible to ${principal}). Check the id; the object may have been deleted.`);
        }
        return row;
    }

    private parentOf(principal: Principal, decl: KindDecl, spec: Record<string, any>): Row {
        const { field, kinds } = decl.parent!;
        const id = String(spec[field]);
        const row = this.stmt.byId.get(id);
        if (!row || !kinds.includes(row.kind) || !this.canSee(principal, row)) {
            throw new PlatformError("NOT_FOUND", `${subjectOf(decl.kind, spec.name ?? decl.label(spec))}: ${field} ${JSON.stringify(id)} is not an existing ${kinds.join(" or ")} visible to ${principal}. Pass the id of an existing ${kinds.length === 1 ? kinds[0] : "resource"}.`);
        }
        return row;
    }

    /** The nearest object of a kind on the way up from `row` (itself included). */
    private ancestor(row: Row, kind: KindName): Row | undefined {
        for (let r: Row | undefined = row; r; r = r.parent_id ? this.stmt.byId.get(r.parent_id) : undefined) {
            if (r.kind === kind) return r;
        }
        return undefined;
    }

    private rolesIn(principal: Principal, anchor: Row): { organization?: OrganizationRole; community?: Role; project?: Role } {
        const organization = this.organizationRole(principal, anchor.organization_id);
        if (organization === "owner" || organization === "admin") {
            // An organization admin's role in a community and its projects is admin whatever its memberships say
            // (rules/roles.ts): the usual principal of a platform team's stack skips three lookups per operation.
            const community = within(anchor.kind, "Community") ? communityRole({ organizationRole: organization, isDefaultCommunity: false }) : undefined;
            const project = within(anchor.kind, "Project") ? projectRole({ communityRole: community, isCreator: false }) : undefined;
            return { organization, community, project };
        }
        const explicit = (scope: Row, kind: KindName) => {
            const m = this.stmt.byKey.get(kind, scope.id, principal);
            return m ? (JSON.parse(m.spec).role as Role) : undefined;
        };
        const communityRow = this.ancestor(anchor, "Community");
        const community = communityRow
            ? communityRole({ explicit: explicit(communityRow, "CommunityMember"), organizationRole: organization, isDefaultCommunity: communityRow.system === 1 })
            : undefined;
        const projectRow = this.ancestor(anchor, "Project");
        const project = projectRow
            ? projectRole({ explicit: explicit(projectRow, "ProjectMember"), communityRole: community, isCreator: projectRow.created_by === principal })
            : undefined;
        return { organization, community, project };
    }

    private authorize(principal: Principal, kind: KindName, op: Operation, anchor: Row | undefined): void {
        const req = requirementFor(kind, op);
        if (kind === "Organization" && op === "create") return; // anyone may found an organization and owns it
        const roles = anchor ? this.rolesIn(principal, anchor) : {};
        if (!satisfies(req, roles)) {
            const scopeRow = anchor && (req.scope === "organization" ? this.stmt.byId.get(anchor.organization_id ?? "") : this.ancestor(anchor, req.scope === "community" ? "Community" : "Project"));
            throw this.denied(principal, req, scopeRow, req.scope === "organization" ? roles.organization : req.scope === "community" ? roles.community : roles.project);
        }
    }

    private denied(principal: Principal, req: Requirement, scopeRow: Row | undefined, has: string | undefined): PlatformError {
        const where = scopeRow ? `${req.scope} "${scopeRow.name}"` : `the ${req.scope}`;
        const needs = req.role.startsWith("organization") ? `to be an ${req.role}` : `the ${req.role} role in ${where}`;
        const grant = req.scope === "project" ? "a ProjectMember from a project admin" : req.scope === "community" ? "a CommunityMember from a community admin" : "the organization's admins list";
        return new PlatformError("PERMISSION_DENIED", `${principal} cannot ${req.what}: it needs ${needs} (has ${has ?? "no role"}). Ask for it with ${grant}.`);
    }

    // ---- rows and views ------------------------------------------------------------------------------

    private split(decl: KindDecl, spec: Record<string, any>, id: string): { spec: string; sealed: string | null } {
        const plain: Record<string, unknown> = {};
        const secret: Record<string, string> = {};
        for (const [k, v] of Object.entries(spec)) {
            if (decl.secrets.includes(k)) secret[k] = String(v);
            else plain[k] = v;
        }
        return { spec: JSON.stringify(plain), sealed: Object.keys(secret).length ? this.box.seal(secret, `${decl.kind}/${id}`) : null };
    }

    private fullSpec(decl: KindDecl, row: Row): Record<string, unknown> {
        return { ...JSON.parse(row.spec), ...(row.sealed ? this.box.open(row.sealed, `${decl.kind}/${row.id}`) : {}) };
    }

    private labelOf(decl: KindDecl, row: Pick<Row, "spec"> & Partial<Row>): string {
        if (row.name) return row.name;
        const spec = JSON.parse(row.spec);
        if (decl.kind === "BillingLink") return `billing link of community "${this.stmt.byId.get(spec.communityId)?.name ?? spec.communityId}"`;
        if (decl.kind === "Share") {
            const resource = this.stmt.byId.get(spec.resourceId);
            const community = this.stmt.byId.get(spec.communityId);
            return `${resource?.name ?? spec.resourceId} -> ${community?.name ?? spec.communityId}`;
        }
        return decl.label(spec);
    }

    /** When keys were last expired; see expireIdempotencyKeys. */
    private keysExpiredAt = Number.NEGATIVE_INFINITY;

    /**
     * Deletes keys past their day. Expiry scans every key, so it runs at most once a minute: a lookup ignores an
     * expired key anyway, and scanning on every create made a stack's creates quadratic in its size (BENCHMARKS.md).
     */
    private expireIdempotencyKeys(): void {
        const now = this.now().getTime();
        if (now - this.keysExpiredAt < KEY_EXPIRY_INTERVAL_MS) return;
        this.stmt.expireKeys.run(new Date(now - IDEMPOTENCY_TTL_MS).toISOString());
        this.keysExpiredAt = now;
    }

    /** An organization's name can never change and its id is never reused, so a name once read stays right. */
    private readonly organizationNames = new Map<string, string>();

    private organizationName(orgId: string | null): string | undefined {
        if (!orgId) return undefined;
        let name = this.organizationNames.get(orgId);
        if (name === undefined) {
            name = this.stmt.byId.get(orgId)?.name ?? undefined;
            if (name !== undefined) this.organizationNames.set(orgId, name);
        }
        return name;
    }

    /** Fields whose stored value differs from `spec` (secret fields compared, never shown). */
    private differences(decl: KindDecl, row: Row, spec: Record<string, unknown>): string[] {
        const stored = this.fullSpec(decl, row);
        return Object.keys(decl.spec.shape).filter((k) => canonicalJson(stored[k] ?? null) !== canonicalJson(spec[k] ?? null))
            .map((k) => decl.secrets.includes(k) ? `${k} (secret)` : `${k} (stored ${JSON.stringify(stored[k])}, requested ${JSON.stringify(spec[k])})`);
    }

    /** A create met an object with its unique key: adopt it where that is safe (ownership.ts), refuse otherwise. */
    private adoptOrRefuse(principal: Principal, decl: KindDecl, existing: Row, spec: Record<string, unknown>, req: ParsedCreateRequest, parent?: Row): PlatformObject {
        // Organization names are unique across tenants. Another tenant's organization does not exist for this
        // principal: say only that the name is taken, never its id, members or fields.
        if (!this.canSee(principal, existing)) {
            throw new PlatformError("ALREADY_EXISTS", `${subjectOf(decl.kind, spec.name ?? decl.label(spec))}: the name is taken. Organization names are unique across the platform: choose another name, or leave name unset to let the provider pick one.`);
        }
        // A caller that neither says who it is nor asks to adopt gets the plain answer.
        if (req.owner === undefined && req.adopt === undefined && !req.adoptIdentical) throw this.alreadyExists(decl, existing, parent);
        const adoption = mayAdopt(existing.owner, req);
        if (!adoption.ok) throw this.alreadyExists(decl, existing, parent, undefined, `${adoption.why}, so it was not adopted. ${adoption.fix}`);
        const differences = this.differences(decl, existing, spec);
        if (differences.length > 0) throw this.alreadyExists(decl, existing, parent, differences);
        if (req.owner !== undefined && existing.owner !== req.owner) {
            this.stmt.setOwner.run(req.owner, existing.id);
            return this.view({ ...existing, owner: req.owner });
        }
        return this.view(existing);
    }

    /** Updates and deletes of an object that another stack manages are refused, naming that stack. */
    private refuseOtherOwner(decl: KindDecl, row: Row, owner: string | undefined, what: "changed" | "deleted"): void {
        if (mayChange(row.owner, owner)) return;
        throw new PlatformError("FAILED_PRECONDITION", `${subjectOf(decl.kind, this.labelOf(decl, row))} is managed by ${describeOwner(row.owner!)}, not by this stack, so it was not ${what}. ` +
            `If this stack should no longer manage it, remove it from this stack's state (pulumi state delete '${owner}') instead.`);
    }

    private alreadyExists(decl: KindDecl, existing: Row, parent?: Row, differences?: string[], refusal?: string): PlatformError {
        const where = parent ? ` in ${parent.kind.toLowerCase()} "${parent.name ?? parent.id}"` : "";
        const what = decl.named ? `a ${decl.kind} named "${existing.name}"` : `${decl.kind} ${this.labelOf(decl, existing)}`;
        const fix = decl.kind === "BillingLink"
            ? "A community has one billing link: change its billingAccountId instead."
            : decl.named ? "Choose another name, or leave name unset to let the provider pick a unique one." : "It exists already; manage the existing one.";
        if (refusal) return new PlatformError("ALREADY_EXISTS", `${what} already exists${where} (id ${existing.id}): ${refusal}`);
        const differs = differences?.length ? ` It differs in ${differences.join(", ")}, so it was not adopted.` : "";
        return new PlatformError("ALREADY_EXISTS", `${what} already exists${where} (id ${existing.id}).${differs} ${fix}`);
    }

    private view(row: Row): PlatformObject {
        const decl = kindOf(row.kind);
        const secretDigests: Record<string, string> = {};
        if (row.sealed) {
            for (const [k, v] of Object.entries(this.box.open(row.sealed, `${decl.kind}/${row.id}`))) secretDigests[k] = this.box.digest(v);
        }
        const spec = JSON.parse(row.spec);
        const context: Partial<Record<ContextField, string>> = {};
        const organization = this.organizationName(row.organization_id);
        if (organization && decl.context.includes("organization")) context.organization = organization;
        if (row.zone && decl.context.includes("zone")) context.zone = row.zone;
        if (decl.kind === "Share") {
            const resource = this.stmt.byId.get(spec.resourceId);
            const community = this.stmt.byId.get(spec.communityId);
            Object.assign(context, {
                resourceName: resource?.name ?? undefined, resourceZone: resource?.zone ?? undefined,
                resourceOrganization: this.organizationName(resource?.organization_id ?? null),
                communityName: community?.name ?? undefined, communityZone: community?.zone ?? undefined,
                communityOrganization: this.organizationName(community?.organization_id ?? null),
            });
        }
        const extra: Record<string, unknown> = {};
        if (decl.kind === "Organization") {
            const community = this.stmt.children.all(row.id).find((c) => c.system);
            extra.defaultCommunityId = community?.id;
            extra.defaultCommunityName = community?.name;
        }
        return {
            id: row.id, kind: row.kind, version: row.version, parentId: row.parent_id ?? undefined,
            organizationId: row.organization_id ?? undefined, zone: row.zone ?? undefined, system: row.system === 1,
            createdAt: row.created_at, updatedAt: row.updated_at, createdBy: row.created_by,
            spec, secretDigests, context, extra, ...(row.owner ? { owner: row.owner } : {}),
        };
    }
}
