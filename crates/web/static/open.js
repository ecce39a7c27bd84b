// /open: opens a sealed export (.csv.age) in this browser with the organiser's secret key, and
// offers the clear CSV as a file. Neither the key nor the file leaves the browser: nothing here
// sends anything. A column whose name ends in "_sealed" holds, per row, an age file of its own
// (base64): each is opened with the same key.
import { Decrypter, armor } from "./age-encryption.js";

const form = document.getElementById("open-form");
const status = document.getElementById("open-status");
const result = document.getElementById("open-result");

function say(text, error) {
  status.textContent = text;
  status.className = error ? "field-error" : "notice";
}

// A CSV parser for what the server writes (RFC 4180: quotes doubled, fields may hold newlines).
function parse(text) {
  const rows = [];
  let row = [], cell = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { row.push(cell); cell = ""; }
    else if (c === "\n") { row.push(cell.replace(/\r$/, "")); rows.push(row); row = []; cell = ""; }
    else cell += c;
  }
  if (cell !== "" || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

function quote(cell) {
  return /[",\n\r]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

function bytesOf(b64) {
  return Uint8Array.from(atob(b64.trim()), (c) => c.charCodeAt(0));
}

if (form) {
  form.hidden = false;
  document.getElementById("open-nojs").hidden = true;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    result.hidden = true;
    const keyFile = document.getElementById("open-key-file").files[0];
    let identity = document.getElementById("open-key").value;
    if (keyFile) identity = await keyFile.text();
    identity = identity.split("\n").map((l) => l.trim()).find((l) => l.startsWith("AGE-SECRET-KEY-"));
    if (!identity) { say(form.dataset.noKey, true); return; }
    const file = document.getElementById("open-file").files[0];
    if (!file) { say(form.dataset.noFile, true); return; }
    const decrypter = new Decrypter();
    try { decrypter.addIdentity(identity); } catch { say(form.dataset.noKey, true); return; }
    let sealed = new Uint8Array(await file.arrayBuffer());
    const start = new TextDecoder().decode(sealed.slice(0, 40));
    if (start.startsWith("-----BEGIN AGE ENCRYPTED FILE-----")) sealed = armor.decode(new TextDecoder().decode(sealed));
    let text;
    try { text = await decrypter.decrypt(sealed, "text"); } catch { say(form.dataset.wrongKey, true); return; }
    const rows = parse(text.replace(/^\uFEFF/, ""));
    const columns = (rows[0] || []).map((name, i) => [name, i]).filter(([name]) => name.endsWith("_sealed"));
    let opened = 0;
    for (const row of rows.slice(1)) {
      for (const [, i] of columns) {
        if (!row[i]) continue;
        try { row[i] = await decrypter.decrypt(bytesOf(row[i]), "text"); opened++; } catch { row[i] = "?"; }
      }
    }
    const csv = rows.map((r) => r.map(quote).join(",")).join("\r\n") + "\r\n";
    const link = document.getElementById("open-download");
    link.href = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
    link.download = file.name.replace(/\.age$/, "") || "signatures.csv";
    document.getElementById("open-count").textContent = String(Math.max(rows.length - 1, 0));
    result.hidden = false;
    say(form.dataset.done.replace("{rows}", String(Math.max(rows.length - 1, 0))).replace("{cells}", String(opened)), false);
  });
}
