// Valid inputs of every kind, as the SDK sends them to the provider: a reference for tests and benchmarks.
import { KindName } from "./kinds";

const EXAMPLE_IDS = { org: "orgaaaaaaaaaaaaaaaaa", com: "comaaaaaaaaaaaaaaaaa", prj: "prjaaaaaaaaaaaaaaaaa", nod: "nodaaaaaaaaaaaaaaaaa", dts: "dtsaaaaaaaaaaaaaaaaa", bla: "blaaaaaaaaaaaaaaaaaa", shr: "shraaaaaaaaaaaaaaaaa" };
const scoped = { organization: "acme", zone: "ru-central1-a" };
const inProject = { projectId: EXAMPLE_IDS.prj, ...scoped };
const cluster = { version: "2.1", masterPreset: "s2.small", computePreset: "s2.medium", computeHosts: 2, diskGb: 100 };

/** A valid set of inputs for every kind, as the SDK sends them (ids are placeholders). */
export const EXAMPLE_INPUTS: Record<KindName, Record<string, unknown>> = {
    Organization: { displayName: "Acme", defaultZone: "ru-central1-a" },
    BillingAccount: { organizationId: EXAMPLE_IDS.org, organization: "acme", status: "active" },
    BillingLink: { communityId: EXAMPLE_IDS.com, billingAccountId: EXAMPLE_IDS.bla, organization: "acme" },
    Community: { organizationId: EXAMPLE_IDS.org, organization: "acme", zone: "ru-central1-a", labels: { team: "ml" } },
    CommunityMember: { communityId: EXAMPLE_IDS.com, organization: "acme", subject: "userAccount:alice", role: "editor" },
    Project: { communityId: EXAMPLE_IDS.com, ...scoped, settings: { ide: "JUPYTER_LAB" }, limits: { maxUnitsPerHour: 5 }, unitBalance: 10 },
    ProjectMember: { projectId: EXAMPLE_IDS.prj, organization: "acme", subject: "serviceAccount:ci", role: "admin" },
    Dataset: { ...inProject, sizeGb: 10, activated: false },
    Secret: { ...inProject, value: "s3cr3t" },
    DockerImage: { ...inProject, image: "cr.example.net/team/img:1.0", registryUsername: "u", registryPassword: "p" },
    S3Connector: { ...inProject, bucket: "ml-data", endpoint: "https://storage.example.net", mountMode: "READ_ONLY", accessKeyId: "a", secretAccessKey: "b" },
    Node: { ...inProject, image: "cr.example.net/team/srv:2", instanceSpec: { cpu: 2, memoryGb: 4, gpu: 0 }, instanceZone: "ru-central1-b", replicas: 2 },
    Alias: { ...inProject, nodes: [{ nodeId: EXAMPLE_IDS.nod, weight: 50 }] },
    DataProcTemplate: { ...inProject, cluster },
    Model: { ...inProject, framework: "onnx", sourceUri: "s3://models/m" },
    SparkConnector: { ...inProject, cluster: { type: "temporary", spec: cluster } },
    Checkpoint: { ...inProject, sourceUri: "s3://ckpt/1", notebookPath: "main.ipynb" },
    Share: {
        resourceId: EXAMPLE_IDS.dts, resourceKind: "Dataset", communityId: EXAMPLE_IDS.com, resourceName: "train", resourceZone: "ru-central1-a",
        resourceOrganization: "acme", communityName: "research", communityZone: "ru-central1-a", communityOrganization: "acme",
    },
    SharedResourceUse: {
        projectId: EXAMPLE_IDS.prj, shareId: EXAMPLE_IDS.shr, ...scoped, projectName: "serving", projectCommunityId: EXAMPLE_IDS.com, projectCommunityName: "research",
        resourceKind: "Dataset", resourceName: "train", shareCommunityId: EXAMPLE_IDS.com, communityName: "research", communityZone: "ru-central1-a", communityOrganization: "acme",
    },
};

