import { readFile, writeFile } from 'node:fs/promises';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { printSubgraphSchema } from '@apollo/subgraph';

export const SUBGRAPH_SCHEMA_FILE = Symbol('SUBGRAPH_SCHEMA_FILE');

const HEADER =
  '# The identity subgraph as the gateway composes it (Federation 2). Written by the service at\n' +
  '# boot outside production; a test fails when it differs from what the service serves.\n\n';

/**
 * The SDL this subgraph serves to the gateway (`_service { sdl }`: federation links and @key
 * included, unlike a plain schema print). Written to the repository's `schema.graphql` at boot
 * when a file is configured, so `gateway:compose` can build the supergraph from it.
 */
@Injectable()
export class SubgraphSchemaWriter implements OnApplicationBootstrap {
  constructor(
    private readonly host: GraphQLSchemaHost,
    @Inject(SUBGRAPH_SCHEMA_FILE) private readonly file: string | null,
  ) {}

  sdl(): string {
    return `${HEADER}${printSubgraphSchema(this.host.schema)}\n`;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.file) {
      return;
    }
    const sdl = this.sdl();
    const current = await readFile(this.file, 'utf8').catch(() => undefined);
    if (current !== sdl) {
      await writeFile(this.file, sdl);
    }
  }
}
