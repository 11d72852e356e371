// Type-level tests of reader/secured-reader.d.ts (as jose's test-d): `tsc --noEmit -p
// Tests/reader/types` compiles what a caller writes, and each `@ts-expect-error` line is a
// misuse the types must refuse (tsc fails if one of them compiles). Nothing here runs.
import {
  blake2b,
  checkListed,
  DEFAULT_SIZE_LIMIT,
  openRecord,
  parseKey,
  restoreKey,
  SecuredReaderError,
  storableKey,
  verifyManifest,
  verifyRecord,
} from "../../../reader/secured-reader";
import type { OpenedRecord, SecuredKey, SecuredReaderCode, VerifiedManifest } from "../../../reader/secured-reader";

async function caller(recordBytes: Uint8Array, keyText: string, pub: string, manifest: string, minisig: string) {
  const key: SecuredKey = await parseKey(keyText, { source: "Keys/site.readonly.key" });
  const members = await parseKey(new Uint8Array(0), { source: "site.members.key.pw", passphrase: "a long passphrase" });
  const kind: "secret" | "read-only" | "public" = key.type;
  const opened: OpenedRecord = await openRecord(recordBytes, { keys: [key, pub, members], name: "post.md" });
  const text: string | null = opened.text;
  const bytes: Uint8Array = opened.content;
  const signature: "ed25519" | "v1" | null = opened.signature;
  const verified = await verifyRecord(recordBytes, { keys: [pub] });
  const signedBy: string = verified.keyId;
  const list: VerifiedManifest = await verifyManifest(manifest, minisig, { keys: [pub], sizeLimit: DEFAULT_SIZE_LIMIT });
  const hash: string = await checkListed(list, "news/a.md", recordBytes);
  const stored = storableKey(members);
  const again: SecuredKey = restoreKey(stored);
  const digest: Uint8Array = blake2b("text", 32);
  try {
    await openRecord("---\n---\n", { keys: [], allowUnsigned: true });
  } catch (e) {
    if (e instanceof SecuredReaderError) {
      const code: SecuredReaderCode = e.code;
      const line: number | null = e.line;
      const field: string | null = e.field;
      void [code, line, field];
    }
  }
  void [kind, text, bytes, signature, signedBy, hash, again, digest];
}

async function misuse(recordBytes: Uint8Array, key: SecuredKey, e: SecuredReaderError) {
  // @ts-expect-error: openRecord takes its options, keys included
  await openRecord(recordBytes);
  // @ts-expect-error: the option is allowUnsigned, spelled so
  await openRecord(recordBytes, { keys: [key], allowUnSigned: true });
  // @ts-expect-error: keys are key files or parsed keys, not numbers
  await openRecord(recordBytes, { keys: [42] });
  // @ts-expect-error: a key's fields are read-only
  key.id = "other";
  // @ts-expect-error: content is bytes, not text
  const s: string = (await openRecord(recordBytes, { keys: [key] })).content;
  // @ts-expect-error: no such code
  const c: SecuredReaderCode = "SR099";
  // @ts-expect-error: the error's code cannot be changed
  e.code = "SR001";
  // @ts-expect-error: a manifest check needs the .minisig argument (or null)
  await verifyManifest("manifest", { keys: [key] });
  void [s, c];
}

void [caller, misuse];
