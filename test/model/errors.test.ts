// Platform errors: codes and HTTP statuses, one message shape, values shown shortened and secrets never shown.
import { describe, expect, it } from "vitest";
import { ERROR_CODES, invalidArgument, isPlatformError, PlatformError, showValue, subjectOf } from "../../provider/model/errors";

describe("PlatformError", () => {
    it.each([
        ["INVALID_ARGUMENT", 400], ["FAILED_PRECONDITION", 400], ["UNAUTHENTICATED", 401], ["PERMISSION_DENIED", 403],
        ["NOT_FOUND", 404], ["ALREADY_EXISTS", 409], ["ABORTED", 409], ["RESOURCE_EXHAUSTED", 429], ["INTERNAL", 500], ["UNAVAILABLE", 503],
    ] as const)("%s is HTTP %i", (code, status) => {
        expect(ERROR_CODES[code]).toBe(status);
        expect(new PlatformError(code, "m").httpStatus).toBe(status);
    });

    it("serializes code, message and failures", () => {
        const e = new PlatformError("NOT_FOUND", "gone", [{ property: "id", reason: "r" }]);
        expect(e).toBeInstanceOf(Error);
        expect(e.name).toBe("PlatformError");
        expect(JSON.parse(JSON.stringify(e))).toEqual({ code: "NOT_FOUND", message: "gone", failures: [{ property: "id", reason: "r" }] });
    });

    it("is recognised in process and after crossing a process boundary", () => {
        const e = new PlatformError("ABORTED", "x");
        expect(isPlatformError(e)).toBe(true);
        expect(isPlatformError(e, "ABORTED")).toBe(true);
        expect(isPlatformError(e, "NOT_FOUND")).toBe(false);
        expect(isPlatformError({ name: "PlatformError", code: "NOT_FOUND", message: "x" }, "NOT_FOUND")).toBe(true);
        for (const other of [new Error("x"), { code: "NOT_FOUND" }, null, undefined, "PlatformError"]) expect(isPlatformError(other)).toBe(false);
    });
});

describe("showValue", () => {
    it.each([
        ["text", '"text"'],
        [42, "42"],
        [1.5, "1.5"],
        [true, "true"],
        [null, "null"],
        [undefined, "nothing"],
        [[1, "a"], '[1,"a"]'],
        [{ a: 1 }, '{"a":1}'],
        [NaN, "NaN"],
        [Infinity, "Infinity"],
        [-Infinity, "-Infinity"],
        ["x".repeat(80), `"${"x".repeat(78)}…`],
        ["x".repeat(78), `"${"x".repeat(78)}"`],
    ])("shows %j as %s", (value, shown) => {
        expect(showValue(value)).toBe(shown);
    });

    it("shows what JSON cannot print instead of crashing", () => {
        expect(showValue(10n)).toBe("10n");
        expect(showValue({ n: 10n })).toBe('{"n":"10n"}');
        const cycle: Record<string, unknown> = {};
        cycle.self = cycle;
        expect(showValue(cycle)).toBe("[object Object]");
        expect(showValue(Symbol("s"))).toBe("Symbol(s)");
    });

    it("shows a value unknown in preview as [unknown], never as Pulumi's sentinel, at any depth", () => {
        const U = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        expect(showValue(U)).toBe("[unknown]");
        expect(showValue([{ nodeId: U, weight: 1 }, U])).toBe('[{"nodeId":[unknown],"weight":1},[unknown]]');
        expect(showValue({ a: `${U}x` })).toBe(`{"a":"${U}x"}`);
        expect(showValue(U, true)).toBe("[secret]");
    });

    it("never shows a secret", () => {
        for (const v of ["hunter2", "", 1, undefined, { a: "b" }]) expect(showValue(v, true)).toBe("[secret]");
    });

    it("keeps every shown value at 80 characters at most", () => {
        for (const n of [0, 10, 79, 80, 81, 500]) expect(showValue("y".repeat(n)).length).toBeLessThanOrEqual(80);
    });
});

describe("message shape", () => {
    it("names the subject", () => {
        expect(subjectOf("Dataset", "train")).toBe('Dataset "train"');
        expect(subjectOf("Dataset", "")).toBe("Dataset");
        expect(subjectOf("Dataset", undefined)).toBe("Dataset");
        expect(subjectOf("Dataset", 5)).toBe("Dataset");
    });

    it("puts one failure on one line and several on their own lines", () => {
        const one = invalidArgument("Dataset", "train", [{ property: "sizeGb", reason: "must be at least 1, got 0." }]);
        expect(one.code).toBe("INVALID_ARGUMENT");
        expect(one.message).toBe('Dataset "train": sizeGb must be at least 1, got 0.');
        const two = invalidArgument("Dataset", undefined, [{ property: "a", reason: "x." }, { property: "b", reason: "y." }]);
        expect(two.message).toBe("Dataset: 2 invalid fields:\n  - a x.\n  - b y.");
        expect(two.failures).toHaveLength(2);
    });
});
