// Compile-time checks of the SDK's Args types (run by `npm run typecheck:sdk`); each @ts-expect-error line
// must fail to compile, or tsc reports the directive as unused.
import { Community, Dataset, Model, Organization, Project, Share, Secret } from "pulumi-mlplatform";

const org = new Organization("o", { displayName: "O", defaultZone: "ru-central1-a" });
const community = new Community("c", { organization: org, zone: "ru-central1-a" });
const project = new Project("p", { community });
const dataset = new Dataset("d", { project, sizeGb: 1 });

new Share("ok", { resource: dataset, community });
// @ts-expect-error a share goes into a community, not a project
new Share("into-project", { resource: dataset, community: project });
// @ts-expect-error models cannot be shared
new Share("model", { resource: new Model("m", { project }), community });
// @ts-expect-error a dataset needs a project
new Dataset("no-project", { sizeGb: 1 });
// @ts-expect-error a project belongs to a community, not an organization
new Project("p2", { community: org });
// @ts-expect-error sizes are numbers
new Dataset("d2", { project, sizeGb: "10" });
// @ts-expect-error a secret needs its value
new Secret("s", { project });
// @ts-expect-error roles are a closed set
new Community("c2", { organization: org, zone: "ru-central1-a", role: "owner" });
