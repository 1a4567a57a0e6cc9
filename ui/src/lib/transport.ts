// How the generated bindings reach the backend: one Tauri command, `call`,
// with the command's name and arguments. Failures always arrive as ApiError.

import { invoke } from "@tauri-apps/api/core";
import type { ApiError, CommandName, ErrorCode } from "./bindings";

const CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "validation",
  "not_found",
  "conflict",
  "not_signed_in",
  "permission_denied",
  "auth_failed",
  "rate_limited",
  "source_unavailable",
  "storage",
  "internal",
]);

export function isApiError(value: unknown): value is ApiError {
  return (
    typeof value === "object" &&
    value !== null &&
    CODES.has((value as { code?: unknown }).code as ErrorCode) &&
    typeof (value as { message?: unknown }).message === "string"
  );
}

/** Anything thrown, as an ApiError (a broken bridge becomes `internal`). */
export function toApiError(error: unknown): ApiError {
  if (isApiError(error)) {
    return { ...error, fields: error.fields ?? [], retry_after_seconds: error.retry_after_seconds ?? null };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: "internal",
    message: `Timebridge's window could not reach its backend (${message}). Restart the app; if it keeps happening, the log file has details.`,
    fields: [],
    retry_after_seconds: null,
  };
}

/** Listeners told when a call finds the session gone, so the app can show sign-in. */
const signedOutListeners = new Set<() => void>();
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

export async function call<T>(command: CommandName, args: unknown): Promise<T> {
  try {
    return await invoke<T>("call", { command, args });
  } catch (raw) {
    const error = toApiError(raw);
    if (error.code === "not_signed_in") signedOutListeners.forEach((listener) => listener());
    throw error;
  }
}
