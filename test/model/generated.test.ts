// What tools/generate.ts makes from the kind declarations is committed (the SDK's classes, the provider modules, the
// README's model table, docs/reference/): a declaration changed without regenerating fails here, naming each file.
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { GENERATE_COMMAND, GENERATED_FOLDERS, generatedFiles } from "../../tools/generate";
import { KIND_NAMES } from "../../provider/model/kinds";

const ROOT = path.resolve(__dirname, "../..");
const files = generatedFiles(fs.readFileSync(path.join(ROOT, "README.md"), "utf8"));

describe("generated files", () => {
    it("are as the generator makes them from provider/model/kinds.ts", () => {
        const stale = [...files].filter(([file, text]) => {
            const target = path.join(ROOT, file);
            return !fs.existsSync(target) || fs.readFileSync(target, "utf8") !== text;
        }).map(([file]) => file);
        expect(stale, `stale generated files: ${stale.join(", ")}; run \`${GENERATE_COMMAND}\` and commit them`).toEqual([]);
    });

    it("leave nothing else in the generated folders (a kind removed, a file misspelt)", () => {
        const extra = GENERATED_FOLDERS.flatMap((folder) => fs.readdirSync(path.join(ROOT, folder)).map((name) => `${folder}/${name}`)).filter((file) => !files.has(file));
        expect(extra, `files the generator does not make: ${extra.join(", ")}; run \`${GENERATE_COMMAND}\` to remove them`).toEqual([]);
    });

    it("make one provider module and one reference page per kind", () => {
        for (const kind of KIND_NAMES) {
            expect(files.get(`provider/dynamic/providers/${kind}.ts`)).toContain(`new KindProvider("${kind}")`);
            expect(files.get(`docs/reference/${kind}.md`)).toContain(`# ${kind}\n`);
        }
    });

    it("export every class and its Args from the SDK, and the shared types", () => {
        const sdk = files.get("sdk/generated.ts")!;
        for (const kind of KIND_NAMES) {
            expect(sdk).toContain(`export class ${kind} extends PlatformResource {`);
            expect(sdk).toMatch(new RegExp(`export interface ${kind}Args\\b`));
        }
        for (const type of ["Role", "ProjectSettings", "ProjectLimits", "InstanceSpec", "AliasTarget", "ClusterSpec", "SparkCluster", "ChatChannel", "ShareableResource", "ProjectResourceArgs"]) {
            expect(sdk).toMatch(new RegExp(`export (interface|type) ${type}\\b`));
        }
    });
});
