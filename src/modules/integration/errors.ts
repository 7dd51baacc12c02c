import type { Coded } from "../../messages/sv.js";

/**
 * Stable error codes of the HTTP API for integration platforms. Each is a problem type of its
 * answers (application/problem+json: `code`, and `title` in Swedish from src/messages/sv.ts).
 */
export const INTEGRATION_ERRORS = {
  unauthorized: "api.unauthorized",
  forbidden: "api.forbidden",
  rateLimited: "api.rate_limited",
  bodyTooLarge: "api.body_too_large",
  notJson: "api.not_json",
  unsupportedMediaType: "api.unsupported_media_type",
  invalid: "api.invalid",
  notFound: "api.not_found",
  unknownRoute: "api.unknown_route",
  methodNotAllowed: "api.method_not_allowed",
  duplicateItem: "api.duplicate_item",
  notProcessed: "api.not_processed",
} as const;

export type IntegrationErrorCode = (typeof INTEGRATION_ERRORS)[keyof typeof INTEGRATION_ERRORS];

export type IntegrationError = Coded<IntegrationErrorCode>;
