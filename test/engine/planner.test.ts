// The pure step planner and value helpers, table-driven. The expected decisions follow the Pulumi engine
// (pkg/resource/deploy/step_generator.go); each row says why.
import { describe, expect, it } from "vitest";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import {
    deletionOrder,
    deletionWaves,
    dependencyOrder,
    displayDiff,
    inputsAfterDependencyReplacement,
    needsDiff,
    pathContains,
    planCustomResource,
    planRefresh,
    transitiveDependents,
    type CustomDecision,
    type CustomPlanInput,
    type ProviderDiff,
} from "../../engine/planner";
import type { ResourceState } from "../../engine/types";
import { makeUrn, parseUrn } from "../../engine/urn";
import {
    annotateSecrets,
    diffKeys,
    formatKeyDiff,
    makeSecret,
    renderValue,
    secretOutputs,
    type PropertyMap,
} from "../../engine/values";

const secret = makeSecret;
const diff = (changes: ProviderDiff["changes"], replaces: string[] = [], deleteBeforeReplace = false): ProviderDiff => ({ changes, replaces, deleteBeforeReplace });
const old = (inputs: PropertyMap) => ({ inputs });

describe("planCustomResource", () => {
    const rows: [string, CustomPlanInput, CustomDecision][] = [
        ["no prior state: create", { news: { a: 1 } }, { op: "create" }],
        ["provider says no changes: same", { old: old({ a: 1 }), news: { a: 2 }, diff: diff("none") }, { op: "same" }],
        ["no changes wins over replaces", { old: old({ a: 1 }), news: { a: 2 }, diff: diff("none", ["a"]) }, { op: "same" }],
        ["changes without replaces: update", { old: old({ a: 1 }), news: { a: 2 }, diff: diff("some") }, { op: "update", changedKeys: [] }],
        [
            "replaces: replace, create before delete by default",
            { old: old({ zone: "a" }), news: { zone: "b" }, diff: diff("some", ["zone"]) },
            { op: "replace", changedKeys: [], replaceKeys: ["zone"], deleteBeforeReplace: false },
        ],
        [
            "the provider asks to delete first",
            { old: old({ zone: "a" }), news: { zone: "b" }, diff: diff("some", ["zone"], true) },
            { op: "replace", changedKeys: [], replaceKeys: ["zone"], deleteBeforeReplace: true },
        ],
        [
            "the program's deleteBeforeReplace=false overrides the provider",
            { old: old({ zone: "a" }), news: { zone: "b" }, diff: diff("some", ["zone"], true), deleteBeforeReplace: false },
            { op: "replace", changedKeys: [], replaceKeys: ["zone"], deleteBeforeReplace: false },
        ],
        [
            "the program's deleteBeforeReplace=true overrides the provider",
            { old: old({ zone: "a" }), news: { zone: "b" }, diff: diff("some", ["zone"]), deleteBeforeReplace: true },
            { op: "replace", changedKeys: [], replaceKeys: ["zone"], deleteBeforeReplace: true },
        ],
        [
            "unknown diff: the engine compares inputs, and finds a change",
            { old: old({ a: 1, b: 1 }), news: { a: 1, b: 2 }, diff: diff("unknown") },
            { op: "update", changedKeys: ["b"] },
        ],
        ["unknown diff without input changes: same", { old: old({ a: 1 }), news: { a: 1 }, diff: diff("unknown") }, { op: "same" }],
        [
            "unknown diff counts __provider (new provider code alone is an update)",
            { old: old({ __provider: "v1", a: 1 }), news: { __provider: "v2", a: 1 }, diff: diff("unknown") },
            { op: "update", changedKeys: ["__provider"] },
        ],
        [
            "unknown diff: a value that only became secret is no change",
            { old: old({ a: "x" }), news: { a: secret("x") }, diff: diff("unknown") },
            { op: "same" },
        ],
        [
            "unknown diff with the provider's replaces: replace",
            { old: old({ zone: "a" }), news: { zone: "b" }, diff: diff("unknown", ["zone"]) },
            { op: "replace", changedKeys: ["zone"], replaceKeys: ["zone"], deleteBeforeReplace: false },
        ],
        [
            "unknown diff: ignoreChanges hides the ignored key",
            { old: old({ a: 1, tag: "x" }), news: { a: 1, tag: "y" }, diff: diff("unknown"), ignoreChanges: ["tag"] },
            { op: "same" },
        ],
        [
            "replaceOnChanges acts on keys the engine found changed",
            { old: old({ a: 1, size: 1 }), news: { a: 1, size: 2 }, diff: diff("unknown"), replaceOnChanges: ["size"] },
            { op: "replace", changedKeys: ["size"], replaceKeys: ["size"], deleteBeforeReplace: false },
        ],
        [
            // step_generator.go applyReplaceOnChanges: the engine's detailed diff holds settings.zone, which the path
            // contains; ReplaceKeys stay empty since the changed key `settings` is not under the path.
            "a nested replaceOnChanges path replaces on a change the engine found under it",
            { old: old({ settings: { zone: "a", size: 1 } }), news: { settings: { zone: "b", size: 1 } }, diff: diff("unknown"), replaceOnChanges: ["settings.zone"] },
            { op: "replace", changedKeys: ["settings"], replaceKeys: [], deleteBeforeReplace: false },
        ],
        [
            "a nested replaceOnChanges path does not replace on a change beside it",
            { old: old({ settings: { zone: "a", size: 1 } }), news: { settings: { zone: "a", size: 2 } }, diff: diff("unknown"), replaceOnChanges: ["settings.zone"] },
            { op: "update", changedKeys: ["settings"] },
        ],
        [
            "a wildcard replaceOnChanges path reaches into arrays of the engine's diff",
            { old: old({ nodes: [{ zone: "a" }] }), news: { nodes: [{ zone: "b" }] }, diff: diff("unknown"), replaceOnChanges: ["nodes[*].zone"] },
            { op: "replace", changedKeys: ["nodes"], replaceKeys: [], deleteBeforeReplace: false },
        ],
        [
            "replaceOnChanges cannot act when the provider answered changes=true without naming keys (as in Pulumi)",
            { old: old({ size: 1 }), news: { size: 2 }, diff: diff("some"), replaceOnChanges: ["size"] },
            { op: "update", changedKeys: [] },
        ],
        [
            "replaceOnChanges uses the provider's named diffs",
            { old: old({ size: 1 }), news: { size: 2 }, diff: { ...diff("some"), diffs: ["size"] }, replaceOnChanges: ["*"] },
            { op: "replace", changedKeys: ["size"], replaceKeys: ["size"], deleteBeforeReplace: false },
        ],
        [
            "a resource that was only read is taken over by a replacement",
            { old: { inputs: {}, external: true }, news: { a: 1 } },
            { op: "replace", changedKeys: [], replaceKeys: [], deleteBeforeReplace: false },
        ],
    ];
    it.each(rows)("%s", (_why, input, expected) => {
        expect(planCustomResource(input)).toEqual(expected);
    });

    it("needs the provider's diff for a managed resource with prior state", () => {
        expect(needsDiff(undefined)).toBe(false);
        expect(needsDiff({ external: true })).toBe(false);
        expect(needsDiff({})).toBe(true);
        expect(() => planCustomResource({ old: old({}), news: {} })).toThrow(/diff is required/);
    });
});

describe("displayDiff and the short diff text", () => {
    const rows: [string, PropertyMap, PropertyMap, string[], string][] = [
        ["updates, adds and deletes, sorted", { b: 1, a: 1, gone: 1 }, { b: 2, a: 2, added: 1 }, [], "+added-gone~a,b"],
        ["internal keys are never shown", { __provider: "x", a: 1 }, { __provider: "y", a: 2 }, [], "~a"],
        ["null counts as absent", { a: null }, { a: 1, b: null }, [], "+a"],
        ["nested changes show the top-level key", { spec: { x: 1, y: [1] } }, { spec: { x: 1, y: [2] } }, [], "~spec"],
        ["key order inside objects is no change", { o: { a: 1, b: 2 } }, { o: { b: 2, a: 1 } }, [], ""],
        ["secrets are compared by value", { p: secret("x") }, { p: "x" }, [], ""],
        ["the provider's named keys filter the display", { a: 1, b: 1 }, { a: 2, b: 2 }, ["b"], "~b"],
    ];
    it.each(rows)("%s", (_why, olds, news, include, expected) => {
        expect(formatKeyDiff(displayDiff(olds, news, include))).toBe(expected);
    });
});

describe("pathContains", () => {
    it.each([
        ["a", "a", true],
        ["a", "a.b", true],
        ["a.b", "a", false],
        ["*", "anything", true],
        ["tags[0]", "tags[0]", true],
        ["tags", "tag", false],
    ])("%s covers %s: %s", (path, key, expected) => {
        expect(pathContains(path, key)).toBe(expected);
    });
});

describe("planRefresh", () => {
    // step.go RefreshStep.ResultOp: the provider's diff of what was read against the old inputs decides.
    const state = (inputs: PropertyMap, outputs: PropertyMap, extra: { external?: boolean; ignoreChanges?: string[] } = {}) => ({ inputs, outputs, ...extra });
    it.each<[string, Parameters<typeof planRefresh>[0], unknown]>([
        ["an empty id means the object is gone", { old: state({ a: 1 }, { a: 1 }), read: { id: "", inputs: {}, outputs: {} } }, { op: "delete" }],
        ["the provider sees no change: same, even when outputs changed", { old: state({ a: 1 }, { a: 1, g: 1 }), read: { id: "i", inputs: { a: 1 }, outputs: { a: 1, g: 2 } }, diff: diff("none") }, { op: "same" }],
        ["the provider sees a change: update, showing the outputs that changed", { old: state({ a: 1 }, { a: 1, b: 1 }), read: { id: "i", inputs: { a: 1 }, outputs: { a: 2, b: 1, c: 1 } }, diff: diff("some") }, { op: "update", diff: { adds: ["c"], deletes: [], updates: ["a"] } }],
        ["a change in the inputs alone shows the inputs", { old: state({ a: 1 }, { x: 1 }), read: { id: "i", inputs: { a: 2 }, outputs: { x: 1 } }, diff: diff("some") }, { op: "update", diff: { adds: [], deletes: [], updates: ["a"] } }],
        ["no answer, the read returned no inputs: same however the outputs drifted", { old: state({ a: 1 }, { a: 1 }), read: { id: "i", inputs: { a: 1 }, outputs: { a: 9 } }, diff: diff("unknown") }, { op: "same" }],
        ["no answer, the read's inputs differ: update", { old: state({ a: 1 }, { a: 1 }), read: { id: "i", inputs: { a: 9 }, outputs: { a: 9 } }, diff: diff("unknown") }, { op: "update", diff: { adds: [], deletes: [], updates: ["a"] } }],
        ["no answer, the drift is in an ignored path: same", { old: state({ a: 1, b: 1 }, {}, { ignoreChanges: ["a"] }), read: { id: "i", inputs: { a: 9, b: 1 }, outputs: {} }, diff: diff("unknown") }, { op: "same" }],
        ["a secret that only became secret is no change", { old: state({ s: secret("x") }, {}), read: { id: "i", inputs: { s: "x" }, outputs: {} }, diff: diff("unknown") }, { op: "same" }],
        ["an object only read compares its outputs", { old: state({}, { a: 1 }, { external: true }), read: { id: "i", inputs: {}, outputs: { a: 2 } } }, { op: "update", diff: { adds: [], deletes: [], updates: ["a"] } }],
        ["an object only read with the same outputs: same", { old: state({}, { a: 1, s: secret("x") }, { external: true }), read: { id: "i", inputs: {}, outputs: { a: 1, s: "x" } } }, { op: "same" }],
    ])("%s", (_why, input, expected) => {
        expect(planRefresh(input)).toEqual(expected);
    });
});

describe("dependency ordering", () => {
    const r = (name: string, deps: { parent?: string; dependencies?: string[]; props?: Record<string, string[]> } = {}, extra: Partial<ResourceState> = {}): ResourceState => ({
        urn: name,
        type: "t",
        custom: true,
        inputs: {},
        outputs: {},
        ...(deps.parent ? { parent: deps.parent } : {}),
        dependencies: deps.dependencies ?? [],
        propertyDependencies: deps.props ?? {},
        ...extra,
    });
    const names = (rs: ResourceState[]) => rs.map((x) => x.urn + (x.delete ? "(old)" : ""));

    it("puts dependencies first through parents, dependencies and property dependencies, keeping the given order otherwise", () => {
        const all = [r("c", { props: { x: ["b"] } }), r("x"), r("b", { dependencies: ["a"] }), r("a", { parent: "stack" }), r("stack")];
        expect(names(dependencyOrder(all))).toEqual(["stack", "a", "b", "c", "x"]);
    });

    it("deletes in reverse dependency order, computed over the whole state", () => {
        // c depends on a only through b, which is not deleted: c must still go before a.
        const all = [r("a"), r("b", { dependencies: ["a"] }), r("c", { dependencies: ["b"] }), r("d")];
        const targets = new Set([all[0], all[2], all[3]]);
        expect(names(deletionOrder(all, targets))).toEqual(["d", "c", "a"]);
    });

    it("deletes in waves, dependents first, each wave what no remaining deletion depends on (ScheduleDeletes)", () => {
        // a <- b <- c, and a <- d; e alone; f depends on a only through kept, which is not deleted.
        const all = [r("a"), r("b", { dependencies: ["a"] }), r("c", { parent: "b" }), r("d", { props: { x: ["a"] } }), r("e"), r("kept", { dependencies: ["a"] }), r("f", { dependencies: ["kept"] })];
        const targets = new Set(all.filter((x) => x.urn !== "kept"));
        expect(deletionWaves(all, targets).map(names)).toEqual([["c"], ["f", "d", "b"], ["e", "a"]]);
        // One worker deletes wave after wave, each in deletionOrder's order: a valid serial order.
        const serial = deletionWaves(all, targets).flat();
        for (const [i, x] of serial.entries()) {
            expect(serial.slice(i + 1).some((later) => later.dependencies.includes(x.urn) || later.parent === x.urn)).toBe(false);
        }
        expect(deletionWaves(all, new Set())).toEqual([]);
    });

    it("treats a pending-delete copy as sharing its URN's dependents", () => {
        const live = r("a");
        const condemned = r("a", {}, { delete: true });
        const b = r("b", { dependencies: ["a"] });
        expect(names(deletionOrder([live, b, condemned], new Set([condemned, b])))).toEqual(["b", "a(old)"]);
    });

    it("does not loop on a cycle in a hand-edited state", () => {
        const all = [r("a", { dependencies: ["b"] }), r("b", { dependencies: ["a"] })];
        expect(names(dependencyOrder(all)).sort()).toEqual(["a", "b"]);
    });

    it("finds transitive dependents in dependency order", () => {
        const all = [r("root"), r("b", { props: { x: ["root"] } }), r("other"), r("c", { parent: "b" }), r("d", { dependencies: ["c"] })];
        expect(names(transitiveDependents(all, "root"))).toEqual(["b", "c", "d"]);
    });

    it("makes unknown the inputs that came from a replaced resource", () => {
        const dep = r("b", { props: { zone: ["a"], name: [] } }, { inputs: { zone: "z1", name: "b" } });
        expect(inputsAfterDependencyReplacement(dep, new Set(["a"]))).toEqual({ zone: unknownValue, name: "b" });
        expect(inputsAfterDependencyReplacement(dep, new Set(["other"]))).toBeUndefined();
    });
});

describe("secrets through a provider that does not accept them", () => {
    it.each<[string, PropertyMap, PropertyMap, PropertyMap]>([
        ["an output named like a secret input becomes secret", { pw: "x", user: "u" }, { pw: secret("x"), user: "u" }, { pw: secret("x"), user: "u" }],
        ["objects on both sides are annotated inside", { o: { a: 1, b: 2 } }, { o: { a: secret(1), b: 2 } }, { o: { a: secret(1), b: 2 } }],
        ["a secret nested in an array input makes the whole output secret", { l: [1, 2] }, { l: [secret(1), 2] }, { l: secret([1, 2]) }],
        ["outputs without a matching input are left alone", { id: "x" }, { pw: secret("x") }, { id: "x" }],
    ])("%s", (_why, outs, ins, expected) => {
        expect(annotateSecrets(outs, ins)).toEqual(expected);
    });

    it("marks additionalSecretOutputs and outputs of secret inputs after every step", () => {
        expect(secretOutputs({ a: 1, b: 2, c: 3 }, { c: secret(3) }, ["a", "missing"])).toEqual({ a: secret(1), b: 2, c: secret(3) });
    });
});

describe("values", () => {
    it("renders values for messages as JSON, secrets and unknowns redacted", () => {
        expect(renderValue(20)).toBe("20");
        expect(renderValue("x")).toBe('"x"');
        expect(renderValue({ a: secret(1) })).toBe('{"a":"[secret]"}');
        expect(renderValue(secret("x"))).toBe("[secret]");
        expect(renderValue(unknownValue)).toBe("output<string>");
        expect(renderValue(undefined)).toBe("null");
    });

    it("diffs top-level keys", () => {
        expect(diffKeys({ a: 1, b: 2 }, { a: 1, b: 3, c: 1 })).toEqual({ adds: ["c"], deletes: [], updates: ["b"] });
    });
});

describe("URNs", () => {
    it.each([
        ["a resource of the stack", "", "pulumi-nodejs:dynamic:Resource", "r", "urn:pulumi:dev::proj::pulumi-nodejs:dynamic:Resource::r"],
        ["the stack is never a prefix", "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev", "t:m:T", "r", "urn:pulumi:dev::proj::t:m:T::r"],
        ["a component parent prefixes its qualified type", "urn:pulumi:dev::proj::a:b:Outer$a:b:Inner::c", "t:m:T", "r", "urn:pulumi:dev::proj::a:b:Outer$a:b:Inner$t:m:T::r"],
    ])("%s", (_why, parent, type, name, expected) => {
        expect(makeUrn("dev", "proj", parent, type, name)).toBe(expected);
    });

    it("parses names that contain '::'", () => {
        expect(parseUrn("urn:pulumi:dev::proj::a:b:C$t:m:T::x::y")).toEqual({
            stack: "dev",
            project: "proj",
            qualifiedType: "a:b:C$t:m:T",
            type: "t:m:T",
            name: "x::y",
        });
    });
});
