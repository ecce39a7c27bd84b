// /organise/keys, enhanced: makes an age key pair in this browser (age-encryption, served from
// this site). The secret key is shown once and offered as a file; only the public key is put in
// the form, which the organiser then sends. Without script the page says how to use age-keygen.
import { Decrypter, armor, generateX25519Identity, identityToRecipient } from "./age-encryption.js";

const box = document.getElementById("keygen");
const button = document.getElementById("keygen-button");
if (box && button) {
  box.hidden = false;
  button.addEventListener("click", async () => {
    const identity = await generateX25519Identity();
    const recipient = await identityToRecipient(identity);
    const made = new Date().toISOString();
    const file = `# created: ${made}\n# public key: ${recipient}\n${identity}\n`;
    document.getElementById("keygen-identity").value = identity;
    const link = document.getElementById("keygen-download");
    link.href = URL.createObjectURL(new Blob([file], { type: "text/plain" }));
    document.getElementById("keygen-made").hidden = false;
    document.getElementById("f-owner_key").value = recipient;
    button.disabled = true;
  });
}

// A challenge opened here: the secret key pasted stays in this page; the code found is put in the
// form, for the organiser to send.
for (const box of document.querySelectorAll(".challenge-open")) {
  box.hidden = false;
  const status = box.querySelector(".challenge-open-status");
  box.querySelector(".challenge-open-button").addEventListener("click", async () => {
    const identity = box.querySelector("textarea").value.split("\n").map((l) => l.trim())
      .find((l) => l.startsWith("AGE-SECRET-KEY-"));
    const challenge = document.getElementById(box.dataset.challenge).value;
    try {
      const decrypter = new Decrypter();
      decrypter.addIdentity(identity);
      const text = await decrypter.decrypt(armor.decode(challenge), "text");
      const code = text.split("\n").find((l) => l.startsWith("    ")).trim();
      document.getElementById(box.dataset.form).querySelector("input[name=key_code]").value = code;
      status.textContent = "";
    } catch {
      status.textContent = status.dataset.wrong;
    }
  });
}
