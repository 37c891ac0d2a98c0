// Bad input of every field type: generated values are rejected with a message naming the field and the
// value, never crash, and change nothing in the database. Valid values of the same fields are accepted.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { COMMUNITY_NAME_PATTERN, DNS_NAME_PATTERN, LABEL_KEY_PATTERN, SUBJECT_PATTERN, ZONE_PATTERN } from "../../provider/model/fields";
import { showValue } from "../../provider/model/errors";
import { KINDS } from "../../provider/model/kinds";
import { validateSpec } from "../../provider/rules/validation";
import { expectError, platform, world } from "../controlplane/support";

const runs = { numRuns: 200 };
const badString = fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), fc.constantFrom("", " ", "UPPER", "-lead", "trail-", "a b", "x".repeat(64)));
const notA = {
    number: fc.oneof(fc.string(), fc.boolean(), fc.constant([]), fc.double({ noInteger: true }), fc.integer({ max: 0 }), fc.integer({ min: 5000 })),
    string: fc.oneof(fc.integer(), fc.boolean(), fc.constant({}), fc.constant([])),
};

function failuresFor(kind: keyof typeof KINDS, field: string, value: unknown) {
    const valid: Record<string, unknown> = { projectId: "prjaaaaaaaaaaaaaaaaa", name: "ok", sizeGb: 1, communityId: "comaaaaaaaaaaaaaaaaa", subject: "userAccount:a", role: "viewer", organizationId: "orgaaaaaaaaaaaaaaaaa", zone: "ru-central1-a" };
    const spec = Object.fromEntries(Object.keys(KINDS[kind].spec.shape).filter((k) => k in valid).map((k) => [k, valid[k]]));
    return validateSpec(KINDS[kind], { ...spec, [field]: value }, { mode: "create" });
}

describe("field validation, generated", () => {
    const fields: [string, keyof typeof KINDS, string, RegExp, fc.Arbitrary<unknown>][] = [
        ["project names", "Project", "name", DNS_NAME_PATTERN, badString],
        ["community names", "Community", "name", COMMUNITY_NAME_PATTERN, badString],
        ["zones", "Community", "zone", ZONE_PATTERN, badString],
        ["subjects", "CommunityMember", "subject", SUBJECT_PATTERN, badString],
    ];
    it.each(fields)("%s: invalid values fail with the field and value named, valid ones pass", (_label, kind, field, pattern, arbitrary) => {
        fc.assert(fc.property(arbitrary, (value) => {
            const failures = failuresFor(kind, field, value);
            const valid = typeof value === "string" && pattern.test(value);
            if (valid) return failures.length === 0;
            const mine = failures.find((f) => f.property === field);
            // The reason names the value as given and ends with how to fix it.
            return mine !== undefined && mine.reason.includes(`got ${showValue(value)}.`) && /\. \S.*\.$/.test(mine.reason);
        }), runs);
    });

    it("numbers: non-numbers, fractions and out-of-range values fail", () => {
        fc.assert(fc.property(notA.number, (value) => {
            const failures = failuresFor("Dataset", "sizeGb", value);
            return failures.some((f) => f.property === "sizeGb" && /must/.test(f.reason));
        }), runs);
    });

    it("strings: non-strings fail", () => {
        fc.assert(fc.property(notA.string, (value) => failuresFor("Project", "name", value).some((f) => f.property === "name")), runs);
    });

    it("labels: bad keys, bad values and too many labels fail; good ones pass", () => {
        const key = fc.stringMatching(LABEL_KEY_PATTERN);
        const goodLabels = fc.dictionary(key, fc.stringMatching(/^[-_0-9a-z]{0,63}$/), { maxKeys: 64 });
        fc.assert(fc.property(goodLabels, (labels) => failuresFor("Project", "labels", labels).length === 0), runs);
        fc.assert(fc.property(fc.dictionary(fc.string({ minLength: 1 }).filter((k) => !LABEL_KEY_PATTERN.test(k)), fc.constant("v"), { minKeys: 1, maxKeys: 3 }),
            (labels) => failuresFor("Project", "labels", labels).some((f) => f.property.startsWith("labels"))), runs);
        const tooMany = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, "v"]));
        expect(failuresFor("Project", "labels", tooMany).map((f) => f.reason)).toEqual([expect.stringMatching(/at most 64 labels/)]);
    });
});

describe("bad input changes nothing in the database", () => {
    it("every generated bad dataset is refused with INVALID_ARGUMENT and no row is written", () => {
        const p = platform();
        const w = world(p);
        const before = p.count();
        const bad = fc.record({
            name: fc.oneof(badString.filter((s) => !DNS_NAME_PATTERN.test(s)), fc.constant("fine")),
            sizeGb: fc.oneof(notA.number, fc.constant(1)),
            labels: fc.oneof(fc.constant({ "Bad Key": "x" }), fc.constant({ ok: "fine" })),
        }).filter((r) => r.name !== "fine" || r.sizeGb !== 1 || "Bad Key" in r.labels);
        fc.assert(fc.property(bad, (spec) => {
            const e = expectError(() => p.owner.create("Dataset", { projectId: w.project.id, ...spec }));
            return e.code === "INVALID_ARGUMENT" && /^Dataset/.test(e.message) && p.count() === before;
        }), { numRuns: 100 });
    });
});
