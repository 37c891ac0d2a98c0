// The control plane: the platform's resource model and rules over one database. Independent of how it is
// reached (in-process for the embedded mode, behind HTTP for a team). Every request is parsed by the API contract
// (model/contract.ts); every mutation is one transaction and re-checks every rule, whatever the caller checked
// before. This module orders the steps of each operation; the concerns live beside it: rows.ts (storage and SQL),
// access.ts (who may see and do what), facts.ts (apply-time facts fed to the pure rules), views.ts (what is
// returned and named), model/ownership.ts (who manages an object).
import type Database from "better-sqlite3";
import { canonicalJson } from "../model/equality";
import { invalidArgument, PlatformError, subjectOf } from "../model/errors";
import { EMULATOR_IDS } from "../model/ids";
import { KindDecl, KindName, kindOf, referencedIds } from "../model/kinds";
import {
    CheckpointVersion, CreateRequest, CreateRequestSchema, DeleteRequest, DeleteRequestSchema, GetRequestSchema, Identity, ListRequest,
    ListRequestSchema, ListVersionsRequestSchema, LookupRequestSchema, Page, ParsedCreateRequest, parseRequest, PlatformObject, Principal,
    UpdateRequest, UpdateRequestSchema,
} from "../model/contract";
import { sealable, secretFieldsOf } from "../model/secrecy";
import { REMOVED_WITH_PARENT } from "../rules/deletion";
import { specRuleFailures } from "../rules/kind-rules";
import { validateSpec, withoutNulls } from "../rules/validation";
import { Access } from "./access";
import { behaviourOf } from "./behaviour";
import { SecretBox } from "./crypto";
import { ApplyTimeRules } from "./facts";
import { describeOwner, mayAdopt, mayChange } from "../model/ownership";
import { newId, prepareStatements, Row, Statements } from "./rows";
import { inTransaction } from "./store";
import { differingFields, Views } from "./views";

const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;
const KEY_EXPIRY_INTERVAL_MS = 60 * 1000;

export class ControlPlaneService {
    private readonly stmt: Statements;
    private readonly access: Access;
    private readonly views: Views;
    private readonly rules: ApplyTimeRules;

    constructor(
        private readonly db: Database.Database,
        private readonly box: SecretBox,
        private readonly now: () => Date = () => new Date(),
    ) {
        this.stmt = prepareStatements(db);
        this.access = new Access(this.stmt);
        this.views = new Views(this.stmt, box);
        this.rules = new ApplyTimeRules(this.stmt, this.access, this.views);
    }

    /** This control plane's identity: made once with the database, the same however it is reached. */
    identity(): Identity {
        const row = this.stmt.identity.get();
        if (!row) throw new PlatformError("INTERNAL", "the database has no control plane identity; it was not migrated. Reopen it with this version.");
        return { id: row.value };
    }

    get(principal: Principal, kind: KindName, id: string): PlatformObject {
        const req = parseRequest(GetRequestSchema, { kind, id });
        return this.views.view(this.access.visibleRow(principal, req.kind, req.id));
    }

    /** The object with this unique key under this parent (for adoption), if it exists and is visible. */
    lookup(principal: Principal, kind: KindName, spec: Record<string, unknown>): PlatformObject | undefined {
        parseRequest(LookupRequestSchema, { kind, spec });
        const decl = kindOf(kind);
        const scope = decl.parent ? String(spec[decl.parent.field] ?? "") : "";
        const row = this.stmt.byKey.get(kind, scope, decl.uniqueKey(spec));
        return row && this.access.canSee(principal, row) ? this.views.view(row) : undefined;
    }

    list(principal: Principal, request: ListRequest): Page<PlatformObject> {
        const req = parseRequest(ListRequestSchema, request);
        const pageSize = req.pageSize ?? 100;
        let after = "";
        if (req.pageToken) {
            after = Buffer.from(req.pageToken, "base64url").toString("utf8");
            if (!/^[a-z0-9]{20}$/.test(after)) throw new PlatformError("INVALID_ARGUMENT", `pageToken ${JSON.stringify(req.pageToken)} is not a token this service issued. Pass nextPageToken from the previous page.`);
        }
        if (req.parentId) this.access.visibleRow(principal, undefined, req.parentId);
        const rows = this.db.prepare<unknown[], Row>(
            `SELECT o.* FROM objects o WHERE o.kind = ? AND o.id > ? ${req.parentId ? "AND o.parent_id = ?" : ""}
             AND (EXISTS (SELECT 1 FROM organization_roles r WHERE r.organization_id = o.organization_id AND r.subject = ?)
                  OR EXISTS (SELECT 1 FROM objects m WHERE m.organization_id = o.organization_id AND m.kind IN ('CommunityMember', 'ProjectMember') AND m.unique_key = ?))
             ORDER BY o.id LIMIT ?`,
        ).all(req.kind, after, ...(req.parentId ? [req.parentId] : []), principal, principal, pageSize + 1);
        const items = rows.slice(0, pageSize).map((r) => this.views.view(r));
        return { items, nextPageToken: rows.length > pageSize ? Buffer.from(rows[pageSize - 1].id).toString("base64url") : undefined };
    }

    listVersions(principal: Principal, id: string): CheckpointVersion[] {
        const row = this.access.visibleRow(principal, "Checkpoint", parseRequest(ListVersionsRequestSchema, { id }).id);
        return this.stmt.versions.all(row.id).map((v) => ({ version: v.version, spec: JSON.parse(v.spec), createdAt: v.created_at, createdBy: v.created_by }));
    }

    create(principal: Principal, request: CreateRequest): PlatformObject {
        const req = parseRequest(CreateRequestSchema, request);
        const decl = kindOf(req.kind);
        const spec = withoutNulls(req.spec);
        const secretFields = this.secretFieldsOf(decl, req.secretFields ?? []);
        const hidden = (field: string) => secretFields.includes(field);
        const failures = [...validateSpec(decl, spec, { mode: "create", hidden, ids: EMULATOR_IDS }), ...specRuleFailures(decl.kind, spec, hidden)];
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
                const earlier = found && this.access.canSee(principal, found) ? found : undefined;
                // A key whose object has been deleted since is free again.
                if (earlier && seen!.request_hash === requestHash) return this.views.view(earlier);
                // With adoption on, a differing request falls through to the unique-key check, whose error
                // names the fields that differ; without it, reusing a key for another request is a caller bug.
                if (earlier && !req.adoptIdentical) {
                    throw new PlatformError("INVALID_ARGUMENT", `idempotency key ${JSON.stringify(req.idempotencyKey)} was already used for a different request. Use a new key for a new request.`);
                }
            }
            const parent = decl.parent ? this.access.parentOf(principal, decl, spec) : undefined;
            this.access.authorize(principal, decl.kind, "create", parent);
            this.rules.checkReferences(principal, decl, spec);
            this.rules.checkKindRules(principal, decl, spec, parent);

            // An object with this unique key is adopted or refused before anything is sealed for a new one.
            const existing = this.stmt.byKey.get(decl.kind, parent?.id ?? "", decl.uniqueKey(spec));
            if (existing) return this.adoptOrRefuse(principal, decl, existing, spec, req, parent);
            const at = this.now().toISOString();
            const id = newId(decl.idPrefix);
            const row: Row = {
                id, kind: decl.kind, parent_id: parent?.id ?? null, scope: parent?.id ?? "", unique_key: decl.uniqueKey(spec),
                organization_id: decl.foundsOrganization ? id : parent?.organization_id ?? null,
                zone: decl.zoneField ? String(spec[decl.zoneField]) : parent?.zone ?? null,
                name: decl.named ? String(spec.name) : null,
                ...this.views.split(decl, spec, id, secretFields), system: 0, version: 1, created_at: at, updated_at: at, created_by: principal,
                owner: req.owner ?? null,
            };
            this.stmt.insert.run(row);
            this.writeReferences(decl, id, spec);
            if (decl.versioned) this.stmt.insertVersion.run(id, 1, row.spec, at, principal);
            behaviourOf(decl.kind)?.created?.(this.stmt, principal, row, spec);
            if (req.idempotencyKey) {
                this.expireIdempotencyKeys();
                this.stmt.rememberKey.run(req.idempotencyKey, principal, requestHash, id, at, null);
            }
            // The row as inserted is the row as stored: no need to read it back.
            return this.views.view(row);
        });
    }

    update(principal: Principal, request: UpdateRequest): PlatformObject {
        const req = parseRequest(UpdateRequestSchema, request);
        const decl = kindOf(req.kind);
        const requestHash = req.idempotencyKey
            ? this.box.digest(`update\n${decl.kind}\n${req.id}\n${req.expectedVersion ?? ""}\n${req.owner ?? ""}\n${canonicalJson(req.patch)}`)
            : "";
        return inTransaction(this.db, () => {
            const row = this.access.visibleRow(principal, decl.kind, req.id);
            if (req.idempotencyKey) {
                // Our own update landed and nothing changed the object since: the retry's answer is the object now.
                const seen = this.stmt.idempotency.get(principal, req.idempotencyKey);
                if (seen && seen.request_hash === requestHash && seen.object_id === row.id && seen.result_version === row.version) return this.views.view(row);
            }
            // The recorded owner may also be this resource's URN before its stack or project was renamed.
            if (!(req.previousOwner !== undefined && row.owner === req.previousOwner)) this.refuseOtherOwner(decl, row, req.owner, "changed");
            if (req.expectedVersion != null && req.expectedVersion !== row.version) {
                throw new PlatformError("ABORTED", `${subjectOf(decl.kind, this.views.labelOf(decl, row))} was changed by someone else: you read version ${req.expectedVersion}, it is now at version ${row.version}. Refresh (pulumi refresh) and apply again.`);
            }
            const updated = this.applyPatch(principal, decl, row, req.patch, req.secretFields, req.owner);
            if (req.idempotencyKey) {
                this.expireIdempotencyKeys();
                this.stmt.rememberKey.run(req.idempotencyKey, principal, requestHash, row.id, updated.updatedAt, updated.version);
            }
            return updated;
        });
    }

    /**
     * Writes `patch` onto a row after every rule passed: the update proper, and a rerun's create that meets the object
     * its own interrupted run made with other values. `secretFields`: the program's secret fields, when it says them.
     */
    private applyPatch(principal: Principal, decl: KindDecl, row: Row, patch: Record<string, unknown>, requestedSecret: readonly string[] | undefined, requester: string | undefined): PlatformObject {
        const current = this.views.fullSpec(decl, row);
        const label = this.views.labelOf(decl, row);
        const sealedNow = this.views.sealedFields(decl, row);
        const secretFields = requestedSecret ? this.secretFieldsOf(decl, requestedSecret) : [...new Set([...decl.secrets, ...sealedNow])];
        const shown = (k: string, value: unknown) => (secretFields.includes(k) || sealedNow.includes(k) ? "[secret]" : JSON.stringify(value));
        const changedImmutable = Object.keys(patch).filter((k) => decl.immutable.includes(k) && canonicalJson(patch[k]) !== canonicalJson(current[k]));
        if (changedImmutable.length) {
            const k = changedImmutable[0];
            throw new PlatformError("FAILED_PRECONDITION", `${subjectOf(decl.kind, label)}: ${k} can never change (stored ${shown(k, current[k])}, requested ${shown(k, patch[k])}). Create a new ${decl.kind} instead; the provider plans this as a replacement.`);
        }
        const spec = withoutNulls({ ...current, ...patch });
        const hidden = (field: string) => secretFields.includes(field);
        const failures = [...validateSpec(decl, spec, { mode: "create", hidden, ids: EMULATOR_IDS }), ...specRuleFailures(decl.kind, spec, hidden)]
            // The default community's name "<displayName> Team" is the platform's, not user input: it has a space,
            // so holding it to the user name pattern would refuse every edit of that community.
            .filter((f) => !(row.system && f.property === "name" && spec.name === current.name));
        if (failures.length) throw invalidArgument(decl.kind, label, failures);
        const parent = row.parent_id ? this.stmt.byId.get(row.parent_id) : undefined;
        this.access.authorize(principal, decl.kind, "update", row);
        this.rules.checkReferences(principal, decl, spec);
        this.rules.checkKindRules(principal, decl, spec, parent, row);
        // The objects the platform makes itself are default communities (behaviour.ts): their name follows the organization.
        if (row.system && spec.name !== current.name) {
            throw new PlatformError("FAILED_PRECONDITION", `${subjectOf(decl.kind, label)} is a default community: its name follows the organization's displayName. Change the organization's displayName instead.`);
        }

        const uniqueKey = decl.uniqueKey(spec);
        if (uniqueKey !== row.unique_key) {
            const clash = this.stmt.byKey.get(row.kind, row.scope, uniqueKey);
            if (clash) throw this.alreadyExists(decl, clash, parent);
        }
        const at = this.now().toISOString();
        const split = this.views.split(decl, spec, row.id, secretFields);
        // A resource of the owning stack (renamed, say) or the first stack to manage an unowned object records itself.
        const owner = requester ?? row.owner;
        const updated: Row = { ...row, unique_key: uniqueKey, name: decl.named ? String(spec.name) : null, ...split, version: row.version + 1, updated_at: at, owner };
        const result = this.stmt.update.run({
            id: updated.id, unique_key: updated.unique_key, name: updated.name, spec: updated.spec, sealed: updated.sealed,
            version: updated.version, updated_at: updated.updated_at, previous: row.version, owner,
        });
        if (result.changes !== 1) throw new PlatformError("ABORTED", `${subjectOf(decl.kind, label)} changed while it was being updated. Try again.`);
        this.stmt.clearRefs.run(row.id);
        this.writeReferences(decl, row.id, spec);
        if (decl.versioned) this.stmt.insertVersion.run(row.id, row.version + 1, split.spec, at, principal);
        behaviourOf(decl.kind)?.updated?.(this.stmt, row, current, spec, at);
        return this.views.view(updated);
    }

    delete(principal: Principal, request: DeleteRequest): void {
        const req = parseRequest(DeleteRequestSchema, request);
        const decl = kindOf(req.kind);
        inTransaction(this.db, () => {
            const row = this.access.visibleRow(principal, decl.kind, req.id);
            this.access.authorize(principal, decl.kind, "delete", row);
            this.refuseOtherOwner(decl, row, req.owner, "deleted");
            const blocker = this.rules.deletionBlockerOf(row);
            if (blocker) throw new PlatformError("FAILED_PRECONDITION", blocker);
            this.removeWithAttachments(row);
        });
    }

    /** Deletes a row, what goes with it by its kind (behaviour.ts), and the children that go with their parent. */
    private removeWithAttachments(row: Row): void {
        for (const attached of behaviourOf(row.kind)?.goesWith?.(this.stmt, row) ?? []) this.removeWithAttachments(attached);
        for (const child of this.stmt.children.all(row.id)) {
            if (REMOVED_WITH_PARENT.includes(child.kind)) this.stmt.remove.run(child.id);
        }
        this.stmt.remove.run(row.id);
    }

    private writeReferences(decl: KindDecl, id: string, spec: Readonly<Record<string, unknown>>): void {
        for (const ref of decl.references) for (const to of referencedIds(spec, ref.path)) this.stmt.insertRef.run(id, to, ref.path);
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

    /** A create met an object with its unique key: adopt it where that is safe (ownership.ts), refuse otherwise. */
    private adoptOrRefuse(principal: Principal, decl: KindDecl, existing: Row, spec: Record<string, unknown>, req: ParsedCreateRequest, parent?: Row): PlatformObject {
        // Organization names are unique across tenants. Another tenant's organization does not exist for this
        // principal: say only that the name is taken, never its id, members or fields.
        if (!this.access.canSee(principal, existing)) {
            throw new PlatformError("ALREADY_EXISTS", `${subjectOf(decl.kind, spec.name ?? decl.label(spec))}: the name is taken. Organization names are unique across the platform: choose another name, or leave name unset to let the provider pick one.`);
        }
        // A caller that neither says who it is nor asks to adopt gets the plain answer.
        if (req.owner === undefined && req.adopt === undefined && !req.adoptIdentical) throw this.alreadyExists(decl, existing, parent);
        const adoption = mayAdopt(existing.owner, req, decl.named);
        if (!adoption.ok) throw this.alreadyExists(decl, existing, parent, undefined, `${adoption.why}, so it was not adopted. ${adoption.fix}`);
        // Taking an object over changes who manages it: only for a principal who may change it (creating in its
        // parent is not enough).
        if (existing.owner !== (req.owner ?? null)) this.access.authorize(principal, decl.kind, "update", existing);
        const differing = differingFields(decl, this.views.fullSpec(decl, existing), spec);
        const ownRerun = req.owner !== undefined && existing.owner === req.owner;
        if (differing.length > 0 && !ownRerun) throw this.alreadyExists(decl, existing, parent, this.views.differences(decl, existing, spec, req.secretFields ?? []));
        // This resource's own interrupted run made it, and the program changed since: converge on the program, as an
        // update would (a field that can never change cannot be, and says so).
        const patch = Object.fromEntries(differing.map((k) => [k, spec[k] ?? null]));
        const sealed = this.views.sealedFields(decl, existing).sort().join();
        const wanted = this.secretFieldsOf(decl, req.secretFields ?? []).sort().join();
        if (Object.keys(patch).length > 0 || sealed !== wanted) return this.applyPatch(principal, decl, existing, patch, req.secretFields ?? [], req.owner);
        if (req.owner !== undefined && existing.owner !== req.owner) {
            this.stmt.setOwner.run(req.owner, existing.id);
            return this.views.view({ ...existing, owner: req.owner });
        }
        return this.views.view(existing);
    }

    /**
     * The fields to keep sealed: the kind's own secret ones and those the program made secret. A secret value in a
     * field the platform must read (a name, a zone, a role) cannot be kept secret: refused, without its value.
     */
    private secretFieldsOf(decl: KindDecl, requested: readonly string[]): string[] {
        const unsealable = requested.filter((field) => !decl.secrets.includes(field) && !sealable(decl, field));
        if (unsealable.length) {
            throw new PlatformError("INVALID_ARGUMENT", `${decl.kind}: ${unsealable.join(", ")} cannot be secret: the platform reads ${unsealable.length === 1 ? "it" : "them"} to keep its rules and shows ${unsealable.length === 1 ? "it" : "them"} to the organization's members. Pass ${unsealable.length === 1 ? "it" : "them"} as plain values.`);
        }
        return secretFieldsOf(decl, requested);
    }

    /** Updates and deletes of an object that another stack manages are refused, naming that stack. */
    private refuseOtherOwner(decl: KindDecl, row: Row, owner: string | undefined, what: "changed" | "deleted"): void {
        if (mayChange(row.owner, owner)) return;
        throw new PlatformError("FAILED_PRECONDITION", `${subjectOf(decl.kind, this.views.labelOf(decl, row))} is managed by ${describeOwner(row.owner!)}, not by this stack, so it was not ${what}. ` +
            `If this stack should no longer manage it, remove it from this stack's state (pulumi state delete '${owner}') instead.`);
    }

    private alreadyExists(decl: KindDecl, existing: Row, parent?: Row, differences?: string[], refusal?: string): PlatformError {
        const where = parent ? ` in ${parent.kind.toLowerCase()} "${parent.name ?? parent.id}"` : "";
        const what = decl.named ? `a ${decl.kind} named "${existing.name}"` : `${decl.kind} ${this.views.labelOf(decl, existing)}`;
        const fix = behaviourOf(decl.kind)?.duplicateFix
            ?? (decl.named ? "Choose another name, or leave name unset to let the provider pick a unique one." : "It exists already; manage the existing one.");
        if (refusal) return new PlatformError("ALREADY_EXISTS", `${what} already exists${where} (id ${existing.id}): ${refusal}`);
        const differs = differences?.length ? ` It differs in ${differences.join(", ")}, so it was not adopted.` : "";
        return new PlatformError("ALREADY_EXISTS", `${what} already exists${where} (id ${existing.id}).${differs} ${fix}`);
    }
}
