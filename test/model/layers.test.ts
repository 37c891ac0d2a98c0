// Imports run one way: from the SDK and the dynamic host down through the clients and the control plane to the plan
// engine, the rules and, at the bottom, the model with the shared vocabulary (unknowns, equality, input keys, the
// API contract). A new import against that direction fails here, naming the file and what it imports.
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");

/** Each layer and the layers it may import (itself always). */
const MAY_IMPORT: Record<string, readonly string[]> = {
    "provider/model": [],
    "provider/rules": ["provider/model"],
    "provider/plan": ["provider/rules", "provider/model"],
    "provider/controlplane": ["provider/rules", "provider/model"],
    "provider/client": ["provider/controlplane", "provider/model"],
    // The DataSphere backend implements the client contract on Yandex Cloud: it needs the contract, nothing below it.
    "provider/client/datasphere": ["provider/client", "provider/model"],
    "provider/dynamic": ["provider/client", "provider/plan", "provider/model"],
    "provider/dynamic/providers": ["provider/dynamic"],
    // `mlplatform review` and `graph`: they read Pulumi's JSON and the kinds' declarations, nothing that runs.
    "provider/review": ["provider/model"],
    // Entry points, above everything they start.
    provider: ["provider/client", "provider/controlplane", "provider/model", "provider/review"],
    sdk: ["provider/dynamic", "provider/model"],
};

function sources(dir: string): string[] {
    return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })
        .filter((e) => e.isFile() && e.name.endsWith(".ts"))
        .map((e) => path.join(dir, e.name));
}

function localImports(file: string): string[] {
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    return [...text.matchAll(/(?:from|require\()\s*["'](\.{1,2}\/[^"']+)["']/g)].map((m) => path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1])));
}

describe("layers", () => {
    it("every module imports only its own layer and the layers below it", () => {
        const wrong: string[] = [];
        for (const [layer, below] of Object.entries(MAY_IMPORT)) {
            for (const file of sources(layer)) {
                for (const target of localImports(file)) {
                    const targetLayer = path.posix.dirname(target);
                    if (targetLayer !== layer && !below.includes(targetLayer)) wrong.push(`${file} imports ${target}`);
                }
            }
        }
        expect(wrong).toEqual([]);
    });

    it("the local engine's modules import each other without a cycle", () => {
        const edges = new Map(sources("engine").map((file) => [file, localImports(file).map((t) => `${t}.ts`).filter((t) => t.startsWith("engine/"))]));
        const cycles: string[] = [];
        const visit = (file: string, trail: string[]) => {
            for (const next of edges.get(file) ?? []) {
                if (trail.includes(next)) cycles.push([...trail.slice(trail.indexOf(next)), next].join(" -> "));
                else visit(next, [...trail, next]);
            }
        };
        for (const file of edges.keys()) visit(file, [file]);
        expect(cycles).toEqual([]);
    });

    it("knows every folder of the provider and the SDK", () => {
        const folders = (dir: string): string[] => [dir, ...fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })
            .filter((e) => e.isDirectory()).flatMap((e) => folders(path.posix.join(dir, e.name)))];
        expect([...folders("provider"), "sdk"].sort()).toEqual(Object.keys(MAY_IMPORT).sort());
    });
});
