// A community's chat channel is validated as a real channel link: the address Slack's or Telegram's own "Copy link"
// gives for a channel, nothing else. Table-driven: each link is accepted or refused with the field, the value and
// the service's own fix; the wrong service, a missing one and a value that is no object are refused as such.
import { describe, expect, it } from "vitest";
import { showValue } from "../../provider/model/errors";
import { KINDS } from "../../provider/model/kinds";
import { UNKNOWN } from "../../provider/model/unknown";
import { validateSpec } from "../../provider/rules/validation";

const failuresOf = (chatChannel: unknown, hidden = false) =>
    validateSpec(KINDS.Community, { chatChannel }, { mode: "patch", hidden: (field) => hidden && field === "chatChannel" });

const SLACK_FIX = "Copy the link from the channel's \"Copy link\" (channel name > Copy > Copy link).";
const TELEGRAM_FIX = "Copy the link from the channel's info (its public t.me link, or Invite Links for a private one).";

describe("a Slack channel link", () => {
    it.each([
        "https://acme.slack.com/archives/C0123ABCD",
        "https://acme-ml.slack.com/archives/C01ABCDEFGH",
        "https://acme.slack.com/archives/G01ABCDEF23",
        "https://acme.enterprise.slack.com/archives/C01ABCDEFGH",
        "https://a.slack.com/archives/C0123ABCD",
    ])("accepts %s", (url) => {
        expect(failuresOf({ service: "slack", url })).toEqual([]);
    });

    it.each([
        ["http://acme.slack.com/archives/C0123ABCD", "not https"],
        ["https://acme.slack.com/archives/c0123abcd", "a channel id in lowercase"],
        ["https://acme.slack.com/archives/D0123ABCD", "a direct message, no channel"],
        ["https://acme.slack.com/archives/C0123", "a channel id too short"],
        ["https://acme.slack.com/archives/C0123ABCD/p1700000000000100", "a message link"],
        ["https://acme.slack.com/archives/C0123ABCD/", "a trailing slash"],
        ["https://acme.slack.com/archives/C0123ABCD?thread=1", "a query"],
        ["https://slack.com/archives/C0123ABCD", "no workspace"],
        ["https://acme.slack.com.example.net/archives/C0123ABCD", "a host that only starts like Slack's"],
        ["https://-acme.slack.com/archives/C0123ABCD", "a workspace starting with a hyphen"],
        ["https://app.slack.com/client/T0123ABCD/C0123ABCD", "the web app's address, not the channel's link"],
        [" https://acme.slack.com/archives/C0123ABCD", "a leading space"],
        ["", "nothing"],
        ["https://t.me/acme_ml", "a Telegram link"],
        [`https://${"a".repeat(64)}.slack.com/archives/C0123ABCD`, "a workspace of 64 characters"],
    ])("refuses %j (%s), naming the field, the value and the fix", (url) => {
        const failures = failuresOf({ service: "slack", url });
        expect(failures).toHaveLength(1);
        expect(failures[0].property).toBe("chatChannel.url");
        expect(failures[0].reason).toBe(`must be a Slack channel link like https://acme.slack.com/archives/C0123ABCD, got ${showValue(url)}. ${SLACK_FIX}`);
    });
});

describe("a Telegram channel link", () => {
    it.each([
        "https://t.me/acme_ml",
        "https://t.me/Acme5",
        `https://t.me/a${"b".repeat(31)}`,
        "https://t.me/+AbCdEf0123456789",
        "https://t.me/+AbCd-Ef_0123456789xyz",
        "https://t.me/joinchat/AAAAAEHbEkejzxUjAUCfYg",
    ])("accepts %s", (url) => {
        expect(failuresOf({ service: "telegram", url })).toEqual([]);
    });

    it.each([
        ["https://t.me/acme", "a username of 4 characters"],
        [`https://t.me/a${"b".repeat(32)}`, "a username of 33 characters"],
        ["https://t.me/1acme", "a username starting with a digit"],
        ["https://t.me/_acme_ml", "a username starting with an underscore"],
        ["https://t.me/acme-ml", "a hyphen in a username"],
        ["https://t.me/acme_ml/42", "a message link"],
        ["https://t.me/joinchat", "Telegram's own path without a code"],
        ["https://t.me/+", "an invite link without a code"],
        ["https://t.me/+abc", "an invite code too short"],
        ["http://t.me/acme_ml", "not https"],
        ["https://telegram.me/acme_ml", "another host than t.me"],
        ["tg://resolve?domain=acme_ml", "the app's own scheme"],
        ["@acme_ml", "a bare username"],
        ["https://acme.slack.com/archives/C0123ABCD", "a Slack link"],
    ])("refuses %j (%s), naming the field, the value and the fix", (url) => {
        const failures = failuresOf({ service: "telegram", url });
        expect(failures).toHaveLength(1);
        expect(failures[0].property).toBe("chatChannel.url");
        expect(failures[0].reason).toBe(
            `must be a Telegram channel link like https://t.me/acme_ml (a public username: 5-32 letters, digits or underscores, starting with a letter) or an invite link like https://t.me/+AbCdEf0123456789, got ${JSON.stringify(url)}. ${TELEGRAM_FIX}`,
        );
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
        expect(validateSpec(KINDS.Community, { organizationId: "orgaaaaaaaaaaaaaaaaa", name: "research", zone: "ru-central1-a" }, { mode: "create" })).toEqual([]);
        expect(failuresOf(null)).toEqual([]);
    });

    it("leaves a link unknown in preview undecided, and still checks the service beside it", () => {
        expect(failuresOf({ service: "slack", url: UNKNOWN })).toEqual([]);
        expect(failuresOf(UNKNOWN)).toEqual([]);
        expect(failuresOf({ service: "irc", url: UNKNOWN }).map((f) => f.property)).toEqual(["chatChannel.service"]);
    });
});
