// ignoreChanges paths, table-driven: each row is a case of the Pulumi engine's PropertyPath.reset
// (sdk/go/common/resource/properties_path.go) as processIgnoreChanges (pkg/resource/deploy/step_generator.go) uses it.
import { describe, expect, it } from "vitest";
import { applyIgnoreChanges, invalidIgnorePathsMessage, parseIgnorePath } from "../../engine/property-path";
import { makeSecret as secret, type PropertyMap } from "../../engine/values";

describe("parseIgnorePath", () => {
    it.each<[string, (string | number)[] | undefined]>([
        ["a", ["a"]],
        ["spec.limits[0].max", ["spec", "limits", 0, "max"]],
        ['tags["a.b"]', ["tags", "a.b"]],
        ['tags["say \\"hi\\""]', ["tags", 'say "hi"']],
        ["items[*].name", ["items", "*", "name"]],
        ["a.*", ["a", "*"]],
        ["a.[0]", ["a", 0]],
        ["foo-bar", ["foo-bar"]],
        ["a[-1]", ["a", -1]],
        // What the engine cannot parse it skips without a word.
        [".a", undefined],
        ["a.", undefined],
        ["a[x]", undefined],
        ["a[0", undefined],
        ['a["b', undefined],
        ['a["b"x', undefined],
    ])("%s", (path, expected) => {
        expect(parseIgnorePath(path)).toEqual(expected);
    });
});

describe("applyIgnoreChanges", () => {
    // [why, new inputs, old inputs, paths, the inputs after, the paths reported]
    const rows: [string, PropertyMap, PropertyMap, string[], PropertyMap, string[]][] = [
        ["takes the old value", { a: 2, b: 2 }, { a: 1, b: 1 }, ["a"], { a: 1, b: 2 }, []],
        ["removes a key the old inputs lacked", { a: 2, b: 2 }, { b: 1 }, ["a"], { b: 2 }, []],
        ["re-creates a leaf key the new inputs lack", { b: 2 }, { a: 1, b: 1 }, ["a"], { a: 1, b: 2 }, []],
        ["works on nested paths", { spec: { x: 2, y: 2 } }, { spec: { x: 1, y: 1 } }, ["spec.x"], { spec: { x: 1, y: 2 } }, []],
        ["re-creates a nested leaf", { spec: { y: 2 } }, { spec: { x: 1 } }, ["spec.x"], { spec: { x: 1, y: 2 } }, []],
        ["never creates a missing parent", { a: 1 }, { spec: { x: 1 } }, ["spec.x"], { a: 1 }, ["spec.x"]],
        ["a parent neither side has is fine", { a: 1 }, { b: 1 }, ["spec.x"], { a: 1 }, []],
        ["a parent that is an object on one side only cannot be walked", { spec: 5 }, { spec: { x: 1 } }, ["spec.x"], { spec: 5 }, ["spec.x"]],
        ["a leaf key needs an object to go in", { spec: 5 }, { spec: { x: 1 } }, ["spec.x.y"], { spec: 5 }, ["spec.x.y"]],
        ["* resets every key of an object", { tags: { a: 2, c: 3 } }, { tags: { a: 1, b: 1 } }, ["tags.*"], { tags: { a: 1, b: 1 } }, []],
        ["* at the top resets everything", { a: 2, c: 3 }, { a: 1, b: 1 }, ["*"], { a: 1, b: 1 }, []],
        ["[*] walks every element", { l: [{ n: 2, k: 1 }, { n: 3 }] }, { l: [{ n: 1 }, { n: 1 }] }, ["l[*].n"], { l: [{ n: 1, k: 1 }, { n: 1 }] }, []],
        ["[*] over arrays of different lengths resets the common part and is reported", { l: [9, 9, 9] }, { l: [1, 2] }, ["l[*]"], { l: [1, 2, 9] }, ["l[*]"]],
        ["an index both arrays have is reset", { l: [9, 9] }, { l: [1, 2] }, ["l[1]"], { l: [9, 2] }, []],
        ["an index neither array has is fine", { l: [9] }, { l: [1] }, ["l[3]"], { l: [9] }, []],
        ["an array is never grown", { l: [9] }, { l: [1, 2] }, ["l[1]"], { l: [9] }, ["l[1]"]],
        ["an array is never spliced", { l: [9, 8] }, { l: [1] }, ["l[1]"], { l: [9, 8] }, ["l[1]"]],
        ["a negative index is an error", { l: [9] }, { l: [1] }, ["l[-1]"], { l: [9] }, ["l[-1]"]],
        ["an unparsable path is skipped silently", { a: 2 }, { a: 1 }, ["a["], { a: 2 }, []],
        ["the empty path is reported", { a: 2 }, { a: 1 }, [""], { a: 2 }, [""]],
        ["edits made before a failure stay", { a: 2, spec: 5 }, { a: 1, spec: { x: 1 } }, ["a", "spec.x"], { a: 1, spec: 5 }, ["spec.x"]],
        // Secretness is kept: a value taken out of a secret is secret where it lands; inside a secret it stays inside.
        ["a secret old value stays secret", { a: 2 }, { a: secret(1) }, ["a"], { a: secret(1) }, []],
        ["a value from inside a secret object is wrapped", { spec: { x: 2 } }, { spec: secret({ x: 1 }) }, ["spec.x"], { spec: { x: secret(1) } }, []],
        ["an edit inside a new secret object stays inside it", { spec: secret({ x: 2, y: 2 }) }, { spec: { x: 1 } }, ["spec.x"], { spec: secret({ x: 1, y: 2 }) }, []],
        ["no wrapper is added inside a secret that is secret on both sides", { spec: secret({ x: 2 }) }, { spec: secret({ x: 1 }) }, ["spec.x"], { spec: secret({ x: 1 }) }, []],
        ["leaves the news untouched without paths", { a: 2 }, { a: 1 }, [], { a: 2 }, []],
    ];
    it.each(rows)("%s", (_why, news, olds, paths, expected, invalid) => {
        const before = JSON.stringify({ news, olds });
        const result = applyIgnoreChanges(news, olds, paths);
        expect(result.inputs).toEqual(expected);
        expect(result.invalidPaths).toEqual(invalid);
        // Neither the new nor the old inputs are changed.
        expect(JSON.stringify({ news, olds })).toBe(before);
    });

    it("does not let a later path change the old inputs through a value it copied", () => {
        const olds: PropertyMap = { spec: { x: 1, y: 1 } };
        const result = applyIgnoreChanges({ spec: { x: 2, y: 2 } }, olds, ["spec", "spec.x"]);
        (result.inputs.spec as PropertyMap).y = 5;
        expect(olds).toEqual({ spec: { x: 1, y: 1 } });
    });

    it("names the paths it could not reset as the engine does", () => {
        expect(invalidIgnorePathsMessage(["spec.x", "l[1]"])).toBe('cannot ignore changes in added or removed elements of the path: "spec.x, l[1]"');
    });
});
