// TOTP codes for the browser tests, computed by Python's pyotp (an implementation independent of
// the server's).
import { execFileSync } from 'node:child_process';

/** The code of time step `step` for the base32 `secret`, computed by pyotp. */
export function pyotp(secret, step) {
  const script = `import pyotp; print(pyotp.TOTP('${secret}').at(${step * 30}))`;
  return execFileSync('python3', ['-c', script], { encoding: 'utf8' }).trim();
}

/** The current time step, started at most 20 seconds ago (the codes of steps n-1, n, n+1 then stay accepted a while). */
export async function freshStep() {
  const into = Math.floor(Date.now() / 1000) % 30;
  if (into > 20) await new Promise((r) => setTimeout(r, (31 - into) * 1000));
  return Math.floor(Date.now() / 1000 / 30);
}
