// projectBillingFailures: a project in a community the program creates without a billing link fails in preview,
// on the user's `community`, saying how to fix it; whatever the program cannot show is left to the platform.
import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../provider/model/unknown";
import { projectBillingFailures } from "../../provider/rules/billing";

const FIX = "The platform creates projects only in a community with an active billing link: declare a BillingLink for";

describe("projectBillingFailures", () => {
    it.each([
        ["a link declared before the project, or a community read with get", { communityBillingLinked: true, communityName: "research" }],
        ["no fact (an SDK that does not send it)", { communityName: "research" }],
        ["an unknown fact", { communityBillingLinked: UNKNOWN, communityName: "research" }],
        ["a fact that is not false", { communityBillingLinked: "false" }],
        ["nothing at all", {}],
    ])("lets %s through", (_label, facts) => {
        expect(projectBillingFailures(facts)).toEqual([]);
    });

    it("refuses a community the program creates without a link, naming it and saying how to fix it", () => {
        expect(projectBillingFailures({ communityBillingLinked: false, communityName: "research" })).toEqual([{
            property: "community",
            reason: 'has no billing link in this program, got community "research" with no BillingLink declared before this project. '
                + 'The platform creates projects only in a community with an active billing link: declare a BillingLink for community "research" '
                + "and make the project depend on it (`dependsOn: [link]`).",
        }]);
    });

    it.each([
        ["not given", undefined, "the project's community"],
        ["unknown", UNKNOWN, "the project's community"],
        ["empty", "", "the project's community"],
    ])("names the community generically when its name is %s", (_label, communityName, shown) => {
        const [failure] = projectBillingFailures({ communityBillingLinked: false, communityName });
        expect(failure.property).toBe("community");
        expect(failure.reason).toContain(`got ${shown} with no BillingLink`);
        expect(failure.reason).toContain(`${FIX} ${shown} and`);
        expect(failure.reason).not.toContain(UNKNOWN);
    });

    it("never shows a community name that arrived secret", () => {
        const [failure] = projectBillingFailures({ communityBillingLinked: false, communityName: "hunter2" }, (fact) => fact === "communityName");
        expect(failure.reason).toContain("got community [secret] with no BillingLink");
        expect(failure.reason).not.toContain("hunter2");
    });
});
