// The step planner: pure decisions, no IO. Given what the state remembers and what check/diff/read answered, it
// decides what the engine must do, following pkg/resource/deploy/step_generator.go of the Pulumi engine.
// The operations (update.ts, refresh.ts, and operation.ts for deletions) make the provider calls and feed their
// answers in here.

import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { changedPaths, diffObjects, pathText } from "./property-diff";
import { applyIgnoreChanges } from "./property-path";
import type { ResourceState } from "./types";
import {
    anyChanges,
    changedKeys,
    diffKeys,
    parsePropertyPath,
    unwrapSecretsMap,
    type KeyDiff,
    type PropertyMap,
} from "./values";

export type DiffChanges = "unknown" | "none" | "some";

/** A provider's answer to Diff, as the engine reads it. `stables` and detailed diffs are not used. */
export interface ProviderDiff {
    changes: DiffChanges;
    /** Properties whose change forces a replacement. */
    replaces: string[];
    deleteBeforeReplace: boolean;
    /** The provider's list of changed keys (DiffResponse.diffs); the dynamic host never sets it. */
    diffs?: string[];
}

export type CustomDecision =
    | { op: "create" }
    | { op: "same" }
    | { op: "update"; changedKeys: string[] }
    | { op: "replace"; changedKeys: string[]; replaceKeys: string[]; deleteBeforeReplace: boolean };

export interface CustomPlanInput {
    /** The prior state of this URN, if any (not a pending-delete copy). */
    old?: Pick<ResourceState, "inputs" | "external">;
    /** Checked new inputs. */
    news: PropertyMap;
    /** The provider's diff; required when there is a prior, non-external state. */
    diff?: ProviderDiff;
    ignoreChanges?: readonly string[];
    replaceOnChanges?: readonly string[];
    /** The program's `deleteBeforeReplace` option, only when the program set it (it then overrides the provider). */
    deleteBeforeReplace?: boolean;
}

/** True when the engine must ask the provider for a diff before deciding. */
export function needsDiff(old: Pick<ResourceState, "external"> | undefined): boolean {
    return old !== undefined && !old.external;
}

/**
 * Decides same/create/update/replace for a custom resource (step_generator.go: generateStepsFromDiff,
 * diffResource, applyReplaceOnChanges, continueStepsFromDiff).
 */
export function planCustomResource(input: CustomPlanInput): CustomDecision {
    const { old } = input;
    if (old === undefined) {
        return { op: "create" };
    }
    if (old.external) {
        // Taking over something that was only read: the engine creates its own and discards the read one.
        return { op: "replace", changedKeys: [], replaceKeys: [], deleteBeforeReplace: false };
    }
    if (input.diff === undefined) {
        throw new Error("planCustomResource: a diff is required for a resource with prior state");
    }
    const diff = input.diff;
    let changes = diff.changes;
    let changed = diff.diffs ?? [];
    /** The changed leaves when the engine made the diff itself (its detailed diff); none when the provider said. */
    let changedLeaves: string[] = [];
    if (changes === "unknown") {
        // The provider did not say: the engine compares old and new inputs itself, INCLUDING internal keys such as
        // `__provider` (so a change to the provider's code alone shows up as an update).
        const olds = unwrapSecretsMap(old.inputs);
        const news = unwrapSecretsMap(applyIgnoreChanges(input.news, old.inputs, input.ignoreChanges ?? []).inputs);
        const d = diffKeys(olds, news, { includeInternal: true });
        changes = anyChanges(d) ? "some" : "none";
        changed = changedKeys(d);
        // It also keeps a detailed diff, leaf by leaf (step_generator.go diffResource, NewDetailedDiffFromObjectDiff),
        // where a nested replaceOnChanges path such as `settings.zone` finds its change.
        const detailed = diffObjects(olds, news, () => true);
        changedLeaves = detailed ? changedPaths(detailed).map((leaf) => pathText(leaf.path)) : [];
    }
    if (changes !== "some") {
        return { op: "same" };
    }
    // replaceOnChanges sees the keys reported as changed and the engine's own detailed diff (applyReplaceOnChanges),
    // never more: a dynamic provider that answers `changes: true` reports no key, so the option has no effect for
    // it, exactly as in the Pulumi engine. A path covers a key (`settings` covers `settings`, not the other way
    // round), so a nested path acts only through the detailed diff, and replaces without naming a key, as in Go
    // (DiffResult.Replace looks at the detailed diff's kinds, ReplaceKeys only at changed keys).
    const replaceOnChanges = input.replaceOnChanges ?? [];
    const covered = (key: string) => replaceOnChanges.some((p) => pathContains(p, key));
    const replaceKeys = new Set(diff.replaces);
    for (const key of changed) {
        if (covered(key)) {
            replaceKeys.add(key);
        }
    }
    if (replaceKeys.size > 0 || changedLeaves.some(covered)) {
        return {
            op: "replace",
            changedKeys: changed,
            replaceKeys: [...replaceKeys].sort(),
            deleteBeforeReplace: input.deleteBeforeReplace ?? diff.deleteBeforeReplace,
        };
    }
    return { op: "update", changedKeys: changed };
}

/**
 * The diff the display shows for an update or replace: old inputs against new inputs, internal keys hidden, and,
 * when the provider named the changed keys, only those (rows.go getDiffInfo/writeShortDiff).
 */
export function displayDiff(oldInputs: PropertyMap, newInputs: PropertyMap, include: readonly string[] = []): KeyDiff {
    const d = diffKeys(oldInputs, newInputs);
    if (include.length === 0) {
        return d;
    }
    const keep = (k: string) => include.includes(k);
    return { adds: d.adds.filter(keep), deletes: d.deletes.filter(keep), updates: d.updates.filter(keep) };
}

/**
 * Does a property path (from replaceOnChanges or ignoreChanges) cover a property key? `a` covers `a` and `a.b`;
 * `*` matches any one segment.
 */
export function pathContains(path: string, key: string): boolean {
    const p = parsePropertyPath(path);
    const k = parsePropertyPath(key);
    if (p.length > k.length) {
        return false;
    }
    return p.every((seg, i) => seg === "*" || String(seg) === String(k[i]));
}

type RefreshDecision = { op: "delete" } | { op: "same" } | { op: "update"; diff: KeyDiff };

export interface RefreshPlanInput {
    old: Pick<ResourceState, "inputs" | "outputs" | "external" | "ignoreChanges">;
    /** What Read answered: an empty id when the object is gone; its inputs, or the old ones when it returned none. */
    read: { id: string; inputs: PropertyMap; outputs: PropertyMap };
    /**
     * The provider's Diff with the refreshed outputs as olds and the old inputs as news (step.go RefreshStep.Apply);
     * required for a managed resource that still exists.
     */
    diff?: ProviderDiff;
}

/**
 * Refresh (step.go RefreshStep.ResultOp): an empty id from Read means the object is gone; a resource that was only
 * read compares its outputs; a managed one is `same` or `update` as the provider's diff of what was read against
 * the program's last inputs says. A diff that cannot say makes the engine compare the refreshed inputs with the old
 * ones itself (step_generator.go diffResource): for a provider without `diff` whose read returns no inputs, drift
 * in the outputs alone is then `same`, as in the Pulumi engine. The key diff is what the display shows: outputs,
 * else inputs.
 */
export function planRefresh(input: RefreshPlanInput): RefreshDecision {
    const { old, read } = input;
    if (read.id === "") {
        return { op: "delete" };
    }
    const outputsDiff = diffKeys(unwrapSecretsMap(old.outputs), unwrapSecretsMap(read.outputs));
    const shown = anyChanges(outputsDiff) ? outputsDiff : diffKeys(old.inputs, read.inputs);
    if (old.external) {
        return anyChanges(outputsDiff) ? { op: "update", diff: outputsDiff } : { op: "same" };
    }
    if (input.diff === undefined) {
        throw new Error("planRefresh: a diff is required for a managed resource that still exists");
    }
    let changes = input.diff.changes;
    if (changes === "unknown") {
        const news = applyIgnoreChanges(old.inputs, read.inputs, old.ignoreChanges ?? []).inputs;
        changes = anyChanges(diffKeys(unwrapSecretsMap(read.inputs), unwrapSecretsMap(news), { includeInternal: true })) ? "some" : "none";
    }
    return changes === "some" ? { op: "update", diff: shown } : { op: "same" };
}

/** All resources a resource depends on: its parent, explicit and implicit dependencies, property dependencies. */
function dependencyUrns(r: Pick<ResourceState, "parent" | "dependencies" | "propertyDependencies">): string[] {
    const urns = new Set<string>();
    if (r.parent) {
        urns.add(r.parent);
    }
    for (const d of r.dependencies) {
        urns.add(d);
    }
    for (const deps of Object.values(r.propertyDependencies)) {
        for (const d of deps) {
            urns.add(d);
        }
    }
    return [...urns];
}

type GraphNode = Pick<ResourceState, "urn" | "parent" | "dependencies" | "propertyDependencies">;

/**
 * Orders resources so that every resource comes after everything it depends on; among unrelated resources the
 * original order is kept. Several entries may share a URN (a live resource and its pending-delete predecessor):
 * a dependency on that URN is a dependency on all of them.
 */
export function dependencyOrder<T extends GraphNode>(entries: readonly T[]): T[] {
    const byUrn = new Map<string, T[]>();
    for (const e of entries) {
        byUrn.set(e.urn, [...(byUrn.get(e.urn) ?? []), e]);
    }
    const done = new Set<T>();
    const visiting = new Set<T>();
    const order: T[] = [];
    const visit = (e: T) => {
        if (done.has(e) || visiting.has(e)) {
            return; // a cycle cannot come from a real program; do not loop on a hand-edited state file
        }
        visiting.add(e);
        for (const urn of dependencyUrns(e)) {
            for (const dep of byUrn.get(urn) ?? []) {
                if (dep !== e) {
                    visit(dep);
                }
            }
        }
        visiting.delete(e);
        done.add(e);
        order.push(e);
    };
    entries.forEach(visit);
    return order;
}

/**
 * The order in which to delete `targets`: reverse dependency order computed over the whole state, so that a
 * resource is deleted only after everything that depends on it, even through resources that are not deleted.
 */
export function deletionOrder<T extends GraphNode>(all: readonly T[], targets: ReadonlySet<T>): T[] {
    return dependencyOrder(all).filter((e) => targets.has(e)).reverse();
}

/**
 * The deletions of `targets` in waves (step_generator.go ScheduleDeletes): a target's level is one more than the
 * highest level among the targets it depends on, directly or through resources that are not deleted; the waves go
 * from the highest level down, so everything that depends on a resource is gone before it. Each wave keeps the
 * order of deletionOrder, so one worker deletes in the order a serial engine would.
 */
export function deletionWaves<T extends GraphNode>(all: readonly T[], targets: ReadonlySet<T>): T[][] {
    const byUrn = new Map<string, T[]>();
    for (const e of all) {
        byUrn.set(e.urn, [...(byUrn.get(e.urn) ?? []), e]);
    }
    // For each entry: the highest level of a target among what it depends on (-1: none).
    const below = new Map<T, number>();
    const level = new Map<T, number>();
    for (const e of dependencyOrder(all)) {
        let highest = -1;
        for (const urn of dependencyUrns(e)) {
            for (const dep of byUrn.get(urn) ?? []) {
                if (dep === e) continue;
                highest = Math.max(highest, level.get(dep) ?? below.get(dep) ?? -1);
            }
        }
        below.set(e, highest);
        if (targets.has(e)) level.set(e, highest + 1);
    }
    const waves: T[][] = [];
    for (const e of deletionOrder(all, targets)) {
        const l = level.get(e)!;
        (waves[l] ??= []).push(e);
    }
    return waves.filter(Boolean).reverse();
}

/** Every resource that depends on `rootUrn`, directly or transitively, in dependency order. */
export function transitiveDependents<T extends GraphNode>(all: readonly T[], rootUrn: string): T[] {
    const reached = new Set<string>([rootUrn]);
    const result: T[] = [];
    for (const e of dependencyOrder(all)) {
        if (e.urn !== rootUrn && dependencyUrns(e).some((u) => reached.has(u))) {
            reached.add(e.urn);
            result.push(e);
        }
    }
    return result;
}

/**
 * For delete-before-replace: the inputs a dependent would have once the resources in `replaceSet` are recreated.
 * Every input whose value came from one of them becomes unknown. Returns undefined when no input is affected, so
 * the dependent cannot be forced to be replaced (step_generator.go calculateDependentReplacements).
 */
export function inputsAfterDependencyReplacement(
    r: Pick<ResourceState, "inputs" | "propertyDependencies">,
    replaceSet: ReadonlySet<string>,
): PropertyMap | undefined {
    let affected = false;
    const inputs: PropertyMap = {};
    for (const [key, value] of Object.entries(r.inputs)) {
        if ((r.propertyDependencies[key] ?? []).some((u) => replaceSet.has(u))) {
            affected = true;
            inputs[key] = unknownValue;
        } else {
            inputs[key] = value;
        }
    }
    return affected ? inputs : undefined;
}
