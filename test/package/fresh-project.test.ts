// The package as a team installs it: the tarball `npm pack` makes, installed by npm into a new project beside the
// project's own @pulumi/pulumi, once at the lowest version of the peer range and once at the newest (the one this
// repository develops with). Each project carries README's allowScripts and installs with npm's
// --strict-allow-scripts, which fails on an install script the field does not cover (npm 12 skips it instead), so
// better-sqlite3's own install script builds it as it would under npm 12. Each project holds exactly one copy of the
// SDK, type-checks README's tsconfig.json and program with its own TypeScript and with tsc 7, runs that program
// through the local engine (up, a no-change preview, destroy) on the embedded control plane, and runs the installed
// `mlplatform` command.
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KIND_NAMES } from "../../provider/model/kinds";
import { CLI, collect } from "../engine/harness";

const ROOT = path.resolve(__dirname, "../..");
const MANIFEST = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

/** The lowest @pulumi/pulumi the peer range allows, e.g. 3.216.0 for ^3.216.0. */
const LOWEST_SDK = /^\^(\d+\.\d+\.\d+)$/.exec(MANIFEST.peerDependencies["@pulumi/pulumi"])?.[1];
/** The newest: the version this repository is developed and fully tested with. */
const NEWEST_SDK: string = MANIFEST.devDependencies["@pulumi/pulumi"];
/**
 * TypeScript of each project: Pulumi runs a TypeScript program through ts-node, which needs TypeScript's JavaScript
 * API, so a project keeps a TypeScript before 7 (@pulumi/pulumi's peer range says so): this repository's 5.9 beside
 * the oldest SDK, the last before 7 beside the newest. tsc 7, the current TypeScript (a native compiler without that
 * API), type-checks both projects as well.
 */
const PROJECT_TYPESCRIPT = { lowest: MANIFEST.devDependencies.typescript as string, newest: "6.0.3" };
const TSC7 = "7.0.2";

/** The file README.md shows right after `<!-- fresh-project: <file> -->`: the first fenced block after the marker. */
function readmeFile(file: string): string {
    const marker = `<!-- fresh-project: ${file} -->`;
    const at = README.indexOf(marker);
    if (at < 0) throw new Error(`README.md has no ${marker} before the ${file} it shows`);
    const block = /```[a-z]*\n([\s\S]*?)```/.exec(README.slice(at + marker.length));
    if (!block) throw new Error(`README.md has no fenced block after ${marker}`);
    return block[1];
}

/** The package.json fragment README tells a project to add: the allowScripts npm 12 needs to build better-sqlite3. */
const README_ALLOW_SCRIPTS: Record<string, boolean> = JSON.parse(readmeFile("package.json")).allowScripts;
/** The version of better-sqlite3 this repository built: a project of the same version finds that build (below). */
const SQLITE_VERSION: string = JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules/better-sqlite3/package.json"), "utf8")).version;

/** The environment of a command run by hand in the project: none of the `npm test` run's own npm settings. */
function cleanEnv(): NodeJS.ProcessEnv {
    return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_|INIT_CWD$)/i.test(key)));
}

function run(command: string, args: string[], cwd: string): { code: number | null; out: string } {
    const r = spawnSync(command, args, { cwd, env: cleanEnv(), encoding: "utf8", timeout: 8 * 60_000 });
    return { code: r.status, out: `${r.stdout}${r.stderr}${r.error ? String(r.error) : ""}` };
}

function npm(args: string[], cwd: string) {
    return run(process.platform === "win32" ? "npm.cmd" : "npm", args, cwd);
}

/** Every copy of a package under a project's node_modules, however deep. */
function copiesOf(dir: string, pkg: string): string[] {
    const found: string[] = [];
    const walk = (modules: string) => {
        if (!fs.existsSync(modules)) return;
        for (const entry of fs.readdirSync(modules)) {
            const names = entry.startsWith("@") ? fs.readdirSync(path.join(modules, entry)).map((n) => `${entry}/${n}`) : [entry];
            for (const name of names) {
                const at = path.join(modules, name);
                if (name === pkg) found.push(at);
                // A link leads out of the project: what it holds is not the project's.
                if (!fs.lstatSync(at).isSymbolicLink()) walk(path.join(at, "node_modules"));
            }
        }
    };
    walk(path.join(dir, "node_modules"));
    return found;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "fresh-project-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let tarball = "";
let packed: string[] = [];

/**
 * A project's package.json: README's dependencies beside @pulumi/pulumi `sdk` and its TypeScript, and `allowScripts`
 * when given. better-sqlite3 is the repository's version: its install script (prebuild-install, then node-gyp)
 * finds the repository's build as a local prebuild (see .prebuild-installrc below) instead of compiling for 1-3
 * minutes what tests nothing here.
 */
function projectManifest(sdk: string, typescript: string, allowScripts?: Record<string, boolean>): string {
    return JSON.stringify({
        name: "platform",
        private: true,
        dependencies: { "@pulumi/pulumi": sdk, "pulumi-mlplatform": `file:${tarball}`, "better-sqlite3": SQLITE_VERSION },
        devDependencies: { typescript, "@types/node": MANIFEST.devDependencies["@types/node"] },
        ...(allowScripts && { allowScripts }),
    }, null, 2);
}

describe("the packed package", () => {
    beforeAll(() => {
        if (!fs.existsSync(path.join(ROOT, "dist/sdk/index.js"))) throw new Error("dist/ is not built: run npm run build first");
        // The build is `npm test`'s own; --ignore-scripts keeps `prepare` from building again under the other tests.
        const r = npm(["pack", "--ignore-scripts", "--json", "--pack-destination", tmp], ROOT);
        expect(r.code, r.out).toBe(0);
        const [info] = JSON.parse(r.out.slice(r.out.indexOf("[")));
        tarball = path.join(tmp, info.filename);
        packed = info.files.map((f: { path: string }) => f.path);
        // For `npm test`'s log, in npm's units (kB of 1,000 bytes). Without `prepack`, which empties dist/sdk and
        // dist/provider before `prepare` builds them, a working copy's dist/ may still hold the output of a deleted
        // source: README's figures are those of `npm pack --dry-run`, which runs both, as publishing does.
        console.log(`npm pack: ${info.entryCount} files, ${(info.size / 1000).toFixed(1)} kB packed, ${(info.unpackedSize / 1000).toFixed(1)} kB unpacked`);
        const t = npm(["install", "--prefix", path.join(tmp, "tsc7"), "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline", `typescript@${TSC7}`], tmp);
        expect(t.code, t.out).toBe(0);
        // allowScripts and --strict-allow-scripts came with npm 11.16; an older npm would ignore both and prove nothing.
        const version = npm(["--version"], tmp).out.trim();
        const [major, minor] = version.split(".").map(Number);
        if (major < 11 || (major === 11 && minor < 16)) throw new Error(`npm ${version} has no allowScripts: this test needs npm 11.16 or later`);
        // The repository's better-sqlite3 build, named as prebuild-install looks for it (glibc; elsewhere it compiles).
        const prebuildName = `better-sqlite3-v${SQLITE_VERSION}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
        const prebuild = path.join(tmp, "prebuilds", prebuildName);
        fs.mkdirSync(path.dirname(prebuild));
        const tar = run("tar", ["-czf", prebuild, "-C", path.join(ROOT, "node_modules/better-sqlite3"), "build/Release/better_sqlite3.node"], tmp);
        expect(tar.code, tar.out).toBe(0);
    }, 10 * 60_000);

    it("ships only what users run: the SDK and the provider as JavaScript with declarations, README, LICENSE, CHANGELOG", () => {
        const stray = packed.filter((f) => !/^(package\.json|README\.md|LICENSE|CHANGELOG\.md|dist\/(sdk|provider)\/.+\.(js|d\.ts))$/.test(f));
        expect(stray).toEqual([]);
        expect(packed).toEqual(expect.arrayContaining(["README.md", "LICENSE", "CHANGELOG.md", "dist/sdk/index.js", "dist/sdk/index.d.ts", MANIFEST.bin.mlplatform]));
        // A state names each kind's provider module: it stays where earlier versions put it.
        for (const kind of KIND_NAMES) expect(packed).toContain(`dist/provider/dynamic/providers/${kind}.js`);
        expect(MANIFEST.private).toBeUndefined();
    });

    it("is refused under --strict-allow-scripts without README's allowScripts: npm reads the project's, not the package's", () => {
        // The packed package.json allows better-sqlite3 itself (this repository's own install needs it), to no avail.
        expect(MANIFEST.allowScripts).toMatchObject(README_ALLOW_SCRIPTS);
        const dir = path.join(tmp, "no-allow-scripts");
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, "package.json"), projectManifest(NEWEST_SDK, PROJECT_TYPESCRIPT.newest));
        // --dry-run: npm checks the scripts of the tree it would install before installing anything.
        const r = npm(["install", "--strict-allow-scripts", "--dry-run", "--no-audit", "--no-fund", "--prefer-offline"], dir);
        expect(r.code, r.out).not.toBe(0);
        expect(r.out).toContain("ESTRICTALLOWSCRIPTS");
        expect(r.out).toContain(`better-sqlite3@${SQLITE_VERSION} (install: prebuild-install || node-gyp rebuild --release)`);
        expect(r.out).toMatch(/protobufjs@\S+ \(postinstall: /);
    }, 5 * 60_000);

    describe.each([
        { range: "lowest", sdk: LOWEST_SDK!, typescript: PROJECT_TYPESCRIPT.lowest },
        { range: "newest", sdk: NEWEST_SDK, typescript: PROJECT_TYPESCRIPT.newest },
    ])("installed beside the $range @pulumi/pulumi of the peer range ($sdk)", ({ range, sdk, typescript }) => {
        const dir = path.join(tmp, range);
        const program = readmeFile("index.ts");
        const resources = (program.match(/new ml\.\w+\(/g) ?? []).length + 1; // and the stack

        it("installs with README's allowScripts (better-sqlite3 built by its install script), one copy of the SDK and no Yandex Cloud SDK", () => {
            expect(LOWEST_SDK).toBeDefined();
            fs.mkdirSync(dir, { recursive: true });
            // README's entries, and a denial of the tarball's own `prepare` (it builds a git install), which npm
            // counts for a file: dependency and never for one from the registry.
            const allowScripts = { ...README_ALLOW_SCRIPTS, [`file:${tarball}`]: false };
            fs.writeFileSync(path.join(dir, "package.json"), projectManifest(sdk, typescript, allowScripts));
            fs.writeFileSync(path.join(dir, ".prebuild-installrc"), `local-prebuilds=${path.join(tmp, "prebuilds")}\n`);
            for (const file of ["Pulumi.yaml", "tsconfig.json", "index.ts"]) fs.writeFileSync(path.join(dir, file), readmeFile(file));
            const r = npm(["install", "--strict-allow-scripts", "--no-audit", "--no-fund", "--prefer-offline"], dir);
            expect(r.code, r.out).toBe(0);
            // The registry's tarball holds no build: only its install script, allowed, puts the native part there.
            expect(fs.existsSync(path.join(dir, "node_modules/better-sqlite3/build/Release/better_sqlite3.node"))).toBe(true);

            expect(copiesOf(dir, "@pulumi/pulumi")).toEqual([path.join(dir, "node_modules/@pulumi/pulumi")]);
            expect(JSON.parse(fs.readFileSync(path.join(dir, "node_modules/@pulumi/pulumi/package.json"), "utf8")).version).toBe(sdk);
            expect(copiesOf(dir, "pulumi-mlplatform")).toEqual([path.join(dir, "node_modules/pulumi-mlplatform")]);
            expect(copiesOf(dir, "@yandex-cloud/nodejs-sdk")).toEqual([]);
        }, 10 * 60_000);

        it("type-checks README's tsconfig.json and program with the project's TypeScript and with tsc 7", () => {
            const own = run(process.execPath, [path.join(dir, "node_modules/typescript/bin/tsc"), "-p", ".", "--noEmit"], dir);
            expect(own.code, own.out).toBe(0);
            const tsc7 = run(path.join(tmp, "tsc7/node_modules/.bin/tsc"), ["-p", ".", "--noEmit"], dir);
            expect(tsc7.code, tsc7.out).toBe(0);
        }, 5 * 60_000);

        it("writes each kind's provider text exactly as this SDK's pulumi.dynamic.Resource serializes the kind's provider", async () => {
            // The classes write the text themselves (sdk/provider-text.ts); a state an earlier version wrote, with
            // the text Pulumi's closure serializer made, must see no change. Made here the SDK's way, in the project:
            // a plain pulumi.dynamic.Resource of each kind's provider object, under the SDK's mocks.
            const script = `
                const pulumi = require("@pulumi/pulumi");
                const { providerText } = require("pulumi-mlplatform/dist/sdk/provider-text.js");
                const kinds = ${JSON.stringify(KIND_NAMES)};
                const serialized = {};
                pulumi.runtime.setMocks({
                    newResource: (args) => { serialized[args.name] = args.inputs.__provider; return { id: args.name, state: {} }; },
                    call: () => ({}),
                });
                const made = kinds.map((kind) => new pulumi.dynamic.Resource(require("pulumi-mlplatform/provider/dynamic/providers/" + kind), kind, {}));
                Promise.all(made.map((r) => new Promise((resolve) => r.id.apply(resolve)))).then(() => {
                    console.log(JSON.stringify(kinds.map((kind) => [kind, serialized[kind], providerText(kind)])));
                });
            `;
            const r = run(process.execPath, ["-e", script], dir);
            expect(r.code, r.out).toBe(0);
            // Node's warnings (the serializer loads every built-in module, deprecated ones too) share the output.
            const line = r.out.split("\n").find((l) => l.startsWith("[["));
            expect(line, r.out).toBeDefined();
            const texts: [string, string, string][] = JSON.parse(line!);
            expect(texts.map(([kind]) => kind)).toEqual([...KIND_NAMES]);
            for (const [kind, bySerializer, byPackage] of texts) {
                expect(bySerializer, kind).toMatch(/require\("pulumi-mlplatform\/provider\/dynamic\/providers\//);
                expect(byPackage, kind).toBe(bySerializer);
            }
        }, 2 * 60_000);

        it("runs README's program through the local engine: up, a preview without changes, destroy", async () => {
            const engine = (...args: string[]) => collect(spawn(process.execPath, [CLI, ...args], { cwd: dir, env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] }));
            // The engine does not keep --config between runs (the CLI keeps `pulumi config set` in the stack's file).
            const config = ["--config", "apiToken=fresh-project-token"];
            const up = await engine("up", dir, "--yes", ...config);
            expect(up.code, up.stdout + up.stderr).toBe(0);
            expect(up.stdout).toContain(`+ ${resources} created`);

            const stateText = fs.readFileSync(path.join(dir, ".pulumi-local/dev.json"), "utf8");
            expect(stateText).not.toContain("fresh-project-token");
            const state = JSON.parse(stateText);
            // What the state records to load each kind's provider: a require() of the installed package, the path
            // README promises to keep, resolved through the package's exports to the shipped file.
            for (const text of Object.values(state.providers as Record<string, string>)) {
                const module = /require\("(pulumi-mlplatform\/[^"]+)"\)/.exec(text)?.[1];
                expect(module, text).toMatch(/^pulumi-mlplatform\/provider\/dynamic\/providers\/[A-Za-z]+$/);
                const kind = module!.split("/").pop();
                // Resolved by a node in the project, as the provider host resolves it (here, in the repository, the
                // name would resolve to the repository itself).
                const resolved = run(process.execPath, ["-p", `require.resolve(${JSON.stringify(module)})`], dir);
                expect(resolved.out.trim()).toBe(path.join(dir, `node_modules/pulumi-mlplatform/dist/provider/dynamic/providers/${kind}.js`));
            }

            const preview = await engine("preview", dir, ...config);
            expect(preview.code, preview.stdout + preview.stderr).toBe(0);
            expect(preview.stdout).toContain(`${resources} unchanged`);

            // The command npm linked from the package's bin, run as a user runs it.
            const help = run(path.join(dir, "node_modules/.bin/mlplatform"), ["--help"], dir);
            expect(help.code, help.out).toBe(0);
            expect(help.out).toContain("Usage: mlplatform <command>");
            const graph = run(path.join(dir, "node_modules/.bin/mlplatform"), ["graph", ".pulumi-local/dev.json"], dir);
            expect(graph.code, graph.out).toBe(0);
            expect(graph.out).toContain("research");

            const destroy = await engine("destroy", dir, "--yes", ...config);
            expect(destroy.code, destroy.stdout + destroy.stderr).toBe(0);
            expect(destroy.stdout).toContain(`- ${resources} deleted`);
        }, 5 * 60_000);
    });
});
