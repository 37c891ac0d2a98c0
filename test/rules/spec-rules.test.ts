// Rules across the fields of one object: a node runs an image xor a model, an alias lists each node once,
// an organization lists each subject once. A value unknown in preview counts as set; only comparisons with
// the unknown value itself are left undecided.
import { describe, expect, it } from "vitest";
import { KIND_NAMES } from "../../provider/model/kinds";
import { UNKNOWN } from "../../provider/model/unknown";
import { specRuleFailures } from "../../provider/rules/kind-rules";

const NODE_A = "nodaaaaaaaaaaaaaaaaa";
const NODE_B = "nodbbbbbbbbbbbbbbbbb";
const NODE_C = "nodccccccccccccccccc";

describe("Node: image xor modelId", () => {
    it.each([
        ["an image", { image: "cr.example.net/a/b:1" }],
        ["a model", { modelId: "mdlaaaaaaaaaaaaaaaaa" }],
        ["an image and a null model", { image: "a:1", modelId: null }],
        ["an unknown image", { image: UNKNOWN }],
        ["an unknown model", { modelId: UNKNOWN }],
        ["an unknown model next to a null image", { image: null, modelId: UNKNOWN }],
    ])("accepts %s", (_label, spec) => {
        expect(specRuleFailures("Node", spec)).toEqual([]);
    });

    it("needs one of them", () => {
        const expected = [{
            property: "image",
            reason: "is required unless model is set, got nothing. Set exactly one of image (a Docker image reference) or model (a Model).",
        }];
        expect(specRuleFailures("Node", {})).toEqual(expected);
        expect(specRuleFailures("Node", { image: null, modelId: null })).toEqual(expected);
    });

    // An unknown value is still a value: the node would have both, whatever they turn out to be.
    it.each([
        ["both known", { image: "a:1", modelId: "mdlaaaaaaaaaaaaaaaaa" }],
        ["an image and an unknown model", { image: "a:1", modelId: UNKNOWN }],
        ["an unknown image and a model", { image: UNKNOWN, modelId: "mdlaaaaaaaaaaaaaaaaa" }],
        ["both unknown", { image: UNKNOWN, modelId: UNKNOWN }],
        ["a bad image and a bad model (field validation reports them too)", { image: 5, modelId: "x" }],
    ])("refuses %s", (_label, spec) => {
        expect(specRuleFailures("Node", spec)).toEqual([{
            property: "modelId", reason: "cannot be set together with image. Set exactly one of image or model.",
        }]);
    });
});

describe("Alias: each node once", () => {
    const n = (nodeId: unknown, weight = 1) => ({ nodeId, weight });

    it.each([
        ["distinct nodes", [n(NODE_A), n(NODE_B, 2)]],
        ["one node", [n(NODE_A)]],
        ["an unknown node id", [n(NODE_A), n(UNKNOWN)]],
        ["two unknown node ids (the same node or not: undecided)", [n(UNKNOWN), n(UNKNOWN)]],
        ["items that are not objects (field validation reports them)", [NODE_A, NODE_A, null, UNKNOWN, UNKNOWN]],
    ])("accepts %s", (_label, nodes) => {
        expect(specRuleFailures("Alias", { nodes })).toEqual([]);
    });

    it("leaves a list that is not a list to field validation", () => {
        expect(specRuleFailures("Alias", { nodes: "x" })).toEqual([]);
        expect(specRuleFailures("Alias", { nodes: UNKNOWN })).toEqual([]);
        expect(specRuleFailures("Alias", {})).toEqual([]);
    });

    it.each([
        ["listed twice", [n(NODE_A), n(NODE_B), n(NODE_A, 5)], [["nodes.2", "nodes.0", NODE_A]]],
        ["listed twice among unknown ids", [n(UNKNOWN), n(NODE_A), n(UNKNOWN), n(NODE_A)], [["nodes.3", "nodes.1", NODE_A]]],
        ["listed three times, and another twice", [n(NODE_A), n(NODE_B), n(NODE_A), n(NODE_C), n(NODE_B), n(NODE_A)],
            [["nodes.2", "nodes.0", NODE_A], ["nodes.4", "nodes.1", NODE_B], ["nodes.5", "nodes.0", NODE_A]]],
        ["listed twice in a list too long", Array.from({ length: 11 }, (_, i) => n(i === 0 || i === 10 ? NODE_B : UNKNOWN)),
            [["nodes.10", "nodes.0", NODE_B]]],
    ] as const)("refuses a node %s, at the repeat, naming it and the first", (_label, nodes, expected) => {
        expect(specRuleFailures("Alias", { nodes })).toEqual(expected.map(([at, first, id]) => ({
            property: at,
            reason: `repeats the node of ${first}, got "${id}". List each node once and give it the combined weight.`,
        })));
    });

    it("hides the node ids when nodes arrived secret", () => {
        expect(specRuleFailures("Alias", { nodes: [n(NODE_A), n(NODE_A)] }, (field) => field === "nodes")).toEqual([{
            property: "nodes.1", reason: "repeats the node of nodes.0, got [secret]. List each node once and give it the combined weight.",
        }]);
    });
});

describe("Organization: each subject once", () => {
    it.each([
        ["distinct admins and members", { admins: ["userAccount:a"], members: ["userAccount:b", "group:c"] }],
        ["no lists", {}],
        ["unknown subjects", { admins: [UNKNOWN], members: [UNKNOWN] }],
        ["an unknown list", { admins: UNKNOWN, members: ["userAccount:a"] }],
    ])("accepts %s", (_label, spec) => {
        expect(specRuleFailures("Organization", spec)).toEqual([]);
    });

    it.each([
        ["in admins", { admins: ["userAccount:a", "userAccount:a"] }, "admins.1", "admins.0"],
        ["in members", { members: ["userAccount:b", "userAccount:a", "userAccount:a"] }, "members.2", "members.1"],
        ["across admins and members", { admins: ["userAccount:a"], members: ["userAccount:a"] }, "members.0", "admins.0"],
        ["next to unknown ones", { admins: [UNKNOWN, "userAccount:a"], members: [UNKNOWN, "userAccount:a"] }, "members.1", "admins.1"],
    ])("refuses a subject listed twice %s", (_label, spec, at, first) => {
        expect(specRuleFailures("Organization", spec)).toEqual([{
            property: at,
            reason: `repeats the subject of ${first}, got "userAccount:a". List each subject once; admins are members already.`,
        }]);
    });

    it("reports every repeat, and hides the subjects when either list arrived secret", () => {
        const spec = { admins: ["userAccount:a", "userAccount:b"], members: ["userAccount:b", "userAccount:a"] };
        expect(specRuleFailures("Organization", spec).map((f) => f.property)).toEqual(["members.0", "members.1"]);
        const hidden = specRuleFailures("Organization", spec, (field) => field === "members");
        expect(hidden).toHaveLength(2);
        for (const f of hidden) {
            expect(f.reason).toContain("got [secret].");
            expect(f.reason).not.toContain("userAccount");
        }
    });
});

describe("other kinds", () => {
    it("have no cross-field rules", () => {
        for (const kind of KIND_NAMES.filter((k) => !["Node", "Alias", "Organization"].includes(k))) {
            expect(specRuleFailures(kind, { image: "a", nodes: [{ nodeId: "x" }, { nodeId: "x" }], admins: ["a", "a"] })).toEqual([]);
        }
    });
});
