// Field schemas, property-based: generated valid and invalid names, zones, subjects, labels and numbers are
// judged like a hand-written oracle judges them (written from the platform's rules, not from our regexes);
// every refusal names the field and the value as given and says how to fix it; nothing ever crashes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { showValue } from "../../provider/model/errors";
import { DNS_NAME_PATTERN, SUBJECT_PATTERN, ZONE_PATTERN } from "../../provider/model/fields";
import { KIND_NAMES, KindName, KINDS } from "../../provider/model/kinds";
import { validateSpec } from "../../provider/rules/validation";
import { EMULATOR_IDS } from "../../provider/model/ids";

const RUNS = { numRuns: 300 };
const chars = (alphabet: string, maxLength: number, minLength = 0) =>
    fc.string({ unit: fc.constantFrom(...alphabet), minLength, maxLength });

// ---- oracles, from the platform's wording -----------------------------------------------------------
const lowerAlnum = (c: string) => /^[a-z0-9]$/.test(c);
/** Project-level names: 1-63 of a-z, 0-9, -; starts with a letter, does not end with a hyphen. */
const isDnsName = (s: string) => s.length >= 1 && s.length <= 63 && /^[a-z]$/.test(s[0]) && s[s.length - 1] !== "-" && [...s].every((c) => lowerAlnum(c) || c === "-");
/** Community names: up to 63 characters, starts with a letter or digit, no whitespace. */
const isCommunityName = (s: string) => {
    const cps = [...s];
    return cps.length >= 1 && cps.length <= 63 && /^[\p{L}\p{N}]$/u.test(cps[0]) && !/\s/.test(s);
};
/**
 * Zones: the platform's availability zones, and only those. ru-central1-c was retired; a well-formed id of a zone
 * that does not exist (ru-central9-x) is no zone either.
 */
const PLATFORM_ZONES = ["ru-central1-a", "ru-central1-b", "ru-central1-d"];
const isZone = (s: string) => PLATFORM_ZONES.includes(s);
const SUBJECT_TYPES = ["userAccount", "serviceAccount", "federatedUser", "group"];
const isSubject = (s: string) => {
    const at = s.indexOf(":");
    if (at < 0) return false;
    const [type, id] = [s.slice(0, at), s.slice(at + 1)];
    return SUBJECT_TYPES.includes(type) && id.length >= 1 && id.length <= 100 && /^[A-Za-z0-9]$/.test(id[0]) && [...id].every((c) => /^[-_.@A-Za-z0-9]$/.test(c));
};
const isLabelKey = (k: string) => k.length >= 1 && k.length <= 63 && /^[a-z]$/.test(k[0]) && [...k].every((c) => lowerAlnum(c) || c === "-" || c === "_");
const isLabelValue = (v: unknown) => typeof v === "string" && v.length <= 63 && [...v].every((c) => lowerAlnum(c) || c === "-" || c === "_");

// ---- generators: near-valid values of both classes, plus anything at all --------------------------------
const nameLike = fc.oneof(chars("abz09-_A .", 70), fc.stringMatching(DNS_NAME_PATTERN), fc.string(), fc.constantFrom("", "a", "a-", "-a", "a".repeat(63), "a".repeat(64)));
const communityNameLike = fc.oneof(chars("aZ9-_.ÿж \t", 70), fc.string({ unit: "grapheme", maxLength: 70 }), fc.constantFrom("x".repeat(63), "x".repeat(64), " x", "x y", "_x"));
const zoneLike = fc.oneof(
    fc.stringMatching(ZONE_PATTERN), chars("ru-c1ab", 16), fc.constantFrom(...PLATFORM_ZONES),
    fc.constantFrom("ru-central1-c", "ru-central9-x", "ru-central2-a", "kz1-a", "ru-central1", "ru-central1-ab", "r-central1-a", "RU-CENTRAL1-A", "ru-central-a", " ru-central1-a"),
);
const subjectLike = fc.oneof(
    fc.stringMatching(SUBJECT_PATTERN),
    fc.tuple(fc.constantFrom(...SUBJECT_TYPES, "user", "UserAccount", ""), fc.constantFrom(":", "", "::"), chars("aZ09-_.@ :/", 110)).map(([t, sep, id]) => `${t}${sep}${id}`),
);

/** Only this field, as a patch: the only failures possible are the generated value's. */
function validate(kind: KindName, field: string, value: unknown) {
    return validateSpec(KINDS[kind], { [field]: value }, { ids: EMULATOR_IDS, mode: "patch" });
}

/** Refused exactly when the oracle says so; a refusal names the field and the value, and ends with a fix. */
function judgedLike(kind: KindName, field: string, oracle: (v: string) => boolean) {
    return (value: string) => {
        const failures = validate(kind, field, value);
        if (oracle(value)) {
            expect(failures, `${JSON.stringify(value)} is valid`).toEqual([]);
        } else {
            expect(failures.map((f) => f.property), `${JSON.stringify(value)} is invalid`).toEqual([field]);
            expect(failures[0].reason).toContain(`got ${showValue(value)}.`);
            expect(failures[0].reason).toMatch(/^must .*\. \S.*\.$/s);
        }
    };
}

describe("generated values are judged like the platform's rules judge them", () => {
    it.each([
        ["project names", "Project", "name", isDnsName, nameLike],
        ["dataset names", "Dataset", "name", isDnsName, nameLike],
        ["organization names", "Organization", "name", isDnsName, nameLike],
        ["community names", "Community", "name", isCommunityName, communityNameLike],
        ["community zones", "Community", "zone", isZone, zoneLike],
        ["organization default zones", "Organization", "defaultZone", isZone, zoneLike],
        ["community member subjects", "CommunityMember", "subject", isSubject, subjectLike],
        ["project member subjects", "ProjectMember", "subject", isSubject, subjectLike],
    ] as const)("%s", (_label, kind, field, oracle, arbitrary) => {
        fc.assert(fc.property(arbitrary, judgedLike(kind, field, oracle)), RUNS);
    });

    it("subjects in an organization's admins and members lists", () => {
        fc.assert(fc.property(fc.array(subjectLike, { maxLength: 4 }), (subjects) => {
            const failures = validate("Organization", "admins", subjects);
            const bad = subjects.map((s, i) => (isSubject(s) ? undefined : `admins.${i}`)).filter(Boolean);
            expect(failures.map((f) => f.property)).toEqual(bad);
            failures.forEach((f) => expect(f.reason).toContain(`got ${showValue(subjects[Number(f.property.split(".")[1])])}.`));
        }), RUNS);
    });

    const numbers = fc.oneof(fc.integer({ min: -10, max: 5000 }), fc.double(), fc.constantFrom(0, 1, 4096, 4097, -0, NaN, Infinity, -Infinity, 1e21, 0.5));
    it.each([
        ["Dataset", "sizeGb", 1, 4096],
        ["Node", "replicas", 1, 16],
        ["Project", "unitBalance", 0, 1_000_000_000],
    ] as const)("%s.%s: whole numbers from %i to %i", (kind, field, min, max) => {
        fc.assert(fc.property(numbers, (value) => {
            const failures = validate(kind, field, value);
            if (Number.isInteger(value) && value >= min && value <= max) {
                expect(failures).toEqual([]);
            } else {
                // Unsafe integers break two rules at once (whole number, range): each is reported, each names the value.
                expect(failures.length).toBeGreaterThan(0);
                for (const f of failures) {
                    expect(f.property).toBe(field);
                    expect(f.reason).toContain(`got ${String(value)}.`);
                    expect(f.reason).toMatch(new RegExp(`^must .* Set a whole number of .* between ${min} and ${max}\\.$`));
                }
            }
        }), RUNS);
    });

    it("labels: at most 64, keys and values of the platform's alphabet", () => {
        const key = fc.oneof(fc.stringMatching(/^[a-z][-_0-9a-z]{0,62}$/), chars("az09-_A.", 66));
        const value = fc.oneof(fc.stringMatching(/^[-_0-9a-z]{0,63}$/), chars("az09-_ A", 66), fc.integer());
        const labels = fc.oneof(
            fc.dictionary(key, value, { maxKeys: 4 }),
            fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9]{0,10}$/), fc.constant("v"), { minKeys: 60, maxKeys: 70 }),
        );
        fc.assert(fc.property(labels, (map) => {
            const failures = validate("Project", "labels", map);
            const entries = Object.entries(map);
            const badKeys = entries.filter(([k]) => !isLabelKey(k)).map(([k]) => `labels.${k}`);
            const badValues = entries.filter(([, v]) => !isLabelValue(v)).map(([k]) => `labels.${k}`);
            if (entries.length <= 64 && badKeys.length === 0 && badValues.length === 0) {
                expect(failures).toEqual([]);
                return;
            }
            expect(failures.length).toBeGreaterThan(0);
            for (const f of failures) expect(f.property === "labels" || f.property.startsWith("labels.")).toBe(true);
            for (const p of [...badKeys, ...badValues]) expect(failures.map((f) => f.property)).toContain(p);
            if (entries.length > 64) expect(failures.map((f) => f.reason)).toContainEqual(expect.stringMatching(/^must have at most 64 labels/));
            // A bad key is shown as the key itself.
            for (const [k] of entries.filter(([k]) => !isLabelKey(k))) {
                expect(failures.find((f) => f.property === `labels.${k}` && /label keys/.test(f.reason))?.reason).toContain(`got ${showValue(k)}.`);
            }
        }), RUNS);
    });
});

describe("anything at all", () => {
    const everyField = KIND_NAMES.flatMap((kind) => Object.keys(KINDS[kind].spec.shape).map((field) => [kind, field] as const));
    it("never crashes validation; every failure is on the field and never shows a secret", () => {
        fc.assert(fc.property(fc.constantFrom(...everyField), fc.anything({ withNullPrototype: true, withBoxedValues: true, withBigInt: true, withSparseArray: true }), ([kind, field], value) => {
            const failures = validate(kind, field, value);
            for (const f of failures) {
                expect(f.property === field || f.property.startsWith(`${field}.`), `${f.property} for ${field}`).toBe(true);
                expect(f.reason.length).toBeGreaterThan(0);
                if (KINDS[kind].secrets.includes(field)) expect(f.reason).toContain("[secret]");
            }
        }), { numRuns: 1000 });
    });
});
