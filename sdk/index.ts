// pulumi-mlplatform: declarative management of an ML platform of the DataSphere kind. The classes are generated
// from the kind declarations (generated.ts, `npm run generate`); base.ts holds the mechanics they share.
export * from "./generated";
export { PlatformResource, PlatformResourceOptions, TYPE_MODULE } from "./base";
