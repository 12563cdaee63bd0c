import { inject } from 'vitest';
import { createDb, type Db } from '../../platform/database.js';

/** The run's fresh, migrated test database (see global-setup.ts). */
export function testDb(): Db {
  return createDb(inject('databaseUrl'), 5);
}
