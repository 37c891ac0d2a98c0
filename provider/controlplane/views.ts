// Views: how stored rows become what the API returns and what messages name (secrets sealed and opened here,
// and only here; names of organizations cached, since they never change).
import { ContextField, KindDecl, kindOf } from "../model/kinds";
import { canonicalJson } from "../model/equality";
import { PlatformObject, SECRET_DIGEST_VERSION } from "../model/contract";
import { SecretBox } from "./crypto";
import { behaviourOf } from "./behaviour";
import type { Row, Statements } from "./rows";

/** The kind's fields whose stored value differs from `spec` (absent and null are the same). */
export function differingFields(decl: KindDecl, stored: Record<string, unknown>, spec: Record<string, unknown>): string[] {
    return Object.keys(decl.spec.shape).filter((k) => canonicalJson(stored[k] ?? null) !== canonicalJson(spec[k] ?? null));
}

export class Views {
    constructor(private readonly stmt: Statements, private readonly box: SecretBox) {}

    /** An organization's name can never change and its id is never reused, so a name once read stays right. */
    private readonly organizationNames = new Map<string, string>();

    /** The stored form: `secretFields` sealed (values kept as given, JSON inside the seal), the rest in plain JSON. */
    split(decl: KindDecl, spec: Readonly<Record<string, unknown>>, id: string, secretFields: readonly string[]): { spec: string; sealed: string | null } {
        const plain: Record<string, unknown> = {};
        const secret: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(spec)) {
            if (secretFields.includes(k)) secret[k] = v;
            else plain[k] = v;
        }
        return { spec: JSON.stringify(plain), sealed: Object.keys(secret).length ? this.box.seal(secret, `${decl.kind}/${id}`) : null };
    }

    fullSpec(decl: KindDecl, row: Row): Record<string, unknown> {
        return { ...JSON.parse(row.spec), ...(row.sealed ? this.box.open(row.sealed, `${decl.kind}/${row.id}`) : {}) };
    }

    labelOf(decl: KindDecl, row: Pick<Row, "spec"> & Partial<Row>): string {
        if (row.name) return row.name;
        const spec = JSON.parse(row.spec);
        return behaviourOf(decl.kind)?.label?.(this.stmt, spec) ?? decl.label(spec);
    }

    organizationName(orgId: string | null): string | undefined {
        if (!orgId) return undefined;
        let name = this.organizationNames.get(orgId);
        if (name === undefined) {
            name = this.stmt.byId.get(orgId)?.name ?? undefined;
            if (name !== undefined) this.organizationNames.set(orgId, name);
        }
        return name;
    }

    /** The fields a row keeps sealed. */
    sealedFields(decl: KindDecl, row: Row): string[] {
        return row.sealed ? Object.keys(this.box.open(row.sealed, `${decl.kind}/${row.id}`)) : [];
    }

    /** Fields whose stored value differs from `spec` (secret fields, stored or requested, compared but never shown). */
    differences(decl: KindDecl, row: Row, spec: Record<string, unknown>, requestedSecret: readonly string[]): string[] {
        const stored = this.fullSpec(decl, row);
        const secret = new Set([...decl.secrets, ...this.sealedFields(decl, row), ...requestedSecret]);
        return differingFields(decl, stored, spec)
            .map((k) => secret.has(k) ? `${k} (secret)` : `${k} (stored ${JSON.stringify(stored[k])}, requested ${JSON.stringify(spec[k])})`);
    }

    view(row: Row): PlatformObject {
        const decl = kindOf(row.kind);
        const secretDigests: Record<string, string> = {};
        if (row.sealed) {
            // Bound to the object and the field: everyone who may read the object sees its digests, and a digest that
            // were the same for the same value anywhere would let a reader test guesses against secrets it made itself.
            for (const [k, v] of Object.entries(this.box.open(row.sealed, `${decl.kind}/${row.id}`))) {
                secretDigests[k] = `${SECRET_DIGEST_VERSION}${this.box.digest(`${decl.kind}/${row.id}/${k}\n${typeof v === "string" ? v : canonicalJson(v)}`)}`;
            }
        }
        const spec = JSON.parse(row.spec);
        const context: Partial<Record<ContextField, string>> = {};
        const organization = this.organizationName(row.organization_id);
        if (organization && decl.context.includes("organization")) context.organization = organization;
        if (row.zone && decl.context.includes("zone")) context.zone = row.zone;
        Object.assign(context, behaviourOf(decl.kind)?.context?.(this.stmt, spec, (orgId) => this.organizationName(orgId)));
        const extra = behaviourOf(decl.kind)?.extra?.(this.stmt, row) ?? {};
        return {
            id: row.id, kind: row.kind, version: row.version, parentId: row.parent_id ?? undefined,
            organizationId: row.organization_id ?? undefined, zone: row.zone ?? undefined, system: row.system === 1,
            createdAt: row.created_at, updatedAt: row.updated_at, createdBy: row.created_by,
            spec, secretDigests, context, extra, ...(row.owner ? { owner: row.owner } : {}),
        };
    }
}
