// The SDK changes of this package never break a program: whatever shape the SDK's module takes in a later version,
// loading goes on, with the saving or without it.
import { describe, expect, it } from "vitest";
import { withoutPromiseTraces } from "../../sdk/promise-traces";
import { leaveOutRegistrationTraces } from "../../sdk/registration-logs";
import { wrapOnce } from "../../sdk/wrap";

const MARKER = Symbol.for("pulumi-mlplatform.test-wrap");
const double = (original: (n: number) => number) => (n: number) => original(n) * 2;

describe("wrapOnce", () => {
    it("wraps a plain module's function once", () => {
        const module = { f: (n: number) => n + 1 };
        expect(wrapOnce(module, "f", MARKER, double)).toBe(true);
        expect(wrapOnce(module, "f", MARKER, double)).toBe(true);
        expect(module.f(1)).toBe(4);
    });

    const callsOriginal = (module: { f?: unknown }) => expect((module.f as (n: number) => number)(1)).toBe(2);
    const nothingToCall = () => undefined;
    it.each([
        ["a frozen module", () => Object.freeze({ f: (n: number) => n + 1 }), callsOriginal],
        ["a getter-only export, as TypeScript compiles re-exports", () => Object.defineProperty({}, "f", { get: () => (n: number) => n + 1, enumerable: true }), callsOriginal],
        ["a non-writable export", () => Object.defineProperty({}, "f", { value: (n: number) => n + 1, writable: false, enumerable: true }), callsOriginal],
        ["a setter that ignores the assignment", () => Object.defineProperty({}, "f", { get: () => (n: number) => n + 1, set: () => undefined }), callsOriginal],
        ["a getter that throws", () => Object.defineProperty({}, "f", { get: () => { throw new Error("moved"); } }), nothingToCall],
        ["a module without the function", () => ({}), (m: { f?: unknown }) => expect(m.f).toBeUndefined()],
        ["a module where it is no function", () => ({ f: 42 }), (m: { f?: unknown }) => expect(m.f).toBe(42)],
    ])("leaves %s as it is and says so", (_label, make: () => object, unchanged: (m: { f?: unknown }) => void) => {
        const module = make() as { f?: unknown };
        expect(wrapOnce(module, "f", MARKER, double)).toBe(false);
        unchanged(module);
    });

    it("leaves an ES module namespace alone", async () => {
        const namespace = await import("../../sdk/wrap");
        expect(wrapOnce(namespace, "wrapOnce", MARKER, (original) => original)).toBe(false);
        expect(namespace.wrapOnce).toBe(wrapOnce);
    });
});

describe("switches", () => {
    it("PULUMI_MLPLATFORM_SDK_PROMISE_TRACES=1 keeps the SDK's promise traces", () => {
        const debuggablePromise = <T>(p: Promise<T>) => p;
        const module = { debuggablePromise };
        expect(withoutPromiseTraces(module, { PULUMI_MLPLATFORM_SDK_PROMISE_TRACES: "1" })).toBe(false);
        expect(module.debuggablePromise).toBe(debuggablePromise);
        expect(withoutPromiseTraces(module, {})).toBe(true);
        expect(module.debuggablePromise).not.toBe(debuggablePromise);
    });

    it("PULUMI_MLPLATFORM_SDK_DEBUG_LOGS=1 keeps the SDK's registration messages", () => {
        const debug = async () => undefined;
        const module = { debug };
        expect(leaveOutRegistrationTraces(module, new Set(["t"]), { PULUMI_MLPLATFORM_SDK_DEBUG_LOGS: "1" })).toBe(false);
        expect(module.debug).toBe(debug);
        expect(leaveOutRegistrationTraces(module, new Set(["t"]), {})).toBe(true);
        expect(module.debug).not.toBe(debug);
    });

    it("a frozen SDK module loads without the saving", () => {
        expect(withoutPromiseTraces(Object.freeze({ debuggablePromise: <T>(p: Promise<T>) => p }), {})).toBe(false);
        expect(leaveOutRegistrationTraces(Object.freeze({ debug: async () => undefined }), new Set(["t"]), {})).toBe(false);
    });
});
