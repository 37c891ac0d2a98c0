// A project needs an active billing account on its community: the community's own `billingAccountId`, or a
// BillingLink. The control plane enforces it at apply time; in preview the program itself can show that it is
// missing: the SDK tells whether the program bills a community it creates (the plan-time fact
// `communityBillingLinked`: created with a billing account, or a BillingLink declared first). Pure.
import { Failure } from "../model/errors";
import { isUnknown } from "../model/unknown";

export interface ProjectBillingFacts {
    /**
     * true: the program created the community with a billing account or declared a BillingLink for it before this
     * project, or the community was read with `get` (its billing is not the program's to know); false: the program
     * creates the community without a billing account and declares no BillingLink for it. Absent or unknown: undecided.
     */
    readonly communityBillingLinked?: unknown;
    /** The community's name, for the message, when known. */
    readonly communityName?: unknown;
}

/** Why this project cannot be created as the program stands, if it cannot. Reported on the user's `community`. */
export function projectBillingFailures(facts: ProjectBillingFacts, hidden: (fact: keyof ProjectBillingFacts) => boolean = () => false): Failure[] {
    if (facts.communityBillingLinked !== false) return [];
    const name = facts.communityName;
    const community = hidden("communityName")
        ? "community [secret]"
        : typeof name === "string" && name.length > 0 && !isUnknown(name) ? `community "${name}"` : "the project's community";
    return [{
        property: "community",
        reason: `has no billing account in this program, got ${community} created without billingAccount and with no BillingLink declared before this project. `
            + `The platform creates projects only in a community with an active billing account: create ${community} with \`billingAccount\`, `
            + "or declare a BillingLink for it and make the project depend on it (`dependsOn: [link]`).",
    }];
}
