// The provider object of one kind, as its module's exports (why: provider.ts).
// Generated from provider/model/kinds.ts by `npm run generate` (tools/generate.ts); do not edit.
import { KindProvider } from "../provider";

export = new KindProvider("SharedResourceUse");
