// Типизированный клиент API сотрудников: openapi-fetch по типам из schema.yml (npm run generate).
// Сессия Django (cookie) и заголовок X-CSRFToken для изменяющих запросов; ошибки — ApiError.
import createClient, { type Middleware } from "openapi-fetch";

import type { components, paths } from "./schema";

export type Schemas = components["schemas"];

export type ErrorField = Schemas["ErrorField"];

/** Ошибка API в едином формате {error: {code, message, fields}}. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: ErrorField[];

  constructor(status: number, code: string, message: string, fields: ErrorField[] = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields;
  }

  /** Ошибки полей по пути (rows.3.price → сообщение). */
  fieldMessages(): Record<string, string> {
    return Object.fromEntries(this.fields.map((field) => [field.path, field.message]));
  }
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
let csrfToken: string | null = null;

/** Забыть токен CSRF: Django меняет его при входе и выходе. */
export function csrfReset() {
  csrfToken = null;
}

async function csrfGet(): Promise<string> {
  if (csrfToken) return csrfToken;
  const response = await fetch("/api/admin/v1/auth/csrf/", { credentials: "same-origin" });
  const body = (await response.json()) as Schemas["Csrf"];
  csrfToken = body.csrf_token;
  return csrfToken;
}

const csrf: Middleware = {
  async onRequest({ request }) {
    if (UNSAFE.has(request.method)) request.headers.set("X-CSRFToken", await csrfGet());
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: "", credentials: "same-origin" });
api.use(csrf);

type Result<T> = { data?: T; error?: unknown; response: Response };

/** Вернуть данные ответа или бросить ApiError (сеть, 4xx, 5xx). */
export async function unwrap<T>(promise: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await promise;
  } catch {
    throw new ApiError(0, "network", "network");
  }
  const { data, error, response } = result;
  if (response.ok) return data as T;
  const body = (error ?? {}) as Partial<Schemas["ErrorResponse"]>;
  if (body.error) throw new ApiError(response.status, body.error.code, body.error.message, body.error.fields ?? []);
  throw new ApiError(response.status, "http_" + response.status, response.statusText);
}
