import { fileURLToPath } from 'node:url';
import type { TechRadarLoaderResponse } from '@backstage-community/plugin-tech-radar-common';
import { createGenerator } from 'ts-json-schema-generator';

/** Backstage's published type under a name of this file's own, for the JSON Schema generator to start from. */
export type BackstageTechRadar = TechRadarLoaderResponse;

/** A JSON Schema generated from Backstage's published `TechRadarLoaderResponse` type (its .d.ts, as installed). */
export function backstageRadarSchema(): object {
  return createGenerator({ path: fileURLToPath(import.meta.url), type: 'BackstageTechRadar', skipTypeCheck: true, tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) }).createSchema('BackstageTechRadar');
}
