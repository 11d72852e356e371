// Part of secured-reader.mjs (internal to reader/src): the message a record's signature
// covers (SPEC section 4), `"secured-record-v1\n" || R'`: the record without its signature
// line and BOM, every CR LF as LF.
import { RECORD_DOMAIN, SCAN_STEP, timeSlicer } from "./internal.mjs";

/** The largest message built in the reused scratch buffer, in one piece; a larger one is built in its own, in time slices. */
const SCRATCH_LIMIT = 1024 * 1024;

let messageScratch = new Uint8Array(64 * 1024);

/**
 * The signed message of a record: a Uint8Array when it is at most SCRATCH_LIMIT bytes, else
 * a Promise of one. The small one is built in one scratch buffer, reused: WebCrypto copies
 * its input when verify() is called, and the caller hands it over with no await between
 * (no other record's message can be built in between), so nothing is allocated per record.
 * Were a platform to read it later, a message overwritten meanwhile would only make the
 * signature fail (never pass): fail closed. A larger one, which a hostile record of CR LF
 * lines makes costly, is built in its own buffer in time slices (see `timeSlicer`): other
 * work, another record's message included, may run between them.
 */
export function signedMessage(b, rec, sigLine) {
  const segments = sigLine ? [[rec.bom, sigLine.start], [sigLine.end, b.length]] : [[rec.bom, b.length]];
  let total = RECORD_DOMAIN.length;
  for (const [s, e] of segments) total += e - s;
  const budget = 1024 + (total >> 6);
  if (total > SCRATCH_LIMIT) return builtInSlices(b, segments, { out: new Uint8Array(total), o: 0, start: 0, calls: 0, budget });
  if (messageScratch.length < total) messageScratch = new Uint8Array(Math.max(total, messageScratch.length * 2));
  const st = { out: messageScratch, o: 0, start: 0, calls: 0, budget };
  st.out.set(RECORD_DOMAIN, 0);
  st.o = RECORD_DOMAIN.length;
  for (const [s, e] of segments) {
    st.start = s;
    dropCRs(b, s, e, e, st);
    copyRun(b, st.start, e, st);
  }
  return st.out.subarray(0, st.o);
}

async function builtInSlices(b, segments, st) {
  const slicer = timeSlicer();
  st.out.set(RECORD_DOMAIN, 0);
  st.o = RECORD_DOMAIN.length;
  for (const [s, e] of segments) {
    st.start = s;
    for (let from = s; from < e; from += SCAN_STEP) {
      if (slicer.due()) await slicer.pause();
      dropCRs(b, from, Math.min(e, from + SCAN_STEP), e, st);
    }
    copyRun(b, st.start, e, st);
  }
  return st.out.subarray(0, st.o);
}

// The CRs of b[from..to), in a segment ending at `e`: each one followed by LF is dropped, the
// bytes before it since st.start copied to st.out at st.o. CRs are found by indexOf (native,
// fast over long stretches without one) while the calls stay few (st.budget), then by a byte
// loop: a call per CR would cost a call per byte of a record of CRs.
function dropCRs(b, from, to, e, st) {
  const upTo = b.subarray(0, to); // bounds indexOf at `to`
  for (let k = from; ; k++) {
    if (st.calls < st.budget) {
      st.calls++;
      k = upTo.indexOf(0x0d, k);
      if (k < 0) return;
    } else {
      while (k < to && b[k] !== 0x0d) k++;
      if (k >= to) return;
    }
    if (k + 1 < e && b[k + 1] === 0x0a) {
      copyRun(b, st.start, k, st);
      st.start = k + 1;
    }
  }
}

// Copies b[s..e) to st.out at st.o: a short run byte by byte (a call to set costs more).
function copyRun(b, s, e, st) {
  const n = e - s;
  if (n > 32) {
    st.out.set(b.subarray(s, e), st.o);
  } else {
    const out = st.out;
    for (let j = 0, o = st.o; j < n; j++) out[o + j] = b[s + j];
  }
  st.o += n;
}
