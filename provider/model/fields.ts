// Field schemas shared by every kind. Each carries its own error wording and a `fix` hint (zod metadata),
// so a failure anywhere can be reported as `<field> <what is wrong>, got <value>. <how to fix>`.
import { z } from "zod";
import { PASS_AN_ID } from "./ids";

/** Attaches the "how to fix" sentence that error messages append. */
export function withFix<T extends z.ZodType>(schema: T, fix: string, description?: string): T {
    return schema.meta({ fix, ...(description ? { description } : {}) }) as T;
}

/** The fix hint declared on a schema, if any (looks through optional/default wrappers). */
export function fixOf(schema: z.ZodType | undefined): string | undefined {
    for (let s: any = schema; s; s = s.def?.innerType) {
        const meta = s.meta?.();
        if (meta?.fix) return meta.fix as string;
    }
    return undefined;
}

/**
 * The platform's availability zones: a community lives in one of them for life, a node's instances may run in
 * another. ru-central1-c was retired (replaced by ru-central1-d); nothing new can be placed there.
 */
export const ZONES = ["ru-central1-a", "ru-central1-b", "ru-central1-d"] as const;
export type Zone = (typeof ZONES)[number];
const RETIRED_ZONES: readonly string[] = ["ru-central1-c"];
/** The shape of a zone id. Every zone in ZONES has it; a value without it is surely not a zone. */
export const ZONE_PATTERN = /^[a-z]{2,}-[a-z]+[0-9]+-[a-z]$/;
export const zone = withFix(
    z.enum(ZONES, {
        error: (issue) => RETIRED_ZONES.includes(issue.input as string)
            ? `must be an availability zone of the platform (${String(issue.input)} is retired)`
            : "must be an availability zone of the platform",
    }),
    `Use ${ZONES.slice(0, -1).join(", ")} or ${ZONES[ZONES.length - 1]}.`,
    `Availability zone id: ${ZONES.join(", ")}.`,
// The SDK types a zone as a string (a program may read it from config); check names the zones it accepts.
).meta({ tsType: "string" });

// Organization and project-level names follow the platform's DNS-like pattern.
export const DNS_NAME_PATTERN = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
export const dnsName = withFix(
    z.string().regex(DNS_NAME_PATTERN, "must be 1-63 lowercase letters, digits or hyphens, start with a letter and not end with a hyphen"),
    "Use lowercase letters, digits and hyphens, e.g. \"ml-team\".",
);

// Community names: up to 63 characters, start with a letter or digit, no whitespace (platform API).
export const COMMUNITY_NAME_PATTERN = /^[\p{L}\p{N}][^\s]{0,62}$/u;
export const communityName = withFix(
    z.string().regex(COMMUNITY_NAME_PATTERN, "must be 1-63 characters without whitespace, starting with a letter or digit"),
    "Remove spaces and start the name with a letter or digit, e.g. \"research-team\".",
);

export const displayName = withFix(
    z.string().min(1, "must not be empty").max(63, "must be at most 63 characters").refine((s) => s.trim() === s, "must not start or end with whitespace"),
    "Use 1-63 characters without leading or trailing spaces.",
);

export const description = withFix(
    z.string().max(256, "must be at most 256 characters"),
    "Shorten the description to 256 characters or fewer.",
);

export const LABEL_KEY_PATTERN = /^[a-z][-_0-9a-z]{0,62}$/;
export const LABEL_VALUE_PATTERN = /^[-_0-9a-z]{0,63}$/;
export const labels = withFix(
    z.record(
        z.string().regex(LABEL_KEY_PATTERN, "label keys must be 1-63 characters of a-z, 0-9, - and _, starting with a letter"),
        z.string().regex(LABEL_VALUE_PATTERN, "label values must be at most 63 characters of a-z, 0-9, - and _"),
    ).refine((m) => Object.keys(m).length <= 64, "must have at most 64 labels"),
    "Use at most 64 labels with lowercase keys like \"team\" and values like \"ml\".",
);

// Subjects name who gets a role: `userAccount:alice`, `serviceAccount:ci-bot`, `group:admins`.
export const SUBJECT_PATTERN = /^(userAccount|serviceAccount|federatedUser|group):[A-Za-z0-9][-_.@A-Za-z0-9]{0,99}$/;
export const subject = withFix(
    z.string().regex(SUBJECT_PATTERN, "must be a subject like userAccount:<id>, serviceAccount:<id>, federatedUser:<id> or group:<id>"),
    "Write the subject as <type>:<id>, e.g. \"userAccount:alice\".",
);

export const ROLES = ["viewer", "developer", "editor", "admin"] as const;
export type Role = (typeof ROLES)[number];
export const role = withFix(
    z.enum(ROLES, { message: "must be one of viewer, developer, editor, admin" }),
    "Choose one of viewer, developer, editor, admin.",
).meta({ typeName: "Role", typeDoc: "A role in a community or a project: viewer, developer, editor or admin." });

/**
 * An object's id. Only a string here: which strings are ids depends on the backend (the emulator's or DataSphere's),
 * so the check takes the backend's id shape as data (ids.ts) and validates every id field against it.
 */
export const objectId = withFix(z.string(), PASS_AN_ID);

export const positiveInt = (max: number, unit: string) =>
    withFix(
        z.number({ message: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(max, `must be at most ${max}`),
        `Set a whole number of ${unit} between 1 and ${max}.`,
    );

export const nonNegativeInt = (max: number, unit: string) =>
    withFix(
        z.number({ message: "must be a number" }).int("must be a whole number").min(0, "must not be negative").max(max, `must be at most ${max}`),
        `Set a whole number of ${unit} between 0 and ${max}.`,
    );

export const text = (max: number, what: string) =>
    withFix(z.string().min(1, "must not be empty").max(max, `must be at most ${max} characters`), `Set ${what} (1-${max} characters).`);

/** A value that must never appear in plain text outside the encrypted store. */
export const secretText = (what: string) =>
    withFix(z.string().min(1, "must not be empty").max(65536, "must be at most 64 KiB"), `Set ${what} (1 byte to 64 KiB).`);

export const uri = (what: string, schemes: readonly string[]) =>
    withFix(
        z.string().max(2048, "must be at most 2048 characters").refine((s) => {
            try {
                return schemes.includes(new URL(s).protocol.replace(/:$/, ""));
            } catch {
                return false;
            }
        }, `must be a ${schemes.join(" or ")} URL`),
        `Set ${what} to a ${schemes.join(" or ")} URL, e.g. "${schemes[0]}://example.net/path".`,
    );

// Docker image references: [registry/]repository[:tag][@sha256:digest]
export const IMAGE_REF_PATTERN = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;
export const imageReference = withFix(
    z.string().max(512, "must be at most 512 characters").regex(IMAGE_REF_PATTERN, "must be a Docker image reference like cr.example.net/team/image:tag"),
    "Use registry/repository:tag, e.g. \"cr.yandex/crp123/trainer:1.4\".",
);

export const BUCKET_PATTERN = /^[a-z0-9][-.a-z0-9]{1,61}[a-z0-9]$/;
export const bucket = withFix(
    z.string().regex(BUCKET_PATTERN, "must be 3-63 characters of lowercase letters, digits, dots and hyphens"),
    "Use the bucket's name as in object storage, e.g. \"ml-datasets\".",
);

// Chat channels a community links so that its members can talk (the communities seed). A link must be one a member
// can open: the address the service's own "Copy link" gives, checked by shape, since the platform cannot ask Slack
// or Telegram whether the channel exists.

/**
 * Slack: `https://<workspace>.slack.com/archives/<channel id>` (Enterprise Grid workspaces have `.enterprise.` in
 * the host). Channel ids are uppercase letters and digits, C… for public channels and G… for private ones; a D…
 * direct message or a message link (`/p<timestamp>`) is no channel.
 */
export const SLACK_CHANNEL_LINK = /^https:\/\/[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.enterprise)?\.slack\.com\/archives\/[CG][A-Z0-9]{8,14}$/;
/**
 * Telegram: a public channel or group by its username, `https://t.me/<username>` (5-32 letters, digits or
 * underscores, starting with a letter; `joinchat` is Telegram's path, no username), or a private one by its invite
 * link, `https://t.me/+<code>` or the older `https://t.me/joinchat/<code>`.
 */
export const TELEGRAM_CHANNEL_LINK = /^https:\/\/t\.me\/(?:(?!joinchat$)[A-Za-z][A-Za-z0-9_]{4,31}|\+[A-Za-z0-9_-]{10,64}|joinchat\/[A-Za-z0-9_-]{10,64})$/;

const SLACK_SAYS = "must be a Slack channel link like https://acme.slack.com/archives/C0123ABCD";
const TELEGRAM_SAYS = "must be a Telegram channel link like https://t.me/acme_ml (a public username: 5-32 letters, digits or underscores, starting with a letter) or an invite link like https://t.me/+AbCdEf0123456789";
// The same words whether the value is a wrong string or no string at all (a number, nothing). The patterns bound
// every part's length, so no length check of its own is needed.
const channelLink = (pattern: RegExp, says: string, fix: string) => withFix(z.string({ message: says }).regex(pattern, says), fix);

export const chatChannel = withFix(
    z.discriminatedUnion("service", [
        z.strictObject({
            service: z.literal("slack").describe("The channel is in Slack."),
            url: channelLink(SLACK_CHANNEL_LINK, SLACK_SAYS, "Copy the link from the channel's \"Copy link\" (channel name > Copy > Copy link).")
                .describe("The channel's link, `https://<workspace>.slack.com/archives/<channel id>`, as Slack's \"Copy link\" gives it."),
        }),
        z.strictObject({
            service: z.literal("telegram").describe("The channel is in Telegram."),
            url: channelLink(TELEGRAM_CHANNEL_LINK, TELEGRAM_SAYS, "Copy the link from the channel's info (its public t.me link, or Invite Links for a private one).")
                .describe("The channel's public link `https://t.me/<username>`, or an invite link `https://t.me/+<code>` for a private one."),
        }),
    ], {
        // No known `service` (or none at all) says which services there are; anything but an object says the shape.
        error: (issue) => issue.code === "invalid_union" ? "must be \"slack\" or \"telegram\"" : "must be { service: \"slack\", url } or { service: \"telegram\", url }",
    }),
    "Link a Slack channel with { service: \"slack\", url: \"https://<workspace>.slack.com/archives/<channel id>\" } or a Telegram one with { service: \"telegram\", url: \"https://t.me/<username>\" }.",
).meta({ typeName: "ChatChannel", typeDoc: "A Slack or Telegram channel the community's members talk in." });
