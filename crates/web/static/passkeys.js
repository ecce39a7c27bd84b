// Passkeys (WebAuthn) as a second factor: adding one on /organise/account/second-factor, using
// one on /login/code and before a sensitive action. Each ceremony is two JSON requests to this
// site, with the form's CSRF token: the options (challenge) from …/start, the browser's answer to
// …/finish. WebAuthn's binary fields travel as base64url in the JSON and as ArrayBuffers in the
// browser's API; the conversions are here. Without this script (or without WebAuthn) the forms
// stay hidden and the page says a passkey needs JavaScript (or this browser cannot use one); codes
// still work.

const fromBase64url = (text) => {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
};

const toBase64url = (buffer) => {
  const bytes = new Uint8Array(buffer);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
};

const post = async (url, body) => {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    credentials: "same-origin",
    body: JSON.stringify(body),
  });
  let json = {};
  try {
    json = await response.json();
  } catch {
    // Not JSON: an error page; the message below says it failed.
  }
  return { ok: response.ok, json };
};

const creationOptions = (options) => {
  const key = { ...options.publicKey };
  key.challenge = fromBase64url(key.challenge);
  key.user = { ...key.user, id: fromBase64url(key.user.id) };
  key.excludeCredentials = (key.excludeCredentials || []).map((c) => ({ ...c, id: fromBase64url(c.id) }));
  return { publicKey: key };
};

const requestOptions = (options) => {
  const key = { ...options.publicKey };
  key.challenge = fromBase64url(key.challenge);
  key.allowCredentials = (key.allowCredentials || []).map((c) => ({ ...c, id: fromBase64url(c.id) }));
  return { publicKey: key };
};

const registered = (credential) => ({
  id: credential.id,
  rawId: toBase64url(credential.rawId),
  type: credential.type,
  extensions: credential.getClientExtensionResults(),
  response: {
    attestationObject: toBase64url(credential.response.attestationObject),
    clientDataJSON: toBase64url(credential.response.clientDataJSON),
    transports: credential.response.getTransports ? credential.response.getTransports() : undefined,
  },
});

const asserted = (credential) => ({
  id: credential.id,
  rawId: toBase64url(credential.rawId),
  type: credential.type,
  extensions: credential.getClientExtensionResults(),
  response: {
    authenticatorData: toBase64url(credential.response.authenticatorData),
    clientDataJSON: toBase64url(credential.response.clientDataJSON),
    signature: toBase64url(credential.response.signature),
    userHandle: credential.response.userHandle ? toBase64url(credential.response.userHandle) : null,
  },
});

const supported = Boolean(window.PublicKeyCredential && navigator.credentials);

// Shows `message` in the form's error paragraph (read out: role=alert), or hides it.
const say = (form, message) => {
  const box = form.querySelector(".passkey-error");
  box.textContent = message || "";
  box.hidden = !message;
};

const addForm = document.getElementById("passkey-add");
if (addForm && supported) {
  addForm.hidden = false;
  const name = addForm.querySelector("input[name=passkey_name]");
  addForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const csrf = addForm.querySelector("input[name=csrf]").value;
    const button = addForm.querySelector("button");
    button.disabled = true;
    say(addForm, "");
    name.removeAttribute("aria-invalid");
    try {
      const start = await post("/organise/account/passkeys/start", { csrf, name: name.value });
      if (start.json.redirect) {
        window.location.assign(start.json.redirect);
        return;
      }
      if (!start.ok) {
        if (start.json.field === "passkey_name") {
          name.setAttribute("aria-invalid", "true");
          name.focus();
        }
        say(addForm, start.json.error || addForm.dataset.failed);
        return;
      }
      let credential;
      try {
        credential = await navigator.credentials.create(creationOptions(start.json));
      } catch {
        say(addForm, addForm.dataset.cancelled);
        return;
      }
      const finish = await post("/organise/account/passkeys/finish", {
        csrf,
        name: name.value,
        credential: registered(credential),
      });
      if (finish.ok && finish.json.redirect) {
        window.location.assign(finish.json.redirect);
        return;
      }
      say(addForm, finish.json.error || addForm.dataset.failed);
    } catch {
      say(addForm, addForm.dataset.failed);
    } finally {
      button.disabled = false;
    }
  });
}

const useForm = document.getElementById("passkey-use");
if (useForm && supported) {
  useForm.hidden = false;
  useForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const csrf = useForm.querySelector("input[name=csrf]").value;
    const next = useForm.querySelector("input[name=next]").value;
    const button = useForm.querySelector("button");
    button.disabled = true;
    say(useForm, "");
    try {
      const start = await post("/login/passkey/start", { csrf });
      if (!start.ok) {
        say(useForm, start.json.error || useForm.dataset.failed);
        return;
      }
      let credential;
      try {
        credential = await navigator.credentials.get(requestOptions(start.json));
      } catch {
        say(useForm, useForm.dataset.cancelled);
        return;
      }
      const finish = await post("/login/passkey/finish", { csrf, next, credential: asserted(credential) });
      if (finish.ok && finish.json.redirect) {
        window.location.assign(finish.json.redirect);
        return;
      }
      say(useForm, finish.json.error || useForm.dataset.failed);
    } catch {
      say(useForm, useForm.dataset.failed);
    } finally {
      button.disabled = false;
    }
  });
}

// The pages say a passkey needs JavaScript (a <noscript> is not shown by every browser that runs no
// script); running, this script says instead whether this browser can use one.
for (const note of document.querySelectorAll(".passkey-needs-js")) note.hidden = true;
if (!supported) {
  for (const note of document.querySelectorAll(".passkey-unsupported")) note.hidden = false;
}
