import { defineConfig } from 'prisma/config';
import { servicePrismaConfig } from '@mission-control/database';

export default defineConfig(servicePrismaConfig('identity'));
