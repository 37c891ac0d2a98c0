// The Pulumi SDK's promise traces are recorded without frames unless its leak report is asked for.
import { createRequire } from "module";
import { describe, expect, it } from "vitest";
import { withoutPromiseTraces } from "../../sdk/promise-traces";

describe("promise traces", () => {
    const fakeModule = () => {
        const limits: number[] = [];
        const module = {
            debuggablePromise: <T>(p: Promise<T>, _ctx: unknown): Promise<T> => {
                limits.push(Error.stackTraceLimit);
                return p;
            },
        };
        return { module, limits };
    };

    it("records them with no frames, restores the limit, and wraps once", async () => {
        const { module, limits } = fakeModule();
        const limit = Error.stackTraceLimit;
        withoutPromiseTraces(module);
        const once = module.debuggablePromise;
        withoutPromiseTraces(module);
        expect(module.debuggablePromise).toBe(once);
        expect(await module.debuggablePromise(Promise.resolve(7), "ctx")).toBe(7);
        expect(limits).toEqual([0]);
        expect(Error.stackTraceLimit).toBe(limit);
    });

    it("restores the limit when the SDK's function throws", () => {
        const limit = Error.stackTraceLimit;
        const module = { debuggablePromise: <T>(_p: Promise<T>, _ctx: unknown): Promise<T> => { throw new Error("inside"); } };
        withoutPromiseTraces(module);
        expect(() => module.debuggablePromise(Promise.resolve(1), "ctx")).toThrow("inside");
        expect(Error.stackTraceLimit).toBe(limit);
    });

    it("keeps every frame when PULUMI_DEBUG_PROMISE_LEAKS asks for the leak report", () => {
        const { module } = fakeModule();
        const original = module.debuggablePromise;
        const reporting = { ...module, debugPromiseLeaks: true };
        withoutPromiseTraces(reporting);
        expect(reporting.debuggablePromise).toBe(original);
    });

    it("is installed on the SDK the package registers through, which records a frameless trace", () => {
        const nativeRequire = createRequire(__filename);
        nativeRequire("pulumi-mlplatform");
        const debuggable = nativeRequire("@pulumi/pulumi/runtime/debuggable");
        const p: Promise<number> & { _debugStackTrace?: string } = Promise.resolve(1);
        debuggable.debuggablePromise(p, "test");
        // The SDK records the trace on the promise it was given: the error's first line alone, no frames.
        expect(p._debugStackTrace).toMatch(/^Error/);
        expect(p._debugStackTrace).not.toMatch(/\n\s+at /);
    });
});
