// Which fields of an object are secret: the kind's own secret fields, and any other field the program passed as a
// secret (`pulumi.secret`), which the control plane then keeps sealed like the kind's own. Except the fields the
// platform must read to keep its rules and unique names (names, zones, roles, subjects, statuses, the ids of
// parents and references): those it cannot keep secret, so a secret value there is refused, in preview.
import { KindDecl } from "./kinds";

/** Fields the platform reads to enforce its rules or unique names, besides the parent and reference ids. */
const READ_BY_THE_PLATFORM = ["name", "displayName", "defaultZone", "zone", "status", "activated", "role", "subject", "resourceKind", "admins", "members"];

/** Whether the platform can keep this field of the kind sealed. */
export function sealable(decl: KindDecl, field: string): boolean {
    if (!(field in decl.spec.shape) || READ_BY_THE_PLATFORM.includes(field) || field === decl.parent?.field) return false;
    return !decl.references.some((ref) => ref.path.split(/[.[]/)[0] === field);
}

/** The fields to keep sealed: the kind's own secret fields and the sealable ones the program made secret. */
export function secretFieldsOf(decl: KindDecl, programSecret: readonly string[] = []): string[] {
    return [...new Set([...decl.secrets, ...programSecret.filter((field) => sealable(decl, field))])];
}
