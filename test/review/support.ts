// Plans for the review tests, in the shape `pulumi preview --json` prints (provider/review/pulumi-json.ts): the
// saved fixture of the probe program's change, and plans made from the local engine's real state file of the same
// program (everything created, nothing changed), changed step by step where a test needs one case.
import * as fs from "fs";
import * as path from "path";
import { UNKNOWN } from "../../provider/model/unknown";

export const FIXTURES = path.join(__dirname, "fixtures");

type Json = any;

/** The CLI's digest of the fixture change: --show-sames, one replace step per replacement, no detailed diff. */
export function previewFixture(): Json {
    return JSON.parse(fs.readFileSync(path.join(FIXTURES, "pulumi-preview.json"), "utf8"));
}

/** The local engine's state file after the fixture change (secrets encrypted, providers stored by reference). */
export function localStateFixture(): Json {
    return JSON.parse(fs.readFileSync(path.join(FIXTURES, "local-engine-state.json"), "utf8"));
}

/** A state's resource as a preview's newState: secrets as the CLI writes them, no id, no outputs. */
function goalOf(resource: Json, providers: Record<string, string>, unknownIds: boolean): Json {
    const inputs = JSON.parse(JSON.stringify(resource.inputs, (_key, value) => {
        if (value && typeof value === "object" && "4dabf18193072939515e22adb298388d" in value) return "[secret]";
        if (value && typeof value === "object" && "__providerRef" in value) return providers[value.__providerRef];
        return value;
    }));
    if (unknownIds) {
        // On a new stack every id an input came from is unknown in preview.
        for (const [key, urns] of Object.entries(resource.propertyDependencies as Record<string, string[]>)) {
            if (key.endsWith("Id") && urns.length > 0) inputs[key] = UNKNOWN;
        }
    }
    return { urn: resource.urn, custom: resource.custom, type: resource.type, inputs, parent: resource.parent, propertyDependencies: resource.propertyDependencies };
}

/** The preview of a new stack that the local engine state describes: every resource created. */
export function createEverythingPlan(): Json {
    const state = localStateFixture();
    const steps = state.resources.map((r: Json) => ({ op: "create", urn: r.urn, newState: goalOf(r, state.providers, true), detailedDiff: null }));
    return { steps, changeSummary: { create: steps.length }, duration: 4_000_000_000 };
}

/** The preview of the same stack with nothing to do, as printed without --show-sames (only the stack's step). */
export function noChangePlan(): Json {
    const state = localStateFixture();
    const stack = state.resources.find((r: Json) => r.type === "pulumi:pulumi:Stack");
    return {
        steps: [{ op: "same", urn: stack.urn, oldState: { urn: stack.urn, custom: false, type: stack.type }, newState: { urn: stack.urn, custom: false, type: stack.type }, detailedDiff: null }],
        changeSummary: { same: state.resources.length },
        duration: 2_000_000_000,
    };
}

/** The fixture's step of one logical name. */
export function stepOf(plan: Json, name: string): Json {
    const step = plan.steps.find((s: Json) => s.urn.endsWith(`::${name}`));
    if (!step) throw new Error(`no step for ${name}`);
    return step;
}

/** Every string of a text that is one of `planted`. */
export function leaked(text: string, planted: readonly string[]): string[] {
    return planted.filter((secret) => text.includes(secret));
}
