// Who is signed in, and what the UI may offer them. The UI hides what the
// backend would refuse; the backend checks every call regardless.

import { COMMAND_ACCESS, type CommandName, type Permission, type SessionInfo } from "./bindings";

/** Whether `session` may run `command`, by the same table the backend uses. */
export function allowed(command: CommandName, session: SessionInfo | null): boolean {
  const access = COMMAND_ACCESS[command];
  if (access === "public") return true;
  if (!session) return false;
  if (access === "signed_in") return true;
  return session.permissions.includes(access as Permission);
}

class Session {
  info = $state<SessionInfo | null>(null);

  can(command: CommandName): boolean {
    return allowed(command, this.info);
  }

  has(permission: Permission): boolean {
    return this.info?.permissions.includes(permission) ?? false;
  }
}

export const session = new Session();
