// A community's chat channel through the real path: the provider serialized as the SDK does, Pulumi's dynamic-provider
// host over gRPC, a database file. Check refuses a bad link in preview; a new link is an in-place update, never a
// replacement; removing it unlinks; create refuses a bad link even when check was skipped.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamicHost, hostOnOwnDatabase, type HostOnOwnDatabase } from "../support/dynamic-host";

let host: DynamicHost;
let ownDatabase: HostOnOwnDatabase | undefined;

beforeAll(async () => {
    ownDatabase = await hostOnOwnDatabase("chat");
    ({ host } = ownDatabase);
}, 30_000);
afterAll(() => ownDatabase?.remove());

const SLACK = { service: "slack", url: "https://acme.slack.com/archives/C0123ABCD" };
const TELEGRAM = { service: "telegram", url: "https://t.me/+AbCdEf0123456789" };

describe("a community's chat channel through the dynamic-provider host", () => {
    it("links, re-links in place, unlinks, and refuses a bad link in check and in create", async () => {
        const org = await host.up("Organization", { __logicalName: "chat-org", displayName: "Chat Org", defaultZone: "ru-central1-a" });
        const inputs = { __logicalName: "team", organizationId: org.id, organization: org.outs.name, zone: "ru-central1-a" };
        const community = await host.up("Community", { ...inputs, chatChannel: SLACK });
        expect(community.outs.chatChannel).toEqual(SLACK);

        // Another channel: an update of the same object, not a replacement.
        const relink = await host.check("Community", community.inputs, { ...inputs, chatChannel: TELEGRAM });
        expect(relink.failures).toEqual([]);
        expect(await host.diff("Community", community.id, community.outs, relink.inputs)).toMatchObject({ changes: "some", replaces: [] });
        const relinked = await host.update("Community", community.id, community.outs, relink.inputs);
        expect(relinked).toMatchObject({ chatChannel: TELEGRAM, platform: { version: 2 } });

        // The field removed from the program: an update that unlinks.
        const unlink = await host.check("Community", relink.inputs, inputs);
        expect(await host.diff("Community", community.id, relinked, unlink.inputs)).toMatchObject({ changes: "some", replaces: [] });
        const unlinked = await host.update("Community", community.id, relinked, unlink.inputs);
        expect(unlinked.chatChannel).toBeUndefined();
        expect((await host.read("Community", community.id, unlinked)).props.chatChannel).toBeUndefined();

        // Preview: the failure names the field's path, the value and the fix.
        const bad = { service: "slack", url: "https://acme.slack.com/messages/general" };
        const { failures } = await host.check("Community", unlink.inputs, { ...inputs, chatChannel: bad });
        expect(failures).toEqual([{
            property: "chatChannel.url",
            reason: 'must be a Slack channel link like https://acme.slack.com/archives/C0123ABCD, got "https://acme.slack.com/messages/general". Copy the link from the channel\'s "Copy link" (channel name > Copy > Copy link).',
        }]);
        // Check skipped (as a provider of another version might): the create is refused all the same.
        await expect(host.create("Community", await host.withProvider("Community", { ...inputs, name: "other-team", chatChannel: bad })))
            .rejects.toThrow(/INVALID_ARGUMENT: Community "other-team": chatChannel\.url must be a Slack channel link/);
    }, 60_000);
});
