// Runs examples/datasphere end to end through the local engine against the DataSphere fake (test/support), as
// `npm test` does (tools/examples.ts starts this file): preview, up (each community created with its own billing
// account), a no-change preview, a change, a refresh after a role was removed in the fake (the billing accounts,
// which the platform cannot say back, kept), a change of a community's billing account and a BillingLink both
// refused in preview, destroy, and a share into a community of another zone refused in preview.
//   node dist/tools/datasphere-example.js            the steps above
//   node dist/tools/datasphere-example.js --figures  one `up` with operations taking 1 s: wall time and calls
// The fake runs in this process (the engine runs in a child), so each engine step is awaited, never run blocking.
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { DataSphereFake, TLS_CERT_FILE } from "../test/support/datasphere-fake";

const ROOT = path.resolve(__dirname, "../..");
const CLI = path.join(ROOT, "engine/dist/cli.js");
const DIR = path.join(ROOT, "examples", "datasphere");
/** Steps that behaved as expected, for the caller's count (tools/examples.ts reads the last line). */
let passed = 0;

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; output: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env });
        let output = "";
        child.stdout.on("data", (d) => (output += d));
        child.stderr.on("data", (d) => (output += d));
        child.on("error", reject);
        child.on("close", (status) => resolve({ status, output }));
    });
}

class Steps {
    constructor(private readonly fake: DataSphereFake, private readonly config: string[]) {}

    async engine(description: string, args: string[], expect: "succeeds" | "fails", ...patterns: RegExp[]): Promise<string> {
        console.log(`\n=== datasphere: ${description}: engine ${args.join(" ")}`);
        // The credentials travel as yc users set them: YC_TOKEN in the environment, never on a command line.
        const { status, output } = await run([...args, ...this.config], { ...process.env, YC_TOKEN: this.fake.token, MLPLATFORM_BACKEND: undefined });
        process.stdout.write(output);
        const ok = expect === "succeeds" ? status === 0 : status !== 0;
        if (!ok) throw new Error(`${description}: expected the engine to ${expect === "succeeds" ? "succeed" : "fail"}, it exited with ${status}`);
        for (const pattern of patterns) if (!pattern.test(output)) throw new Error(`${description}: output does not match ${pattern}`);
        if (output.includes(this.fake.token)) throw new Error(`${description}: the output shows the IAM token`);
        passed++;
        return output;
    }
}

function expectThat(condition: boolean, what: string): void {
    if (!condition) throw new Error(`datasphere: ${what}`);
    passed++;
}

const noChanges = (output: string) => !/to (create|update|replace|delete)/.test(output) && /\d+ unchanged/.test(output);

/** The fake with what a team has before the program runs: an organization, its billing accounts and a dataset made in DataSphere's UI. */
async function platform(): Promise<{
    fake: DataSphereFake; config: string[]; seeded: number; read: { org: string; data: string; warehouse: string }; accounts: { research: string; production: string };
}> {
    const fake = await DataSphereFake.start();
    const org = fake.addOrganization("acme", "Acme");
    const accounts = { research: fake.addBillingAccount("research-budget"), production: fake.addBillingAccount("production-budget") };
    const data = fake.addCommunity(org, "data", "ru-central1-a");
    const warehouse = fake.addProject(data, "warehouse");
    const dataset = fake.addResource(warehouse, 4);
    const config = [
        "--config", `mlplatform:dataSphereEndpoint=${fake.endpoint}`, "--config", `mlplatform:operationEndpoint=${fake.endpoint}`,
        "--config", `mlplatform:organizationManagerEndpoint=${fake.endpoint}`, "--config", `mlplatform:billingEndpoint=${fake.endpoint}`,
        "--config", `mlplatform:tlsRootCertFile=${TLS_CERT_FILE}`,
        "--config", `datasphere:organizationId=${org}`, "--config", `datasphere:dataset=${warehouse}/${dataset}`,
        "--config", `datasphere:researchBillingAccountId=${accounts.research}`, "--config", `datasphere:productionBillingAccountId=${accounts.production}`,
    ];
    return { fake, config, seeded: fake.communities.size, read: { org, data, warehouse }, accounts };
}

const clean = () => fs.rmSync(path.join(DIR, ".pulumi-local"), { recursive: true, force: true });

async function lifecycle(): Promise<void> {
    clean();
    const { fake, config, seeded, read, accounts } = await platform();
    try {
        const steps = new Steps(fake, config);
        await steps.engine("preview a new stack", ["preview", DIR], "succeeds", /acme\s+read/, /research-budget\s+read/, /features\s+read/, /\+ 9 to create/);
        expectThat(fake.communities.size === seeded && fake.calls("CommunityService.Create").length === 0, "preview created nothing on the platform");
        await steps.engine("up", ["up", DIR, "--yes"], "succeeds", /\+ 9 created/);
        const names = [...fake.communities.values()].map((c) => c.name).sort();
        // Autonamed: the logical name and a suffix.
        expectThat(names.length === 3 && /^production-[a-z0-9]+$/.test(names[1]) && /^research-[a-z0-9]+$/.test(names[2]), `up made the two communities (got ${names.join(", ")})`);
        const billedWith = Object.fromEntries(fake.calls("CommunityService.Create").map((c) => [String(c.request.name).replace(/-[a-z0-9]+$/, ""), c.request.billingAccountId]));
        expectThat(billedWith.research === accounts.research && billedWith.production === accounts.production, `each community was created with its own billing account (got ${JSON.stringify(billedWith)})`);
        expectThat([...fake.shared.values()].some((s) => s.size === 1), "up shared the dataset into production");
        expectThat([...fake.used.values()].some((u) => u.size === 1), "up added the shared dataset to the serving project");
        const project = [...fake.projects.values()].find((p) => p.name.startsWith("training-"))!;
        expectThat(fake.balances.get(project.id) === 10_000 && project.limits?.maxUnitsPerHour === 500, "up set the project's limits and unit balance");
        const asked = fake.requests.length;
        expectThat(noChanges(await steps.engine("preview after up", ["preview", DIR], "succeeds")), "no changes after up");
        // Check and diff are pure: the preview asks only about what the program reads with `get` (the organization, the
        // billing accounts, and the dataset through its project and community), never about a resource it manages.
        const previewCalls = fake.requests.slice(asked);
        const aboutReads = previewCalls.every((r) => (r.method === "OrganizationService.Get" && r.request.organizationId === read.org)
            || (r.method === "BillingAccountService.Get" && Object.values(accounts).includes(r.request.id))
            || (r.method === "ProjectService.Get" && r.request.projectId === read.warehouse) || (r.method === "CommunityService.Get" && r.request.communityId === read.data));
        expectThat(aboutReads, `the no-change preview called only the reads of the program's gets (got ${previewCalls.map((r) => r.method).join(", ")})`);
        const state = fs.readdirSync(path.join(DIR, ".pulumi-local")).map((f) => fs.readFileSync(path.join(DIR, ".pulumi-local", f), "utf8")).join("\n");
        expectThat(!state.includes(fake.token) && !state.includes(fake.token.slice(3)), "the state holds no credential");

        const changed = ["--config", "datasphere:maxUnitsPerHour=800"];
        await steps.engine("change one limit", ["up", DIR, "--yes", ...changed], "succeeds", /training\s+updated \[diff: ~limits\]/, /~ 1 updated/);
        const update = fake.calls("ProjectService.Update").at(-1);
        expectThat(JSON.stringify(update?.request.updateMask.paths) === JSON.stringify(["limits.max_units_per_hour"]), "the change sent one mask path, limits.max_units_per_hour");
        expectThat(fake.projects.get(project.id)!.limits?.maxUnitsPerHour === 800, "the platform has the new limit");

        // Someone removes the CI account's role in DataSphere: refresh drops the member, the next up grants it again.
        fake.bindings.set(project.id, []);
        await steps.engine("refresh after a role was removed outside Pulumi", ["refresh", DIR, "--yes", ...changed], "succeeds", /ci\s+deleted/);
        // The billing accounts cannot be read back: refresh kept them, so nothing but the role is planned.
        const afterRefresh = await steps.engine("preview after the refresh", ["preview", DIR, ...changed], "succeeds", /ci\s+create/, /\+ 1 to create/);
        expectThat(!/to (update|replace)/.test(afterRefresh), "refresh kept each community's billing account: no change planned for a community");
        await steps.engine("up grants it again", ["up", DIR, "--yes", ...changed], "succeeds", /ci\s+created/, /\+ 1 created/);
        expectThat(fake.bindings.get(project.id)!.some((b) => b.roleId === "datasphere.community-projects.developer" && b.subject?.id === "ci"), "the role is back");

        // What DataSphere sets only at creation: a change of a community's account, and a BillingLink, fail in preview.
        const calls = fake.requests.length;
        // (The platform's settings follow a step's own --config and would win over a repeated key: replaced in place.)
        const research = `datasphere:researchBillingAccountId=${accounts.research}`;
        const moved = new Steps(fake, config.map((c) => (c === research ? `datasphere:researchBillingAccountId=${accounts.production}` : c)));
        await moved.engine("a community's billing account changed: preview", ["preview", DIR, ...changed], "fails",
            new RegExp(`research.*property billingAccount value .* has a problem: cannot change in datasphere mode \\(mlplatform:backend datasphere\\), got "${accounts.production}" for "${accounts.research}": DataSphere's API sets billingAccountId only when the community is created`),
            /Put the old value back; to change it on the platform, do it in the DataSphere UI/);
        await steps.engine("a BillingLink: preview", ["preview", DIR, ...changed, "--config", "datasphere:declareBillingLink=true"], "fails",
            /research-billing.*BillingLink cannot be declared in datasphere mode .*Pass the account when creating the community, new ml\.Community\("<name>", \{ \.\.\., billingAccount: ml\.BillingAccount\.get/);
        expectThat(fake.requests.slice(calls).every((r) => !/\.(Create|Update|Delete|AddResource|RemoveResource|UpdateAccessBindings)$/.test(r.method)), "the refused previews changed nothing on the platform");

        await steps.engine("destroy", ["destroy", DIR, "--yes", ...changed], "succeeds", /- 9 deleted/);
        const left = [...fake.communities.values()].map((c) => c.name);
        expectThat(JSON.stringify(left) === JSON.stringify(["data"]) && [...fake.shared.values()].every((s) => s.size === 0), `destroy left only what the program did not make (got ${left.join(", ")})`);
        expectThat(fake.calls("CommunityService.SetAccessBindings").length + fake.calls("ProjectService.SetAccessBindings").length === 0, "no call replaced anyone's bindings");

        const east = ["--config", "datasphere:shareIntoEast=true"];
        const refused = /features-to-east.*cannot share Dataset "\w+" in zone ru-central1-a into community "east-[a-z0-9]+" in zone ru-central1-b/;
        await steps.engine("cross-zone share: preview", ["preview", DIR, ...east], "fails", refused);
        const creates = fake.calls("CommunityService.Create").length;
        await steps.engine("cross-zone share: up stops at its preview", ["up", DIR, "--yes", ...east], "fails", refused);
        expectThat(fake.calls("CommunityService.Create").length === creates && fake.communities.size === 1, "the refused share created nothing");
    } finally {
        await fake.stop();
        clean();
    }
}

/** One `up` of the example with every operation taking 1 s: the figures the issue asks to record. */
async function figures(): Promise<void> {
    clean();
    const { fake, config } = await platform();
    try {
        const steps = new Steps(fake, config);
        fake.faults.operationMs = 1000;
        const before = fake.requests.length;
        const started = Date.now();
        await steps.engine("up with operations taking 1 s", ["up", DIR, "--yes", "--skip-preview"], "succeeds", /\+ 9 created/);
        const wall = (Date.now() - started) / 1000;
        const counts: Record<string, number> = {};
        for (const r of fake.requests.slice(before)) counts[r.method] = (counts[r.method] ?? 0) + 1;
        const mutations = Object.entries(counts).filter(([m]) => !/\.(Get|List|ListAccessBindings|GetUnitBalance)$/.test(m)).reduce((n, [, c]) => n + c, 0);
        console.log(`\nfigures: one up of examples/datasphere (8 resources, 4 reads), operations 1 s each: ${wall.toFixed(1)} s wall time, `
            + `${fake.requests.length - before} calls (${mutations} mutations), by method:\n${JSON.stringify(counts, null, 2)}`);
        fake.faults.operationMs = 0;
        await steps.engine("destroy", ["destroy", DIR, "--yes"], "succeeds");
    } finally {
        await fake.stop();
        clean();
    }
}

(process.argv.includes("--figures") ? figures() : lifecycle()).then(
    () => console.log(`\ndatasphere: all ${passed} steps behaved as expected\ndatasphere steps passed: ${passed}`),
    (e) => {
        console.error(`\ndatasphere: ${(e as Error).message}\ndatasphere steps passed: ${passed}`);
        process.exitCode = 1;
    },
);
