// The storage benchmark's own figures: every operation is timed, and the WAL page counts (which are not timings,
// and so can be checked) see what each write touches: one row and its key for the raw write, more for a create.
import { describe, expect, it } from "vitest";
import { benchStorage } from "../../bench/storage";

describe("storage benchmark", () => {
    it("times every operation and counts the WAL pages of each write", () => {
        const figures = benchStorage(100);
        expect(figures.operations).toBe(100);
        for (const key of ["rawWriteMicros", "createMicros", "providerCreateMicros", "updateMicros", "getMicros", "deleteMicros"] as const) {
            expect(figures[key]).toBeGreaterThan(0);
        }
        const pages = figures.walPages;
        // A raw write is a table row plus its primary-key index: two b-trees, so at least two pages.
        expect(pages.rawWrite).toBeGreaterThanOrEqual(2);
        // A create also writes the uniqueness and parent indexes; the provider's create adds its idempotency key.
        expect(pages.create).toBeGreaterThan(pages.rawWrite);
        expect(pages.providerCreate).toBeGreaterThan(pages.create);
        expect(pages.update).toBeGreaterThanOrEqual(1);
        expect(pages.delete).toBeGreaterThanOrEqual(pages.rawWrite);
    });
});
