// No secret value reaches a report, a diagram or a picture, whatever form it arrives in: the CLI's "[secret]",
// Pulumi's secret object with its plaintext (`pulumi stack export --show-secrets`) or its value (the engine's
// memory form), a declared secret field in plain text (a producer that forgot to mark it), a field the program
// passed as a secret (listed in __secretInputs), a secret nested in a map, and a secret stack output.
import { describe, expect, it } from "vitest";
import { graphStack, reviewPreview } from "../../provider/review/review";
import { leaked, localStateFixture, previewFixture, stepOf } from "./support";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const PLANTED = [
    "AKIA-PLANTED-KEY-ID", "planted-plain-secret-access-key", "planted-program-secret-description", "planted-nested-label",
    "planted-stack-output", "planted-token-plain", "planted-registry-password",
];

function plantedPlan(): any {
    const plan = previewFixture();
    const bucket = stepOf(plan, "raw-data").newState.inputs;
    bucket.accessKeyId = { [SIG]: SECRET_SIG, plaintext: JSON.stringify(PLANTED[0]) };
    bucket.secretAccessKey = PLANTED[1];
    const training = stepOf(plan, "training").newState.inputs;
    training.description = PLANTED[2];
    training.__secretInputs = ["description"];
    const research = stepOf(plan, "research");
    research.op = "update";
    research.newState.inputs.labels = { team: { [SIG]: SECRET_SIG, value: PLANTED[3] } };
    stepOf(plan, "team-setup-dev").oldState.outputs.tokenValue = { [SIG]: SECRET_SIG, plaintext: JSON.stringify(PLANTED[4]) };
    stepOf(plan, "api-token").newState.inputs.value = PLANTED[5];
    const image = stepOf(plan, "trainer");
    image.oldState.inputs.registryPassword = PLANTED[6];
    image.newState.inputs.registryPassword = { [SIG]: SECRET_SIG, plaintext: JSON.stringify(PLANTED[6]) };
    return plan;
}

describe("secrets", () => {
    it("are never in the report, the Mermaid diagram or the SVG of a review", () => {
        const text = JSON.stringify(plantedPlan());
        for (const secret of PLANTED) expect(text).toContain(secret); // planted, so that their absence below means something
        const { markdown, svg } = reviewPreview(text, "plan.json", { maxLength: 0 });
        expect(leaked(markdown, PLANTED)).toEqual([]);
        expect(leaked(svg, PLANTED)).toEqual([]);
        expect(markdown).not.toMatch(/planted/i);
        // Where they were, the report says [secret].
        expect(markdown).toContain("| + | S3Connector raw-data | <code>accessKeyId</code> |  | <code>[secret]</code> |");
        expect(markdown).toContain("| + | S3Connector raw-data | <code>secretAccessKey</code> |  | <code>[secret]</code> |");
        expect(markdown).toContain("| ~ | Project training | <code>description</code> | <code>\"Training pipelines\"</code> | <code>[secret]</code> |");
        expect(markdown).toContain("| ~ | Community research | <code>labels.team</code> | <code>\"research\"</code> | <code>[secret]</code> |");
    });

    it("are never in the picture of a preview or of a stack export made with --show-secrets", () => {
        expect(leaked(JSON.stringify(graphStack(JSON.stringify(plantedPlan()), "plan.json")), PLANTED)).toEqual([]);
        const state = localStateFixture();
        let planted = 0;
        const exported = {
            version: 3,
            deployment: {
                manifest: { time: "2026-12-01T16:46:20Z", magic: "", version: "v3.200.0" },
                // Every secret of the state with its plaintext, as `pulumi stack export --show-secrets` writes it.
                resources: JSON.parse(JSON.stringify(state.resources, (_key, value) =>
                    value && typeof value === "object" && value[SIG] === SECRET_SIG ? { [SIG]: SECRET_SIG, plaintext: JSON.stringify(`planted-export-${++planted}`) } : value)),
            },
        };
        expect(planted).toBeGreaterThan(4);
        const { markdown, svg } = graphStack(JSON.stringify(exported), "stack.json");
        expect(`${markdown}${svg}`).not.toContain("planted-export");
        expect(markdown).toContain("S3Connector raw-data");
    });
});
