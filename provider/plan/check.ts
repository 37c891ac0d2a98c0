// check: schema + rules over the new inputs. Pure (the autoname's suffix is passed in: names.ts) and never throws
// for bad input: every problem comes back as a failure with its property path, which `pulumi preview` prints.
// Everything known is checked, all of it at once; a value unknown in preview only leaves undecided what
// depends on it.
import { Failure } from "../model/errors";
import { KindDecl, kindOf, KindName } from "../model/kinds";
import { KIND_RULES } from "../rules/kind-rules";
import { validateSpec } from "../rules/validation";
import { AUTONAMED_KEY, INTERNAL_KEYS, logicalNameOf, programSecretFields, SECRET_INPUTS_KEY } from "../model/inputs";
import { sealable } from "../model/secrecy";
import { autoName, SuffixSource } from "./names";
import { isUnknown } from "../model/unknown";
import type { IdShape } from "../model/ids";

export interface CheckResult {
    readonly inputs: Record<string, unknown>;
    readonly failures: Failure[];
}


/**
 * Which inputs must not be shown: those the SDK listed as arriving secret (the provider host hands check plain
 * values). The list stays in the inputs, so the re-check in create and update hides the same values. A list not
 * known (or not a list of names) hides every value.
 */
function secretInputs(value: unknown): (field: string) => boolean {
    if (value === undefined || value === null) return () => false;
    if (Array.isArray(value) && value.every((name) => typeof name === "string" && !isUnknown(name))) {
        const names = new Set<string>(value);
        return (field) => names.has(field);
    }
    return () => true;
}

/** `ids`: the shape of the ids the backend in use issues (model/ids.ts), which every id field must have. */
export function check(kind: KindName, olds: Record<string, unknown>, news: Record<string, unknown>, suffix: SuffixSource, ids: IdShape): CheckResult {
    const decl = kindOf(kind);
    const inputs: Record<string, unknown> = { ...news };
    const failures: Failure[] = [];

    if (decl.named) {
        const explicit = news.name !== undefined && news.name !== null;
        if (explicit) {
            delete inputs[AUTONAMED_KEY];
        } else if (olds[AUTONAMED_KEY] === true && typeof olds.name === "string") {
            // Keep the name chosen at creation: a new suffix on every run would rename the object each time.
            inputs.name = olds.name;
            inputs[AUTONAMED_KEY] = true;
        } else if (logicalNameOf(news) !== undefined) {
            // The logical name: from the owner URN the SDK sends (older SDKs sent it as an input of its own).
            inputs.name = autoName(logicalNameOf(news)!, suffix);
            inputs[AUTONAMED_KEY] = true;
        } else {
            failures.push({ property: "name", reason: "is required (no logical name to derive one from). Set name." });
        }
    }

    const hidden = secretInputs(news[SECRET_INPUTS_KEY]);
    const fieldFailures = validateSpec(decl, inputs, { mode: "create", withContext: true, allowedExtra: INTERNAL_KEYS, hidden, ids });
    // The kind's own rules run on whatever arrived, bad fields or not: every problem is reported at once.
    const rules = KIND_RULES[kind] ?? {};
    failures.push(...(rules.tell ? fieldFailures.flatMap((f) => rules.tell!(f, inputs) ?? []) : fieldFailures));
    failures.push(...rules.spec?.(inputs, (field) => decl.secrets.includes(field) || hidden(field)) ?? []);
    failures.push(...rules.facts?.(inputs, hidden) ?? []);
    // A field the platform reads to keep its rules (a name, a zone, a role) cannot be kept secret on it.
    for (const field of programSecretFields(decl, news).filter((f) => !sealable(decl, f))) {
        failures.push({ property: "", reason: `${field} cannot be secret: the platform reads it to keep its rules and shows it to the organization's members, got [secret]. Pass ${field} as a plain value.` });
    }
    // The engine prints a failure as "property <p> value <the input's value> has a problem", and the Pulumi CLI
    // renders that value in plain text even when it is secret. A failure of a secret field names only its
    // top-level field, in the reason, with no property: the engine has no value to print, and a path below the
    // field (a label's key) would show part of the secret.
    const fieldOf = (f: Failure) => f.property.split(".")[0];
    const secretField = (f: Failure) => f.property !== "" && (decl.secrets.includes(fieldOf(f)) || hidden(fieldOf(f)));
    const told = failures.map((f) => (secretField(f) ? { property: "", reason: `${fieldOf(f)} ${f.reason}` } : { ...f, property: inProgramWords(decl, f.property) }));
    return { inputs, failures: told };
}

/**
 * A property path in the words of the program: the SDK takes objects where the platform stores their ids
 * (`project` for projectId, `model` for modelId, `nodes.1.node` for nodes.1.nodeId), as the kind declares.
 */
function inProgramWords(decl: KindDecl, property: string): string {
    const parts = property.split(".");
    const objects = [...(decl.parent ? [{ path: decl.parent.field, arg: decl.parent.arg }] : []), ...decl.references.map((r) => ({ path: r.path, arg: r.arg }))];
    for (const { path, arg } of objects) {
        if (!arg) continue;
        const [list, field] = path.split("[].");
        if (field === undefined && parts[0] === list) return [arg, ...parts.slice(1)].join(".");
        if (field !== undefined && parts[0] === list && /^\d+$/.test(parts[1] ?? "") && parts[2] === field) return [list, parts[1], arg, ...parts.slice(3)].join(".");
    }
    return property;
}
