import type { ApiError } from "./bindings";

/** Field name → message, for marking a form's bad fields. */
export function fieldErrors(error: ApiError | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const problem of error?.fields ?? []) {
    out[problem.field] ??= problem.message;
  }
  return out;
}

/** A heading for an error, in words an office admin uses. */
export function errorTitle(error: ApiError): string {
  switch (error.code) {
    case "validation":
      return "Please check the highlighted fields";
    case "permission_denied":
      return "Not allowed";
    case "not_signed_in":
      return "Signed out";
    case "conflict":
      return "Cannot do that";
    case "not_found":
      return "Not found";
    case "rate_limited":
      return "Please wait";
    case "auth_failed":
      return "Sign-in failed";
    case "source_unavailable":
      return "Cannot reach the other system";
    case "storage":
      return "Database problem";
    default:
      return "Something went wrong";
  }
}

/** A validation error for the confirm field when two typed passwords differ. */
export function passwordMismatch(password: string, confirm: string): ApiError | null {
  if (password === confirm) return null;
  const message = "The passwords do not match.";
  return { code: "validation", message, fields: [{ field: "confirm", message }], retry_after_seconds: null };
}
