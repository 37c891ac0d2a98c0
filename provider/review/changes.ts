// What a plan does, object by object: one change per URN (a replacement's create-replacement and delete-replaced
// steps folded into it), the objects before and after, and each changed property with its old and new value.
// The Node dynamic-provider host reports no property diff to the engine, so changes are found by comparing the
// old and new inputs; a detailed diff, when a producer gives one, adds what comparing cannot see (a secret's new value).
import { KindName, KINDS } from "../model/kinds";
import type { Plan, PlanStep, ResourceRecord } from "./pulumi-json";
import { bindingFields, ObjectSet, PlatformObject, platformObject, urnParts } from "./objects";
import { childPath, leafChanges, leaves, SECRET } from "./values";

/** What happens to one resource. `read`: another stack's object this one reads; `forget`: it stops being read. */
export type Change = "create" | "update" | "replace" | "delete" | "same" | "read" | "forget";

export interface PropertyChange {
    /** Pulumi's property path: `limits.maxUnitsPerHour`, `nodes[0].weight`. */
    readonly path: string;
    /** Undefined where the property is not set. */
    readonly before: unknown;
    readonly after: unknown;
    /** The property can never change: a new value replaces the object. */
    readonly replaces: boolean;
    /** A secret: that it changes is known (from a diff, or because nothing else explains the update), not to what. */
    readonly secret?: boolean;
}

export interface ObjectChange {
    readonly change: Change;
    readonly urn: string;
    /** Our kind, or undefined for any other resource of the stack (shown by type only). */
    readonly kind?: KindName;
    readonly type: string;
    readonly name: string;
    readonly before?: PlatformObject;
    readonly after?: PlatformObject;
    readonly properties: readonly PropertyChange[];
}

export interface PlannedChange {
    readonly changes: readonly ObjectChange[];
    readonly before: ObjectSet;
    readonly after: ObjectSet;
    /** For each replaced object, the objects that go with it: bound to it by a field that can never change. */
    readonly takenDown: ReadonlyMap<string, readonly PlatformObject[]>;
    readonly diagnostics: Plan["diagnostics"];
    /** Steps left out, said in the report. */
    readonly notes: readonly string[];
    /** Whether unchanged objects are listed (`--show-sames`): without them the picture shows only what changes. */
    readonly complete: boolean;
}

const STEP_CHANGE: Readonly<Record<string, Change | "ignore">> = {
    same: "same", refresh: "same", create: "create", import: "create", update: "update", delete: "delete",
    replace: "replace", "create-replacement": "replace", "delete-replaced": "replace", "import-replacement": "replace",
    read: "read", "read-replacement": "read", discard: "forget", "discard-replaced": "forget",
    "remove-pending-replace": "ignore",
};
const ENGINE_TYPES = /^pulumi:(pulumi:Stack|providers:)/;

interface MergedStep {
    change: Change;
    step: PlanStep;
    old?: ResourceRecord;
    new?: ResourceRecord;
}

/**
 * One entry per URN. With --show-replacement-steps a replacement also comes as create-replacement and
 * delete-replaced steps of the same URN: they fold into it, the logical "replace" step describing it.
 */
function mergeSteps(steps: readonly PlanStep[], notes: string[]): MergedStep[] {
    const merged = new Map<string, MergedStep>();
    for (const step of steps) {
        const change = STEP_CHANGE[step.op];
        if (change === undefined) {
            notes.push(`A step with op "${step.op}" (${step.urn}) is not one this version knows: left out.`);
            continue;
        }
        if (change === "ignore") continue;
        const seen = merged.get(step.urn);
        if (!seen) {
            merged.set(step.urn, { change, step, old: step.old, new: step.new });
            continue;
        }
        if (change === "replace") seen.change = "replace";
        if (step.op === "replace") seen.step = step;
        seen.old = seen.old ?? step.old;
        seen.new = seen.new ?? step.new;
    }
    return [...merged.values()];
}

const BEFORE: readonly Change[] = ["update", "replace", "delete", "same", "read", "forget"];
const AFTER: readonly Change[] = ["create", "update", "replace", "same", "read"];

export function plannedChange(plan: Plan): PlannedChange {
    const notes: string[] = [];
    const entries = mergeSteps(plan.steps, notes).filter((e) => !ENGINE_TYPES.test(e.new?.type ?? e.old?.type ?? urnParts(e.step.urn).type));
    const before = new ObjectSet(entries.filter((e) => BEFORE.includes(e.change) && e.old).map((e) => platformObject(e.old!)).filter(isDefined));
    // An object that stays (same, update, read) keeps its id; a new state rarely has it yet (pulumi-json.ts).
    const keepsId = (e: MergedStep) => (e.change === "replace" ? undefined : e.old?.id);
    const after = new ObjectSet(entries.filter((e) => AFTER.includes(e.change) && e.new).map((e) => platformObject(e.new!, keepsId(e))).filter(isDefined));
    const changes = entries.map(({ change, step, old, new: next }): ObjectChange => {
        const urn = step.urn;
        const beforeObject = BEFORE.includes(change) ? before.get(urn) : undefined;
        const afterObject = AFTER.includes(change) ? after.get(urn) : undefined;
        const object = afterObject ?? beforeObject;
        return {
            change, urn, kind: object?.kind, type: next?.type ?? old?.type ?? urnParts(urn).type, name: urnParts(urn).name,
            before: beforeObject, after: afterObject,
            properties: object ? propertyChanges(change, step, beforeObject, afterObject) : [],
        };
    });
    const bound = boundTo(before);
    const takenDown = new Map<string, PlatformObject[]>();
    for (const c of changes) {
        if (c.change === "replace" && c.before) {
            const going = goesWith(c.before, bound);
            if (going.length > 0) takenDown.set(c.urn, going);
        }
    }
    return {
        changes, before, after, takenDown, diagnostics: plan.diagnostics, notes,
        complete: entries.some((e) => e.change === "same") || entries.every((e) => e.change === "create"),
    };
}

function isDefined<T>(value: T | undefined): value is T {
    return value !== undefined;
}

/** Each changed property of one object, nested values leaf by leaf. */
function propertyChanges(change: Change, step: PlanStep, before: PlatformObject | undefined, after: PlatformObject | undefined): PropertyChange[] {
    if (change === "same" || change === "read" || change === "forget") return [];
    const object = (after ?? before)!;
    const decl = KINDS[object.kind];
    const replaceKeys = new Set(change === "replace" ? [...step.replaceReasons, ...decl.immutable] : []);
    const topKey = (path: string) => /^[^.[]+/.exec(path)?.[0] ?? path;
    const rows: PropertyChange[] = [];
    for (const key of Object.keys(decl.spec.shape)) {
        const found = change === "create" ? leaves(after?.fields[key], key)
            : change === "delete" ? leaves(before?.fields[key], key).map((leaf) => ({ path: leaf.path, before: leaf.after, after: undefined }))
            : leafChanges(before?.fields[key], after?.fields[key], key);
        for (const leaf of found) rows.push({ ...leaf, replaces: replaceKeys.has(key) });
    }
    if (change !== "update" && change !== "replace") return rows;
    // A secret that changes looks the same before and after ([secret]): a diff that names it says so; with none,
    // an update with nothing else to show can only be a secret's change.
    const named = new Set([...step.diffReasons, ...Object.keys(step.detailedDiff ?? {}).map(topKey)]);
    const secrets = [...new Set([...(before?.secretFields ?? []), ...(after?.secretFields ?? [])])];
    const unseen = secrets.filter((key) => !rows.some((row) => topKey(row.path) === key));
    const changedSecrets = named.size > 0 ? unseen.filter((key) => named.has(key)) : rows.length === 0 ? unseen : [];
    for (const key of changedSecrets) {
        rows.push({
            path: childPath("", key), before: before?.fields[key] ?? undefined, after: after?.fields[key] ?? SECRET,
            replaces: replaceKeys.has(key), secret: true,
        });
    }
    return rows;
}

/**
 * For each object, the objects bound to it by a field that can never change (a project by its community, a dataset
 * by its project, a share by its resource and its community): they cannot outlive it.
 */
function boundTo(objects: ObjectSet): Map<string, PlatformObject[]> {
    const bound = new Map<string, PlatformObject[]>();
    for (const candidate of objects.objects) {
        for (const { field, kinds } of bindingFields(KINDS[candidate.kind])) {
            const target = objects.pointer(candidate, field, kinds)?.urn;
            if (target && target !== candidate.urn) bound.set(target, [...(bound.get(target) ?? []), candidate]);
        }
    }
    return bound;
}

/** The objects that go when `object` is replaced: those bound to it, and what is bound to them in turn. */
function goesWith(object: PlatformObject, bound: ReadonlyMap<string, readonly PlatformObject[]>): PlatformObject[] {
    const going = new Set<PlatformObject>();
    const queue = [object.urn];
    while (queue.length > 0) {
        for (const candidate of bound.get(queue.shift()!) ?? []) {
            if (candidate.urn === object.urn || going.has(candidate)) continue;
            going.add(candidate);
            queue.push(candidate.urn);
        }
    }
    return [...going];
}
