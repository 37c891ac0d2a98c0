// A community's chat channel is validated as a real channel link: the address Slack's or Telegram's own "Copy link"
// gives for a channel, nothing else. Table-driven: each link is accepted or refused with the field, the value and
// the service's own fix; the wrong service, a missing one and a value that is no object are refused as such.
import { describe, expect, it } from "vitest";
import { showValue } from "../../provider/model/errors";
import { KINDS } from "../../provider/model/kinds";
import { UNKNOWN } from "../../provider/model/unknown";
import { validateSpec } from "../../provider/rules/validation";
import { EMULATOR_IDS } from "../../provider/model/ids";

const failuresOf = (chatChannel: unknown, hidden = false) =>
    validateSpec(KINDS.Community, { chatChannel }, { ids: EMULATOR_IDS, mode: "patch", hidden: (field) => hidden && field === "chatChannel" });

/** What each service's refusal says, before the value, and the fix after it. */
const SAYS = {
    slack: ["must be a Slack channel link like https://acme.slack.com/archives/C0123ABCD", "Copy the link from the channel's \"Copy link\" (channel name > Copy > Copy link)."],
    telegram: [
        "must be a Telegram channel link like https://t.me/acme_ml (a public username: 5-32 letters, digits or underscores, starting with a letter) or an invite link like https://t.me/+AbCdEf0123456789",
        "Copy the link from the channel's info (its public t.me link, or Invite Links for a private one).",
    ],
} as const;

const ACCEPTED: [keyof typeof SAYS, string][] = [
    ["slack", "https://acme.slack.com/archives/C0123ABCD"],
    ["slack", "https://acme-ml.slack.com/archives/C01ABCDEFGH"],
    ["slack", "https://acme.slack.com/archives/G01ABCDEF23"],
    ["slack", "https://acme.enterprise.slack.com/archives/C01ABCDEFGH"],
    ["slack", "https://a.slack.com/archives/C0123ABCD"],
    ["telegram", "https://t.me/acme_ml"],
    ["telegram", "https://t.me/Acme5"],
    ["telegram", `https://t.me/a${"b".repeat(31)}`],
    ["telegram", "https://t.me/+AbCdEf0123456789"],
    ["telegram", "https://t.me/+AbCd-Ef_0123456789xyz"],
    ["telegram", "https://t.me/joinchat/AAAAAEHbEkejzxUjAUCfYg"],
];

const REFUSED: [keyof typeof SAYS, string, string][] = [
    ["slack", "http://acme.slack.com/archives/C0123ABCD", "not https"],
    ["slack", "https://acme.slack.com/archives/c0123abcd", "a channel id in lowercase"],
    ["slack", "https://acme.slack.com/archives/D0123ABCD", "a direct message, no channel"],
    ["slack", "https://acme.slack.com/archives/C0123", "a channel id too short"],
    ["slack", "https://acme.slack.com/archives/C0123ABCD/p1700000000000100", "a message link"],
    ["slack", "https://acme.slack.com/archives/C0123ABCD/", "a trailing slash"],
    ["slack", "https://acme.slack.com/archives/C0123ABCD?thread=1", "a query"],
    ["slack", "https://slack.com/archives/C0123ABCD", "no workspace"],
    ["slack", "https://acme.slack.com.example.net/archives/C0123ABCD", "a host that only starts like Slack's"],
    ["slack", "https://-acme.slack.com/archives/C0123ABCD", "a workspace starting with a hyphen"],
    ["slack", "https://app.slack.com/client/T0123ABCD/C0123ABCD", "the web app's address, not the channel's link"],
    ["slack", " https://acme.slack.com/archives/C0123ABCD", "a leading space"],
    ["slack", "", "nothing"],
    ["slack", "https://t.me/acme_ml", "a Telegram link"],
    ["slack", `https://${"a".repeat(64)}.slack.com/archives/C0123ABCD`, "a workspace of 64 characters"],
    ["telegram", "https://t.me/acme", "a username of 4 characters"],
    ["telegram", `https://t.me/a${"b".repeat(32)}`, "a username of 33 characters"],
    ["telegram", "https://t.me/1acme", "a username starting with a digit"],
    ["telegram", "https://t.me/_acme_ml", "a username starting with an underscore"],
    ["telegram", "https://t.me/acme-ml", "a hyphen in a username"],
    ["telegram", "https://t.me/acme_ml/42", "a message link"],
    ["telegram", "https://t.me/joinchat", "Telegram's own path without a code"],
    ["telegram", "https://t.me/+", "an invite link without a code"],
    ["telegram", "https://t.me/+abc", "an invite code too short"],
    ["telegram", "http://t.me/acme_ml", "not https"],
    ["telegram", "https://telegram.me/acme_ml", "another host than t.me"],
    ["telegram", "tg://resolve?domain=acme_ml", "the app's own scheme"],
    ["telegram", "@acme_ml", "a bare username"],
    ["telegram", "https://acme.slack.com/archives/C0123ABCD", "a Slack link"],
];

describe("a channel link", () => {
    it.each(ACCEPTED)("%s: accepts %s", (service, url) => {
        expect(failuresOf({ service, url })).toEqual([]);
    });

    it.each(REFUSED)("%s: refuses %j (%s), naming the field, the value and the service's fix", (service, url) => {
        const [says, fix] = SAYS[service];
        expect(failuresOf({ service, url })).toEqual([{ property: "chatChannel.url", reason: `${says}, got ${showValue(url)}. ${fix}` }]);
    });
});

describe("the chat channel's shape", () => {
    it.each([
        [{ service: "discord", url: "https://discord.gg/acme" }, "chatChannel.service", 'must be "slack" or "telegram", got "discord".'],
        [{ service: "Slack", url: "https://acme.slack.com/archives/C0123ABCD" }, "chatChannel.service", 'must be "slack" or "telegram", got "Slack".'],
        [{ url: "https://t.me/acme_ml" }, "chatChannel.service", 'must be "slack" or "telegram", got nothing.'],
        ["https://t.me/acme_ml", "chatChannel", 'must be { service: "slack", url } or { service: "telegram", url }, got "https://t.me/acme_ml".'],
        [{ service: "slack" }, "chatChannel.url", "must be a Slack channel link like https://acme.slack.com/archives/C0123ABCD, got nothing."],
        [{ service: "telegram", url: 42 }, "chatChannel.url", "must be a Telegram channel link like https://t.me/acme_ml"],
        [{ service: "slack", url: "https://acme.slack.com/archives/C0123ABCD", channel: "general" }, "chatChannel", 'has unknown key "channel". Remove it (check the spelling).'],
    ])("refuses %j", (value, property, reason) => {
        const failures = failuresOf(value);
        expect(failures.map((f) => f.property)).toEqual([property]);
        expect(failures[0].reason.startsWith(reason)).toBe(true);
    });

    it("says how to write either service when the service is not one of them", () => {
        expect(failuresOf({ service: "matrix", url: "x" })[0].reason).toContain('Link a Slack channel with { service: "slack", url: "https://<workspace>.slack.com/archives/<channel id>" } or a Telegram one with { service: "telegram", url: "https://t.me/<username>" }.');
    });

    it("never shows a link the program made secret (a private invite link, say)", () => {
        const [failure] = failuresOf({ service: "telegram", url: "https://t.me/+short" }, true);
        expect(failure.reason).toContain("got [secret].");
        expect(failure.reason).not.toContain("short");
    });

    it("is optional, and null unlinks", () => {
        expect(validateSpec(KINDS.Community, { organizationId: "orgaaaaaaaaaaaaaaaaa", name: "research", zone: "ru-central1-a" }, { ids: EMULATOR_IDS, mode: "create" })).toEqual([]);
        expect(failuresOf(null)).toEqual([]);
    });

    it("leaves a link unknown in preview undecided, and still checks the service beside it", () => {
        expect(failuresOf({ service: "slack", url: UNKNOWN })).toEqual([]);
        expect(failuresOf(UNKNOWN)).toEqual([]);
        expect(failuresOf({ service: "irc", url: UNKNOWN }).map((f) => f.property)).toEqual(["chatChannel.service"]);
    });
});
