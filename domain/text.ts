import { z } from 'zod';

/**
 * Text govflow accepts from outside: no NUL (PostgreSQL text and jsonb cannot store it), no unpaired UTF-16
 * surrogates (not encodable as UTF-8, so not storable and not faithfully JSON), and no other C0/C1 control
 * characters or DEL (a terminal or log viewer would interpret them); tab, newline and carriage return are text.
 * The `u` flag makes a well-formed surrogate pair one code point, so only lone halves match the range; the
 * pattern is published in the OpenAPI document as it is.
 */
export const SAFE_TEXT = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uD800-\uDFFF]*$/u;

export const UNSAFE_TEXT_MESSAGE = 'must not contain NUL, control characters (other than tab and newline) or unpaired surrogates';

/** The one string schema of every API input (lint forbids a bare z.string() there). */
export const safeString = (params?: Parameters<typeof z.string>[0]) => z.string(params).regex(SAFE_TEXT, UNSAFE_TEXT_MESSAGE);
