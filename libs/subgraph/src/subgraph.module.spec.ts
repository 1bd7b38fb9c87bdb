import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Directive, Field, ID, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { SubgraphModule } from './subgraph.module';
import { SubgraphSchemaWriter } from './subgraph-schema.writer';

@ObjectType({ registerIn: () => ThingsModule })
@Directive('@key(fields: "id")')
class Thing {
  @Field(() => ID)
  id!: string;
}

@Resolver(() => Thing)
class ThingResolver {
  @Query(() => Thing)
  thing(): Thing {
    return { id: 't-1' };
  }
}

@Module({ providers: [ThingResolver] })
class ThingsModule {}

async function boot(file: string | null) {
  const moduleRef = await Test.createTestingModule({
    imports: [
      SubgraphModule.forRoot({ service: 'things', file, scope: ThingsModule }),
      ThingsModule,
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

describe('SubgraphModule', () => {
  it('writes the Federation 2 SDL, with links and keys, where the gateway composes it from', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'subgraph-')), 'schema.graphql');
    const app = await boot(file);
    const written = readFileSync(file, 'utf8');
    expect(written).toContain('# The things subgraph');
    expect(written).toContain('@link(url: "https://specs.apollo.dev/federation/v2');
    expect(written).toMatch(/type Thing\s+@key\(fields: "id"\)/);
    expect(written).toBe(app.get(SubgraphSchemaWriter).sdl());
    await app.close();
  });

  it('serves the SDL without writing a file (production)', async () => {
    const app = await boot(null);
    expect(app.get(SubgraphSchemaWriter).sdl()).toContain('type Thing');
    await app.close();
  });
});
