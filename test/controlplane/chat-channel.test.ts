// A community's chat channel on the control plane itself, with no provider in front: apply time refuses a link that
// is no channel's (whatever the caller checked before), re-links in place, and unlinks when the field is removed.
import { describe, expect, it } from "vitest";
import { expectRefused, platform, world } from "./support";

const SLACK = { service: "slack", url: "https://acme.slack.com/archives/C0123ABCD" };
const TELEGRAM = { service: "telegram", url: "https://t.me/acme_research" };

describe("a community's chat channel at apply time", () => {
    it("refuses a link that is no channel's on create, naming the community, the field, the value and the fix", () => {
        const p = platform();
        const w = world(p);
        const e = expectRefused(p, () => p.owner.create("Community", {
            organizationId: w.org.id, name: "east", zone: "ru-central1-a",
            chatChannel: { service: "slack", url: "https://acme.slack.com/archives/C0123ABCD/p1700000000000100" },
        }));
        expect(e.code).toBe("INVALID_ARGUMENT");
        expect(e.message).toBe(
            'Community "east": chatChannel.url must be a Slack channel link like https://acme.slack.com/archives/C0123ABCD, ' +
            'got "https://acme.slack.com/archives/C0123ABCD/p1700000000000100". Copy the link from the channel\'s "Copy link" (channel name > Copy > Copy link).',
        );
        expect(e.failures.map((f) => f.property)).toEqual(["chatChannel.url"]);
    });

    it("refuses a bad link on update and keeps the one linked", () => {
        const p = platform();
        const w = world(p);
        const c = p.owner.create("Community", { organizationId: w.org.id, name: "east", zone: "ru-central1-a", chatChannel: SLACK });
        const e = expectRefused(p, () => p.owner.update("Community", c.id, { chatChannel: { service: "telegram", url: "https://t.me/ab" } }));
        expect(e.message).toMatch(/^Community "east": chatChannel\.url must be a Telegram channel link like https:\/\/t\.me\/acme_ml .*, got "https:\/\/t\.me\/ab"\. Copy the link/);
        expect(p.owner.get("Community", c.id).spec.chatChannel).toEqual(SLACK);
    });

    it("links, re-links in place (same object, next version) and unlinks", () => {
        const p = platform();
        const w = world(p);
        const c = p.owner.create("Community", { organizationId: w.org.id, name: "east", zone: "ru-central1-a", chatChannel: SLACK });
        expect(c.spec.chatChannel).toEqual(SLACK);
        const relinked = p.owner.update("Community", c.id, { chatChannel: TELEGRAM }, 1);
        expect(relinked).toMatchObject({ id: c.id, version: 2, spec: { chatChannel: TELEGRAM } });
        // The provider sends null for a field the program removed (plan/diff.ts patchOf): the link goes.
        const unlinked = p.owner.update("Community", c.id, { chatChannel: null }, 2);
        expect(unlinked.version).toBe(3);
        expect(unlinked.spec).not.toHaveProperty("chatChannel");
        expect(p.owner.get("Community", c.id).spec).not.toHaveProperty("chatChannel");
    });

    it("links the default community too (it is an ordinary community apart from its name)", () => {
        const p = platform();
        const w = world(p);
        expect(p.owner.update("Community", w.defaultCommunityId, { chatChannel: TELEGRAM }).spec.chatChannel).toEqual(TELEGRAM);
    });
});
