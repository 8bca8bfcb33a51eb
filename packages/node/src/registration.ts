import type { AgentOtelHandle } from './types.js';

// The active registration lives on `globalThis`, not in a module variable: `--import
// @agent-otel/node/register` loads the ESM build while the application may `require()` the CJS
// build, and both copies must agree that register() already ran.

const REGISTRATION_KEY = Symbol.for('@agent-otel/node.registration');

/** What register() installed, shared by every copy of this package in the process. */
export interface Registration {
  readonly handle: AgentOtelHandle;
  /** The repeated-call warning has been logged. */
  warnedRepeat: boolean;
}

type RegistrationSlot = { [REGISTRATION_KEY]?: Registration };

/** The active registration, if register() ran and was not shut down since. */
export function getRegistration(): Registration | undefined {
  return (globalThis as RegistrationSlot)[REGISTRATION_KEY];
}

/** Records `handle` as the active registration. */
export function setRegistration(handle: AgentOtelHandle): void {
  (globalThis as RegistrationSlot)[REGISTRATION_KEY] = { handle, warnedRepeat: false };
}

/** Forgets `handle` if it is still the active registration. */
export function clearRegistration(handle: AgentOtelHandle): void {
  const slot = globalThis as RegistrationSlot;
  if (slot[REGISTRATION_KEY]?.handle === handle) delete slot[REGISTRATION_KEY];
}
