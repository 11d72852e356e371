// Independent AES-CBC through WebCrypto, the API a web page showing sealed content uses.
//   node webcrypto.mjs decrypt ENC_B64 BLOB   -> plaintext hex
//   node webcrypto.mjs encrypt ENC_B64 HEX    -> blob "B64(C);B64(IV)"
import { webcrypto } from "node:crypto";
const { subtle } = webcrypto;
const [cmd, encB64, arg] = process.argv.slice(2);
const key = await subtle.importKey("raw", Buffer.from(encB64, "base64"), { name: "AES-CBC" }, false, [
  "encrypt",
  "decrypt",
]);
if (cmd === "decrypt") {
  const [ct, iv] = arg.split(";").map((p) => Buffer.from(p, "base64"));
  const pt = await subtle.decrypt({ name: "AES-CBC", iv }, key, ct);
  console.log(Buffer.from(pt).toString("hex"));
} else {
  const iv = webcrypto.getRandomValues(new Uint8Array(16));
  const ct = await subtle.encrypt({ name: "AES-CBC", iv }, key, Buffer.from(arg, "hex"));
  console.log(Buffer.from(ct).toString("base64") + ";" + Buffer.from(iv).toString("base64"));
}
