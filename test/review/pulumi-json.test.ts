// Reading Pulumi's JSON: the saved fixture in the real CLI's shape is accepted as it is; Pulumi's sentinels and
// this package's type module are the ones the SDK uses; bad input is refused in one line naming the field and the
// fix, never with a crash.
import { describe, expect, it } from "vitest";
import { specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { MASKED_SECRET, parseJsonText, parsePlan, parseStackState, ReviewInputError, SECRET_SIG, SIG_KEY } from "../../provider/review/pulumi-json";
import { kindOfRecord, TYPE_MODULE } from "../../provider/review/objects";
import { UNKNOWN } from "../../provider/model/unknown";
import { TYPE_MODULE as SDK_TYPE_MODULE } from "../../sdk/base";
import { localStateFixture, previewFixture } from "./support";

const refusal = (run: () => unknown): string => {
    try {
        run();
    } catch (e) {
        expect(e).toBeInstanceOf(ReviewInputError);
        return (e as Error).message;
    }
    throw new Error("expected a refusal");
};

describe("the JSON of the Pulumi CLI", () => {
    it("uses the SDK's sentinels and type module", () => {
        expect([SIG_KEY, SECRET_SIG, UNKNOWN]).toEqual([specialSigKey, specialSecretSig, unknownValue]);
        expect(TYPE_MODULE).toBe(SDK_TYPE_MODULE);
    });

    it("accepts the saved fixture of `pulumi preview --json --show-sames` as the CLI prints it", () => {
        const fixture = previewFixture();
        // The shape pulumi-json.ts documents: detailedDiff null (a Node dynamic provider), no diffReasons, secrets as "[secret]".
        expect(Object.keys(fixture)).toEqual(["config", "steps", "duration", "changeSummary"]);
        expect(fixture.steps.every((s: any) => s.detailedDiff === null && !("diffReasons" in s))).toBe(true);
        expect(JSON.stringify(fixture)).not.toContain(SIG_KEY);
        expect(JSON.stringify(fixture)).toContain(`"value": "${MASKED_SECRET}"`.replace(": ", ":"));
        const plan = parsePlan(fixture, "plan.json");
        // Every resource but the default provider, whose steps the CLI neither lists nor counts (update.go isInternalStep).
        expect(plan.steps).toHaveLength(31);
        expect(plan.steps.some((s) => s.urn.includes("::pulumi:providers:"))).toBe(false);
        expect(plan.changeSummary).toEqual({ create: 3, delete: 2, replace: 6, same: 15, update: 5 });
        const replaced = plan.steps.find((s) => s.urn.endsWith("Community::sandbox"))!;
        expect(replaced).toMatchObject({ op: "replace", replaceReasons: ["zone"], detailedDiff: null });
        expect(replaced.old?.id).toMatch(/^com/);
        expect(kindOfRecord(replaced.new!)).toBe("Community");
    });

    it("accepts the local engine's state file and `pulumi stack export`", () => {
        const state = localStateFixture();
        expect(parseStackState(state, "dev.json")).toMatchObject({ source: "local engine state" });
        expect(parseStackState(state, "dev.json").resources).toHaveLength(29);
        const exported = { version: 3, deployment: { manifest: {}, resources: state.resources } };
        expect(parseStackState(exported, "stack.json").source).toBe("pulumi stack export");
    });

    it.each([
        ["", "plan.json is empty. Pass what `pulumi preview --json` prints."],
        ["Previewing update (dev):\n    + pulumi:pulumi:Stack", "plan.json holds Pulumi's text display, not JSON. Pass what `pulumi preview --json` prints."],
        ['{"sequence":0,"timestamp":1,"cancelEvent":{}}\n{"sequence":1,"timestamp":1}', "plan.json holds streamed engine events (one JSON object per line, PULUMI_ENABLE_STREAMING_JSON_PREVIEW is set). Unset it and run `pulumi preview --json` again."],
        ["{ steps: [] }", "plan.json is not JSON ("],
    ])("refuses text that is no JSON document: %j", (text, message) => {
        expect(refusal(() => parseJsonText(text, "plan.json", "Pass what `pulumi preview --json` prints."))).toContain(message);
    });

    it.each([
        [[], "plan.json is JSON but not an object (got an array)."],
        [{ resources: [] }, "plan.json has none of the keys of a preview (steps, changeSummary, diagnostics, config)."],
        [{ steps: [{ op: "update", urn: 42 }] }, "plan.json: steps[0].urn expected string, received number."],
        [{ steps: [{ op: "update", urn: "urn:x", newState: { urn: "urn:x", type: "t", inputs: [] } }] }, "plan.json: steps[0].newState.inputs expected record, received array."],
        [{ version: 3, deployment: { resources: [] } }, "plan.json is a stack's state, not a preview: draw it with `mlplatform graph`"],
    ])("refuses a document that is no preview, naming the field: %j", (document, message) => {
        expect(refusal(() => parsePlan(document, "plan.json"))).toContain(message);
    });

    it("refuses a state with a bad resource, naming it", () => {
        expect(refusal(() => parseStackState({ version: 3, deployment: { resources: [{ urn: "u" }] } }, "stack.json")))
            .toBe("stack.json: deployment.resources[0].type expected string, received undefined. Pass what `pulumi stack export` prints, or the local engine's state file <program>/.pulumi-local/<stack>.json.");
        expect(refusal(() => parseStackState({ steps: [] }, "stack.json"))).toContain("is neither `pulumi stack export` output nor a local engine state file");
    });

    it("takes nulls where Go writes them and leaves out what it does not read", () => {
        const plan = parsePlan({ steps: [{ op: "same", urn: "urn:s", oldState: { urn: "urn:s", type: "t", inputs: null, propertyDependencies: { a: null } }, detailedDiff: null, extra: 1 }], diagnostics: null }, "p");
        expect(plan.steps[0].old).toEqual({ urn: "urn:s", type: "t", id: undefined, external: false, inputs: {}, outputs: {}, propertyDependencies: { a: [] } });
    });
});
