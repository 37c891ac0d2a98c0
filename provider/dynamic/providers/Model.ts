// The provider object of one kind, as its module's exports (why: provider.ts).
import { KindProvider } from "../provider";

export = new KindProvider("Model");
