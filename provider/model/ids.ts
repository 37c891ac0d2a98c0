// The shape of the ids a backend issues, as plain data. Every field that holds an object's id (a parent, a
// reference, a plan-time fact naming an object) is checked against the shape of the backend in use, which the caller
// passes to the check (plan/check.ts, rules/validation.ts): the plan engine reads no configuration, and the same
// fields are checked against the emulator's ids by the control plane at apply time. A name given where an id belongs
// then fails in `pulumi preview`, naming the shape that backend's ids have. The emulator's shape is declared here,
// where the control plane that issues those ids finds it; DataSphere's in client/backends.ts.
import type { KindName } from "./kinds";

/** How the ids of one kind are written on one backend. */
export interface IdForm {
    /** A whole id. */
    readonly pattern: RegExp;
    /** What an id is, as a failure says it after "must be": "an id issued by the platform (...)". */
    readonly says: string;
    /** How to pass a right one. */
    readonly fix: string;
}

/** The ids one backend issues. */
export interface IdShape {
    /** The ids of every kind not listed in `kinds`. */
    readonly any: IdForm;
    readonly kinds?: Partial<Record<KindName, IdForm>>;
}

export function idFormOf(ids: IdShape, kind: KindName): IdForm {
    return ids.kinds?.[kind] ?? ids.any;
}

/** The control plane's ids: a three-character kind prefix (letters, or "s3c"), then 17 base32 characters. */
export const ID_PATTERN = /^[a-z][a-z0-9]{2}[a-z2-7]{17}$/;
/** What to do with a value that is no id, on any backend: the SDK passes objects, whose `id` fills the field. */
export const PASS_AN_ID = "Pass the id of an existing object, e.g. `community.id`.";

/** The emulator's ids: the embedded and the served control plane issue them (controlplane/rows.ts newId). */
export const EMULATOR_IDS: IdShape = {
    any: { pattern: ID_PATTERN, says: "an id issued by the platform (3-letter prefix + 17 characters)", fix: PASS_AN_ID },
};
