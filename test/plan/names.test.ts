import { describe, expect, it } from "vitest";
import { autoName, nameStem } from "../../provider/plan/names";
import { DNS_NAME_PATTERN } from "../../provider/model/fields";

describe("autonaming", () => {
    it.each([
        ["training", "training"],
        ["My_Project", "my-project"],
        ["42-things", "r-42-things"],
        ["--weird--", "weird"],
        ["x".repeat(100), "x".repeat(55)],
    ])("stem of %j is %j", (logical, stem) => {
        expect(nameStem(logical)).toBe(stem);
    });
    it("always fits the platform's name pattern", () => {
        for (const logical of ["a", "Z", "9", "é-ü", "a".repeat(80), "a-".repeat(40), "team setup/prod"]) {
            expect(autoName(logical, () => "k3y9z8q")).toMatch(DNS_NAME_PATTERN);
        }
    });
    it("refuses a suffix that would break the pattern", () => {
        expect(() => autoName("x", () => "BAD!")).toThrow(/suffix/);
    });
});
