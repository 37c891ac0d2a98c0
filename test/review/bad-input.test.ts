// Bad input never crashes review or graph: the fixture preview and state with values swapped for anything JSON can
// hold, at any depth, and keys dropped, either make a report and a picture or are refused with a ReviewInputError
// (the command's one-line message), never another exception.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { graphStack, reviewPreview } from "../../provider/review/review";
import { ReviewInputError } from "../../provider/review/pulumi-json";
import { localStateFixture, previewFixture } from "./support";

type Json = any;

/**
 * Every path to a value in a document, for picking one to break; not into what review never reads (the provider's
 * own `__` keys, the platform's outputs, Pulumi's timestamps), so that the breaks land where the code looks.
 */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
    const skipped = (key: string) => key.startsWith("__") || key === "platform" || key === "created" || key === "modified";
    if (Array.isArray(value)) return [prefix, ...value.flatMap((item, i) => paths(item, [...prefix, i]))];
    if (value && typeof value === "object") return [prefix, ...Object.entries(value).filter(([key]) => !skipped(key)).flatMap(([key, item]) => paths(item, [...prefix, key]))];
    return [prefix];
}

function broken(document: Json, at: (string | number)[], replacement: Json, drop: boolean): Json {
    const copy = JSON.parse(JSON.stringify(document));
    if (at.length === 0) return replacement;
    const parent = at.slice(0, -1).reduce((node, key) => node[key], copy);
    const key = at[at.length - 1];
    if (drop && !Array.isArray(parent)) delete parent[key];
    else parent[key] = replacement;
    return copy;
}

function survives(run: () => unknown): void {
    try {
        run();
    } catch (e) {
        if (!(e instanceof ReviewInputError)) throw e;
    }
}

const anything = fc.jsonValue({ maxDepth: 3 });

describe.each([
    ["review", () => previewFixture(), (text: string) => reviewPreview(text, "plan.json", { maxLength: 0 })],
    ["graph", () => localStateFixture(), (text: string) => graphStack(text, "dev.json")],
])("%s of a broken document", (_name, fixture, run) => {
    const document = fixture();
    const all = paths(document);

    it("makes a report or says what is wrong, never crashes", () => {
        fc.assert(fc.property(fc.nat(all.length - 1), anything, fc.boolean(), (index, replacement, drop) => {
            survives(() => run(JSON.stringify(broken(document, all[index], replacement, drop))));
        }), { numRuns: 600 });
    });

    it("survives several breaks at once", () => {
        fc.assert(fc.property(fc.array(fc.tuple(fc.nat(all.length - 1), anything), { minLength: 2, maxLength: 6 }), (breaks) => {
            let current = document;
            for (const [index, replacement] of breaks) {
                const at = all[index];
                // A break earlier may have removed the way to this one: skip it then.
                try {
                    current = broken(current, at, replacement, false);
                } catch {
                    continue;
                }
            }
            survives(() => run(JSON.stringify(current)));
        }), { numRuns: 100 });
    });
});

/** Odd values for a field: of every JSON type, nested, Pulumi's sentinels. */
const ODD_VALUES: Json[] = [null, 0, -1.5, "", "x", true, [], {}, [null, { a: [] }], { a: { b: [1, "y"] } }, "[secret]", "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" }];

describe("review with one input swapped in every state at once", () => {
    const document = previewFixture();
    const states = (doc: Json): Json[] => doc.steps.flatMap((s: Json) => [s.oldState, s.newState]).filter(Boolean);
    const keys = [...new Set(states(document).flatMap((state: Json) => Object.keys(state.inputs ?? {})))].filter((k) => !k.startsWith("__"));

    it.each(keys)("%s: any value, in every state", (key) => {
        for (const value of ODD_VALUES) {
            const copy = JSON.parse(JSON.stringify(document));
            for (const state of states(copy)) if (state.inputs) state.inputs[key] = value;
            survives(() => reviewPreview(JSON.stringify(copy), "plan.json", { maxLength: 0 }));
        }
    });

    it("every resource taken for each other kind", () => {
        for (const kind of ["Organization", "Community", "Project", "Dataset", "Share", "SharedResourceUse", "CommunityMember", "Alias", "Bogus"]) {
            const copy = JSON.parse(JSON.stringify(document).replace(/pulumi-nodejs:dynamic\/mlplatform:[A-Za-z0-9]+/g, `pulumi-nodejs:dynamic/mlplatform:${kind}`));
            survives(() => reviewPreview(JSON.stringify(copy), "plan.json", { maxLength: 0 }));
        }
    });
});

it("the breaks above reach the code (a control: an intact fixture makes a report)", () => {
    expect(reviewPreview(JSON.stringify(previewFixture()), "plan.json").markdown).toContain("**Plan:**");
});
