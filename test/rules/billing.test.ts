// projectBillingFailures: a project in a community the program creates without a billing account (its own, or a
// BillingLink) fails in preview,
// on the user's `community`, saying how to fix it; whatever the program cannot show is left to the platform.
import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../provider/model/unknown";
import { projectBillingFailures } from "../../provider/rules/billing";

const FIX = "The platform creates projects only in a community with an active billing account: create";

describe("projectBillingFailures", () => {
    it.each([
        ["a community created with a billing account, a link declared before the project, or a community read with get", { communityBillingLinked: true, communityName: "research" }],
        ["no fact (an SDK that does not send it)", { communityName: "research" }],
        ["an unknown fact", { communityBillingLinked: UNKNOWN, communityName: "research" }],
        ["a fact that is not false", { communityBillingLinked: "false" }],
        ["nothing at all", {}],
    ])("lets %s through", (_label, facts) => {
        expect(projectBillingFailures(facts)).toEqual([]);
    });

    it("refuses a community the program creates without an account or a link, naming it and saying both ways to fix it", () => {
        expect(projectBillingFailures({ communityBillingLinked: false, communityName: "research" })).toEqual([{
            property: "community",
            reason: 'has no billing account in this program, got community "research" created without billingAccount and with no BillingLink declared before this project. '
                + 'The platform creates projects only in a community with an active billing account: create community "research" with `billingAccount`, '
                + "or declare a BillingLink for it and make the project depend on it (`dependsOn: [link]`).",
        }]);
    });

    it.each([
        ["not given", undefined, "the project's community"],
        ["unknown", UNKNOWN, "the project's community"],
        ["empty", "", "the project's community"],
    ])("names the community generically when its name is %s", (_label, communityName, shown) => {
        const [failure] = projectBillingFailures({ communityBillingLinked: false, communityName });
        expect(failure.property).toBe("community");
        expect(failure.reason).toContain(`got ${shown} created without billingAccount`);
        expect(failure.reason).toContain(`${FIX} ${shown} with`);
        expect(failure.reason).not.toContain(UNKNOWN);
    });

    it("never shows a community name that arrived secret", () => {
        const [failure] = projectBillingFailures({ communityBillingLinked: false, communityName: "hunter2" }, (fact) => fact === "communityName");
        expect(failure.reason).toContain("got community [secret] created without billingAccount");
        expect(failure.reason).not.toContain("hunter2");
    });
});
