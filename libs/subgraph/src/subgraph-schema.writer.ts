import { readFile, writeFile } from 'node:fs/promises';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { printSubgraphSchema } from '@apollo/subgraph';

export const SUBGRAPH_SCHEMA_OPTIONS = Symbol('SUBGRAPH_SCHEMA_OPTIONS');

export type SubgraphSchemaOptions = {
  /** The service name, in the file's header. */
  service: string;
  /** Where to write the SDL at boot; null writes nothing (production: read-only file system). */
  file: string | null;
};

/**
 * The SDL this subgraph serves to the gateway (`_service { sdl }`: federation links and @key
 * included, unlike a plain schema print). Written to the service's `schema.graphql` at boot when a
 * file is configured, so `gateway:compose` can build the supergraph from it; each service's spec
 * compares what it serves with the committed file.
 */
@Injectable()
export class SubgraphSchemaWriter implements OnApplicationBootstrap {
  constructor(
    private readonly host: GraphQLSchemaHost,
    @Inject(SUBGRAPH_SCHEMA_OPTIONS) private readonly options: SubgraphSchemaOptions,
  ) {}

  sdl(): string {
    const header =
      `# The ${this.options.service} subgraph as the gateway composes it (Federation 2). Written by the service at\n` +
      '# boot outside production; a test fails when it differs from what the service serves.\n\n';
    return `${header}${printSubgraphSchema(this.host.schema)}\n`;
  }

  async onApplicationBootstrap(): Promise<void> {
    const { file } = this.options;
    if (!file) {
      return;
    }
    const sdl = this.sdl();
    const current = await readFile(file, 'utf8').catch(() => undefined);
    if (current !== sdl) {
      await writeFile(file, sdl);
    }
  }
}
