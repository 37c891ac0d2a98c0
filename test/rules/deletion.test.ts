// deletionBlocker: every reason the platform refuses a deletion, its exact message, and which reason wins.
import { describe, expect, it } from "vitest";
import { deletionBlocker, DeletionFacts, Dependent, REMOVED_WITH_PARENT } from "../../provider/rules/deletion";

const facts = (kind: DeletionFacts["kind"], label: string, more: Partial<DeletionFacts> = {}): DeletionFacts =>
    ({ kind, label, children: [], referencedBy: [], ...more });
const datasets = (n: number): Dependent[] => Array.from({ length: n }, (_, i) => ({ kind: "Dataset", label: `d${i}` }));

describe("deletionBlocker", () => {
    it.each([
        ["an empty project", facts("Project", "p")],
        ["a community holding only memberships and its billing link", facts("Community", "c", {
            children: [{ kind: "CommunityMember", label: "userAccount:a" }, { kind: "BillingLink", label: "l" }],
        })],
        ["a project holding only memberships", facts("Project", "p", { children: [{ kind: "ProjectMember", label: "userAccount:a" }] })],
        ["a dataset that is not activated", facts("Dataset", "d", { activated: false })],
        ["a community that is not the default one", facts("Community", "c", { isDefaultCommunity: false })],
    ])("lets %s go", (_label, f) => {
        expect(deletionBlocker(f)).toBeUndefined();
    });

    it("removes memberships and billing links with their parent", () => {
        expect([...REMOVED_WITH_PARENT].sort()).toEqual(["BillingLink", "CommunityMember", "ProjectMember"]);
    });

    it.each([
        ["the default community", facts("Community", "Acme Team", { isDefaultCommunity: true }),
            'Community "Acme Team" is its organization\'s default community and cannot be deleted. It is removed together with the organization.'],
        ["a billing link", facts("BillingLink", "billing link of community \"c\""),
            'BillingLink "billing link of community "c"" cannot be removed: a community\'s billing link can only be pointed at another active billing account. Change billingAccount instead; deleting the community removes its link.'],
        ["an activated dataset", facts("Dataset", "train", { activated: true }),
            'Dataset "train" cannot be deleted while it is activated. Set activated to false first.'],
        ["a shared resource", facts("Secret", "tok", { referencedBy: [{ kind: "Share", label: "tok -> research" }] }),
            'Secret "tok" cannot be deleted while it is shared (1 share: Share "tok -> research"). Delete the shares first.'],
        ["a community with shares into it", facts("Community", "research", { referencedBy: [{ kind: "Share", label: "a -> research" }, { kind: "Share", label: "b -> research" }] }),
            'Community "research" cannot be deleted while resources are shared into it (2 shares: Share "a -> research", Share "b -> research"). Delete the shares first.'],
        ["a node used by an alias", facts("Node", "n", { referencedBy: [{ kind: "Alias", label: "al" }] }),
            'Node "n" cannot be deleted while it is used by Alias "al". Remove those references first.'],
        ["a model served by nodes", facts("Model", "m", { referencedBy: [{ kind: "Node", label: "n1" }, { kind: "Node", label: "n2" }] }),
            'Model "m" cannot be deleted while it is used by Node "n1", Node "n2". Remove those references first.'],
        ["a billing account paying for a community", facts("BillingAccount", "main", { referencedBy: [{ kind: "BillingLink", label: "billing link of community \"c\"" }] }),
            'BillingAccount "main" cannot be deleted while it is used by BillingLink "billing link of community "c"". Remove those references first.'],
        ["a project with a resource", facts("Project", "training", { children: [{ kind: "Dataset", label: "ds" }] }),
            'Project "training" cannot be deleted while it contains 1 object (Dataset "ds"). Delete them first: the platform never deletes contents with their container.'],
        ["a community with projects", facts("Community", "research", { children: [{ kind: "Project", label: "a" }, { kind: "CommunityMember", label: "userAccount:x" }, { kind: "Project", label: "b" }] }),
            'Community "research" cannot be deleted while it contains 2 objects (Project "a", Project "b"). Delete them first: the platform never deletes contents with their container.'],
        ["an organization with communities", facts("Organization", "acme", { children: [{ kind: "Community", label: "research" }, { kind: "BillingAccount", label: "main" }] }),
            'Organization "acme" cannot be deleted while it contains 2 objects (Community "research", BillingAccount "main"). Delete them first: the platform never deletes contents with their container.'],
    ])("refuses %s", (_label, f, message) => {
        expect(deletionBlocker(f)).toBe(message);
    });

    it("lists five dependents and counts the rest", () => {
        expect(deletionBlocker(facts("Project", "p", { children: datasets(5) }))).toMatch(/contains 5 objects \(Dataset "d0", Dataset "d1", Dataset "d2", Dataset "d3", Dataset "d4"\)\. /);
        expect(deletionBlocker(facts("Project", "p", { children: datasets(7) })))
            .toMatch(/contains 7 objects \(Dataset "d0", Dataset "d1", Dataset "d2", Dataset "d3", Dataset "d4" and 2 more\)\. /);
        const shares = Array.from({ length: 6 }, (_, i) => ({ kind: "Share" as const, label: `s${i}` }));
        expect(deletionBlocker(facts("Dataset", "d", { referencedBy: shares }))).toMatch(/\(6 shares: Share "s0", .*Share "s4" and 1 more\)/);
    });

    // When several things block, the message names the one to deal with first.
    it.each([
        ["default community before its contents", facts("Community", "T", { isDefaultCommunity: true, children: datasets(1), referencedBy: [{ kind: "Share", label: "s" }] }), /default community/],
        ["billing link before anything", facts("BillingLink", "l", { activated: true }), /can only be pointed at another/],
        ["activation before shares", facts("Dataset", "d", { activated: true, referencedBy: [{ kind: "Share", label: "s" }] }), /while it is activated/],
        ["shares before other users", facts("Node", "n", { referencedBy: [{ kind: "Alias", label: "a" }, { kind: "Share", label: "s" }] }), /while it is shared \(1 share: Share "s"\)/],
        ["users before contents", facts("Node", "n", { referencedBy: [{ kind: "Alias", label: "a" }], children: datasets(1) }), /used by Alias "a"/],
    ])("names the %s", (_label, f, pattern) => {
        expect(deletionBlocker(f)).toMatch(pattern);
    });
});
