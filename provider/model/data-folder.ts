// The files of the embedded control plane's data folder, named once: the store opens them, the client
// configuration names them in messages, and neither needs the other (nor better-sqlite3) to do so.
export const DATABASE_FILE = "platform.db";
export const KEY_FILE = "platform.key";
