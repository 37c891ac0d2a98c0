// Rules across the fields of one object: a node runs an image xor a model, an alias lists each node once,
// an organization lists each subject once. Values unknown in preview leave a rule undecided.
import { describe, expect, it } from "vitest";
import { KIND_NAMES } from "../../provider/model/kinds";
import { UNKNOWN } from "../../provider/plan/unknown";
import { specRuleFailures } from "../../provider/rules/spec-rules";

const NODE_A = "nodaaaaaaaaaaaaaaaaa";
const NODE_B = "nodbbbbbbbbbbbbbbbbb";

describe("Node: image xor modelId", () => {
    it.each([
        ["an image", { image: "cr.example.net/a/b:1" }],
        ["a model", { modelId: "mdlaaaaaaaaaaaaaaaaa" }],
        ["an image and a null model", { image: "a:1", modelId: null }],
        ["an unknown image", { image: UNKNOWN }],
        ["an unknown model next to an image", { image: "a:1", modelId: UNKNOWN }],
    ])("accepts %s", (_label, spec) => {
        expect(specRuleFailures("Node", spec)).toEqual([]);
    });

    it("needs one of them", () => {
        const expected = [{
            property: "image",
            reason: "is required unless modelId is set, got nothing. Set exactly one of image (a Docker image reference) or modelId (a Model's id).",
        }];
        expect(specRuleFailures("Node", {})).toEqual(expected);
        expect(specRuleFailures("Node", { image: null, modelId: null })).toEqual(expected);
    });

    it("refuses both", () => {
        expect(specRuleFailures("Node", { image: "a:1", modelId: "mdlaaaaaaaaaaaaaaaaa" })).toEqual([{
            property: "modelId", reason: "cannot be set together with image. Set exactly one of image or modelId.",
        }]);
    });
});

describe("Alias: each node once", () => {
    it.each([
        ["distinct nodes", [{ nodeId: NODE_A, weight: 1 }, { nodeId: NODE_B, weight: 2 }]],
        ["one node", [{ nodeId: NODE_A, weight: 1 }]],
        ["an unknown node id", [{ nodeId: NODE_A, weight: 1 }, { nodeId: UNKNOWN, weight: 1 }]],
    ])("accepts %s", (_label, nodes) => {
        expect(specRuleFailures("Alias", { nodes })).toEqual([]);
    });

    it("leaves a list that is not a list to field validation", () => {
        expect(specRuleFailures("Alias", { nodes: "x" })).toEqual([]);
        expect(specRuleFailures("Alias", {})).toEqual([]);
    });

    it("refuses a node listed twice, naming it", () => {
        expect(specRuleFailures("Alias", { nodes: [{ nodeId: NODE_A, weight: 1 }, { nodeId: NODE_B, weight: 1 }, { nodeId: NODE_A, weight: 5 }] })).toEqual([{
            property: "nodes",
            reason: `lists node "${NODE_A}" more than once. List each node once and give it the combined weight.`,
        }]);
    });
});

describe("Organization: each subject once", () => {
    it.each([
        ["distinct admins and members", { admins: ["userAccount:a"], members: ["userAccount:b", "group:c"] }],
        ["no lists", {}],
        ["unknown subjects", { admins: [UNKNOWN], members: [UNKNOWN] }],
    ])("accepts %s", (_label, spec) => {
        expect(specRuleFailures("Organization", spec)).toEqual([]);
    });

    it.each([
        ["in admins", { admins: ["userAccount:a", "userAccount:a"] }],
        ["in members", { members: ["userAccount:b", "userAccount:a", "userAccount:a"] }],
        ["across admins and members", { admins: ["userAccount:a"], members: ["userAccount:a"] }],
    ])("refuses a subject listed twice %s", (_label, spec) => {
        expect(specRuleFailures("Organization", spec)).toEqual([{
            property: "members",
            reason: 'lists "userAccount:a" more than once (admins and members together). List each subject once; admins are members already.',
        }]);
    });
});

describe("other kinds", () => {
    it("have no cross-field rules", () => {
        for (const kind of KIND_NAMES.filter((k) => !["Node", "Alias", "Organization"].includes(k))) {
            expect(specRuleFailures(kind, { image: "a", nodes: [{ nodeId: "x" }, { nodeId: "x" }], admins: ["a", "a"] })).toEqual([]);
        }
    });
});
