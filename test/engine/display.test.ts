// The plan printer: Pulumi's line, summary, outputs and diagnostics shapes.
import { describe, expect, it } from "vitest";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { Printer, type Counts } from "../../engine/display";
import { makeSecret } from "../../engine/values";

function capture(verbose = false, color = false) {
    const out: string[] = [];
    const err: string[] = [];
    const printer = new Printer({ write: (t: string) => out.push(t) }, { write: (t: string) => err.push(t) }, verbose, color);
    return { printer, out: () => out.join(""), err: () => err.join("") };
}

const URN = "urn:pulumi:dev::proj::pulumi-nodejs:dynamic:Resource::db";
const STACK = "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev";

describe("Printer", () => {
    it.each<[string, Counts, boolean, string]>([
        ["one kind: no total", { create: 3 }, true, "Resources:\n    + 3 to create\n\n"],
        ["several kinds: a total, in the display's order", { replace: 1, delete: 2, create: 3, same: 5 }, true, "Resources:\n    + 3 to create\n    - 2 to delete\n    +-1 to replace\n    6 changes. 5 unchanged\n\n"],
        ["past tense after an update", { update: 1, replace: 1 }, false, "Resources:\n    ~ 1 updated\n    +-1 replaced\n    2 changes\n\n"],
        ["nothing to do", { same: 4 }, true, "Resources:\n    4 unchanged\n\n"],
    ])("summary: %s", (_why, counts, preview, expected) => {
        const c = capture();
        c.printer.summary(counts, preview);
        expect(c.out()).toBe(expected);
    });

    it("prints one line per step, with the short diff and failures", () => {
        const c = capture();
        c.printer.step({ op: "replace", urn: URN, diff: { adds: [], deletes: [], updates: ["zone"] } }, true);
        c.printer.step({ op: "create", urn: URN, failed: true }, false);
        c.printer.step({ op: "delete-replaced", urn: URN }, false);
        expect(c.out()).toBe(
            "    +- pulumi-nodejs:dynamic:Resource  db  replace [diff: ~zone]\n" +
                "    + pulumi-nodejs:dynamic:Resource  db  **creating failed**\n" +
                "    -- pulumi-nodejs:dynamic:Resource  db  deleted original\n",
        );
    });

    it("aligns outputs and redacts secrets and unknowns", () => {
        const c = capture();
        c.printer.outputs({ url: "https://x", password: makeSecret("p"), pending: unknownValue, obj: { a: makeSecret(1) } });
        expect(c.out()).toBe(
            'Outputs:\n    obj     : {\n        "a": "[secret]"\n    }\n    password: [secret]\n    pending : output<string>\n    url     : "https://x"\n\n',
        );
    });

    it("groups diagnostics by resource, files the rest under the stack, hides debug, strips colors off a terminal", () => {
        const c = capture();
        c.printer.diagnostics(
            [
                { severity: "error", urn: URN, message: "first\nsecond line" },
                { severity: "warning", urn: "", message: "\u001b[31mred\u001b[39m" },
                { severity: "debug", urn: "", message: "noise" },
                { severity: "info", urn: URN, message: "hello" },
            ],
            STACK,
        );
        expect(c.err()).toBe(
            "Diagnostics:\n" +
                "  pulumi-nodejs:dynamic:Resource (db):\n    error: first\n    second line\n    hello\n\n" +
                "  pulumi:pulumi:Stack (proj-dev):\n    warning: red\n\n",
        );
        const colored = capture(false, true);
        colored.printer.diagnostics([{ severity: "warning", urn: "", message: "\u001b[31mred\u001b[39m" }], STACK);
        expect(colored.err()).toContain("\u001b[31mred");
    });
});
